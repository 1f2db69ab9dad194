"""The daily due-date notifications (`discretion daily`): each FOI, EIR or subject-access case that is
amber, red or overdue tells its handler and their team manager once a day, from the reminders the
information-rights job has just worked out (`information_rights.tasks.send_deadline_reminders`)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import dateformat, timezone

from discretion.information_rights.models import Reminder
from discretion.notifications.models import Kind
from discretion.notifications.services import Notice, notify

LINKS = {"request": "information_rights:request", "sar": "information_rights:sar"}
OBJECT_TYPES = {"request": "info_request", "sar": "sar"}


def _text(reminder: Reminder, today: dt.date) -> str:
    due = dateformat.format(reminder.due_on, "j F Y")
    if reminder.status == "overdue" or reminder.due_on < today:
        return f"{reminder.case_ref} is overdue: it was due on {due}."
    if reminder.due_on == today:
        return f"{reminder.case_ref} is due today, {due}."
    return f"{reminder.case_ref} is due on {due}."


def notify_due_dates(today: dt.date | None = None) -> int:
    """Turn today's reminders into notifications (and their e-mails); once per case, recipient and
    day however often it runs. Returns how many were made. The sender is the system."""
    today = today or timezone.localdate()
    made = 0
    for reminder in Reminder.objects.filter(sent_on=today).select_related("recipient").order_by("id"):
        if reminder.case_kind not in LINKS:
            continue
        notice = Notice(
            kind=Kind.DUE_SOON,
            text=_text(reminder, today),
            link=reverse(LINKS[reminder.case_kind], args=[reminder.case_id]),
            object_type=OBJECT_TYPES[reminder.case_kind],
            object_id=reminder.case_id,
            urgent=reminder.status in ("red", "overdue"),
        )
        key = f"due:{reminder.case_kind}:{reminder.case_id}:{today.isoformat()}"
        made += len(notify([reminder.recipient], notice, triggered_by=None, key=key))
    return made
