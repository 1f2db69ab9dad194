"""Background work: daily deadline reminders to the case handler and their team manager."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from discretion.information_rights.models import InfoRequest, Reminder, SarCase
from discretion.information_rights.services import open_cases
from discretion.staff.models import Staff


@task()
def send_deadline_reminders() -> int:
    """Run daily: one reminder a day per open case that is amber, red or overdue, to its handler and
    the handler's team manager. Returns how many reminders were created."""
    today = timezone.localdate()
    created = 0
    handlers: dict[tuple[str, int], int | None] = {}
    for kind, model in (("request", InfoRequest), ("sar", SarCase)):
        for pk, handler_id in model.objects.filter(closed_on__isnull=True).values_list("id", "handler_id"):
            handlers[(kind, pk)] = handler_id
    staff = Staff.objects.select_related("team__manager").in_bulk(
        [h for h in handlers.values() if h is not None]
    )
    for case in open_cases(today):
        if case.rag in ("green", "on_hold"):  # a stopped clock cannot run late
            continue
        status = "overdue" if case.due_on < today else case.rag
        handler = staff.get(handlers.get((case.kind, case.pk)) or 0)
        recipients = [handler] if handler else []
        if handler and handler.team and handler.team.manager and handler.team.manager != handler:
            recipients.append(handler.team.manager)
        for recipient in recipients:
            _, made = Reminder.objects.get_or_create(
                recipient=recipient,
                case_kind=case.kind,
                case_id=case.pk,
                sent_on=today,
                defaults={"case_ref": case.ref, "due_on": case.due_on, "status": status},
            )
            created += made
    return created
