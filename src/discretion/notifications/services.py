"""Telling people of the work that waits for them: in the app, and by e-mail through the outbound
gateway's plain route (never a second door out).

A notification's text names ids and kinds only (a request number, a case reference, who acted),
never a child or a requester. The e-mail says less still: that something of a kind is waiting, and
a link into the app, so nothing of a case travels over internet e-mail (policy 1.1); the finder
checks it anyway on the way out (`outbound.services.send_notice`).

Who sends the e-mail: the system. Notices are written by Discretion from fixed wording, so the
outbound audit event has no actor; the member of staff whose action caused the notice is recorded
on the notification (`triggered_by`) and in that event's details. The daily due-date reminders
have no such person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.notifications.models import Kind, Notification
from discretion.staff.models import Staff

# What the e-mail says, by kind: nothing of the case itself.
EMAIL_SUBJECTS: dict[str, str] = {
    Kind.REFERRED: "A request is waiting for your decision",
    Kind.APPROVED: "A request you are handling was approved",
    Kind.REFUSED: "A request you are handling was refused",
    Kind.RELEASED: "A request has been released",
    Kind.DUE_SOON: "A case is due soon",
    Kind.RECORD_ACCESS_ASKED: "A colleague asks you to agree to their opening records",
    Kind.RECORD_ACCESS_DECIDED: "Your request to open records has been decided",
    Kind.DOCUMENT_TO_CHECK: "A document is waiting for your check",
    Kind.SIGN_OFF: "An answer or a bundle is waiting for your sign-off",
    Kind.SIGNED_OFF: "An answer or a bundle you prepared was signed off",
}


@dataclass(frozen=True)
class Notice:
    """What to tell: the kind, a line of plain words (ids and kinds only), and where to go."""

    kind: str
    text: str
    link: str
    object_type: str = ""
    object_id: object = ""
    urgent: bool = False


def _may_receive(member: Staff) -> bool:
    return member.is_active and not member.has_ended() and not member.is_supervised


def notify(
    recipients: Iterable[Staff | None], notice: Notice, *, triggered_by: Staff | None, key: str = ""
) -> list[Notification]:
    """Tell each recipient once (never the person who acted, nor an account that is not current),
    in the app and, where they have an e-mail address, by e-mail. With `key`, a recipient is told
    of that key only once, ever (the daily reminders). Call inside the action's transaction: the
    notification and its queued e-mail are written with the action or not at all."""
    if notice.kind not in Kind.values:
        raise ValueError(f"unknown notification kind {notice.kind!r}")
    seen: set[int] = set()
    made: list[Notification] = []
    for member in recipients:
        if member is None or member.pk in seen or not _may_receive(member):
            continue
        seen.add(member.pk)
        if triggered_by is not None and member.pk == triggered_by.pk:
            continue
        row_key = f"{key}:{member.pk}" if key else None
        if row_key and Notification.objects.filter(key=row_key).exists():
            continue
        made.append(
            Notification.objects.create(
                recipient=member,
                kind=notice.kind,
                text=notice.text[:300],
                link=notice.link[:300],
                urgent=notice.urgent,
                object_type=notice.object_type,
                object_id=str(notice.object_id),
                triggered_by=triggered_by,
                key=row_key,
            )
        )
    if not made:
        return made
    emailed = sum(_email(n) for n in made)
    audit.record(
        triggered_by.pk if triggered_by is not None else None,
        "notification.sent",
        object_type=notice.object_type,
        object_id=notice.object_id,
        details={
            "kind": notice.kind,
            "notifications": [n.pk for n in made],
            "recipients": [n.recipient_id for n in made],
            "emailed": emailed,
        },
    )
    return made


def email_body(notification: Notification) -> str:
    """The e-mail: that something of this kind is waiting, and the link into the app; nothing of
    the case, the child or the requester (policy 1.1)."""
    subject = EMAIL_SUBJECTS.get(notification.kind, "Something is waiting for you")
    site = str(getattr(settings, "SITE_URL", "")).rstrip("/")
    where = (
        f"Open it in Discretion:\n{site}{reverse('notifications:open', args=[notification.pk])}"
        if site
        else "Sign in to Discretion and open your notifications to see it."
    )
    urgent = " It is marked urgent." if notification.urgent else ""
    return (
        f"{subject}.{urgent}\n\n{where}\n\n"
        "This e-mail says nothing more on purpose: the details are in Discretion, where only the "
        "people who need to know can see them.\n"
    )


def _email(notification: Notification) -> bool:
    """Queue the e-mail for one notification through the outbound gateway; False when the member of
    staff has no address, e-mail is turned off, or the gateway refused it (audited there)."""
    from discretion.outbound import services as outbound

    address = (notification.recipient.email or "").strip()
    if not address or not getattr(settings, "NOTIFY_BY_EMAIL", True):
        return False
    subject = EMAIL_SUBJECTS.get(notification.kind, "Something is waiting for you")
    try:
        message = outbound.send_notice(
            to=address,
            subject=f"Discretion: {subject}" + (" (urgent)" if notification.urgent else ""),
            body=email_body(notification),
            about=f"notification:{notification.pk}",
            triggered_by=notification.triggered_by,
        )
    except (outbound.Blocked, outbound.InvalidInput):
        return False
    notification.email = message
    notification.save(update_fields=["email"])
    return True


# --- reading and opening ----------------------------------------------------------------------


def notifications_for(actor: Staff, *, limit: int = 200) -> list[Notification]:
    """The actor's own notifications, newest first (their text carries no personal data)."""
    access._require_active(actor)
    return list(Notification.objects.filter(recipient=actor).order_by("-created_at", "-id")[:limit])


def unread_count(actor: Staff) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()


def _own(actor: Staff, notification_id: int) -> Notification:
    """A notification for its recipient; anyone else gets the answer a missing one gets, and the
    refusal is audited."""
    access._require_active(actor)
    row = Notification.objects.filter(pk=notification_id).first()
    if row is None or row.recipient_id != actor.pk:
        if row is not None:
            access.refusal(actor, "notification.open", "No such notification.", object_id=notification_id)
        raise access.NotFound("No such notification.")
    return row


@transaction.atomic
def open_notification(actor: Staff, notification_id: int) -> Notification:
    """The recipient opens a notification: it is marked read, and they go where it points."""
    row = _own(actor, notification_id)
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    return row


@transaction.atomic
def mark_all_read(actor: Staff) -> int:
    access._require_active(actor)
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def mark_read_about(actor: Staff, object_type: str, object_id: object) -> int:
    """The actor has opened what their notifications point to: those are read now."""
    return Notification.objects.filter(
        recipient=actor, object_type=object_type, object_id=str(object_id), read_at__isnull=True
    ).update(read_at=timezone.now())
