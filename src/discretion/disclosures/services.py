"""The one door out: every release is registered and queued in ONE transaction.

`disclose` writes the register entry, the people it concerns, the outbox message and (for the
secure-link channel) the link, then audits. A crash can leave all of them or none of them; the
actual send happens later from the outbox (`deliver_pending`), so a failed send never loses the
record of what was released. Plain internet e-mail is not a channel (policy 1.1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from discretion.audit import services as audit
from discretion.disclosures import files, links
from discretion.disclosures.link_redemption import (
    MAX_FAILED_CODES,
    NOT_VALID,
    Download,
    LinkRefused,
    LinkThrottled,
    redeem_link,
)
from discretion.disclosures.models import (
    Channel,
    DisclosedPerson,
    Disclosure,
    OutboxMessage,
    OutboxStatus,
    SecureLink,
)
from discretion.disclosures.print_queue import mark_posted, print_queue
from discretion.disclosures.register import (
    REGISTER_COLUMNS,
    RegisterQuery,
    can_read_register,
    export_register,
    read_register,
    register_csv,
    search_register,
)
from discretion.errors import InvalidInput
from discretion.staff.models import Staff

LINK_DAYS = 14


@dataclass(frozen=True)
class Recipient:
    name: str
    organisation: str = ""
    category: str = ""
    address: str = ""


@dataclass(frozen=True)
class Release:
    disclosure: Disclosure
    message: OutboxMessage
    # Shown once to the releasing member of staff, never stored in clear: the link's token
    # and the one-time code to send to the recipient by a separate route.
    link_token: str = ""
    link_code: str = ""


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def disclose(
    actor: Staff,
    *,
    recipient: Recipient,
    channel: Channel,
    content: bytes,
    content_name: str,
    source: str,
    source_id: str = "",
    person_ids: Sequence[int] = (),
    entry_ids: Sequence[int] = (),
    purpose: str = "",
    legal_basis: str = "",
    rules: Sequence[str] = (),
    approved_by: Staff | None = None,
    summary: str = "",
    message_subject: str = "",
    message_body: str = "",
) -> Release:
    """Release `content` to `recipient`: register, queue the send, audit — all or nothing.

    Callers have already decided the release is allowed (policy decision, approvals); this
    function is the only place a release is written, so the register is always complete. It is
    also the last line: a volunteer or student never releases anything (policy 1.2).
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if actor.is_supervised or not actor.is_active:
        raise refuse_supervised_release(actor, person_ids, what=f"{source} {source_id}".strip())
    disclosure = Disclosure.objects.create(
        released_by=actor,
        approved_by=approved_by,
        recipient_name=recipient.name,
        recipient_organisation=recipient.organisation,
        recipient_category=recipient.category,
        recipient_address=recipient.address,
        channel=channel,
        purpose=purpose,
        legal_basis=legal_basis,
        rules=list(rules),
        source=source,
        source_id=str(source_id),
        entry_ids=sorted(set(entry_ids)),
        content_sha256=sha256_hex(content),
        content_bytes=len(content),
        summary=summary[:300],
    )
    DisclosedPerson.objects.bulk_create(
        [DisclosedPerson(disclosure=disclosure, person_id=pid) for pid in sorted(set(person_ids))]
    )
    message = _queue_message(
        disclosure, recipient, channel, content, content_name, subject=message_subject, body=message_body
    )
    token, code = _secure_link(message) if channel == Channel.SECURE_LINK else ("", "")
    audit.record_for_people(
        actor.pk,
        "disclosure.released",
        person_ids,
        object_type="disclosure",
        object_id=disclosure.pk,
        details={
            "channel": str(channel),
            "source": source,
            "source_id": str(source_id),
            "entries": sorted(set(entry_ids)),
            "sha256": disclosure.content_sha256,
        },
    )
    return Release(disclosure, message, token, code)


def _queue_message(
    disclosure: Disclosure,
    recipient: Recipient,
    channel: Channel,
    content: bytes,
    content_name: str,
    *,
    subject: str,
    body: str,
) -> OutboxMessage:
    """The outbox message that carries the release; sent later by `deliver_pending`."""
    if channel == Channel.SECURE_LINK:
        # The e-mail carries the link, which the delivery worker writes in place of the
        # placeholder (links.py); the one-time code goes by another route (shown once to staff),
        # so the link alone opens nothing.
        body = f"{body}\n\nDownload: {links.PLACEHOLDER}\n".lstrip()
    return OutboxMessage.objects.create(
        disclosure=disclosure,
        channel=channel,
        recipient_address=recipient.address,
        subject=subject[:200],
        body=body,
        payload=content,
        payload_name=content_name[:200],
        payload_type=files.content_type_for(content_name, content),
    )


def _secure_link(message: OutboxMessage) -> tuple[str, str]:
    """The message's download link: (token, one-time code), stored only as digests."""
    salt = links.new_salt()
    token, code = links.token_for(salt), links.new_code()
    SecureLink.objects.create(
        message=message,
        salt=salt,
        token_digest=links.token_digest(token),
        code_digest=links.code_digest(salt, code),
        expires_at=timezone.now() + dt.timedelta(days=LINK_DAYS),
    )
    return token, code


Sender = Callable[[OutboxMessage], None]


def deliver_pending(send: Sender, *, limit: int = 100) -> tuple[int, int]:
    """Send queued messages; each marked sent only after `send` returns. Returns (sent, failed)."""
    sent = failed = 0
    for message_id in list(
        OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED], attempts__lt=10)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    ):
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().get(pk=message_id)
            if message.status == OutboxStatus.SENT:
                continue
            message.attempts += 1
            try:
                send(message)
            except Exception as exc:
                message.status = OutboxStatus.FAILED
                message.last_error = str(exc)[:1000]
                failed += 1
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = timezone.now()
                sent += 1
            message.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    return sent, failed


def shared_with(actor: Staff, ref: str) -> tuple[Any, list[Disclosure]]:
    """ "Who has this child's information been shared with": anyone who may open the person, bar
    volunteers and students (the register is not theirs to read, policy 1.2). Audited against the
    person; the rows say nothing of anyone else they were about."""
    from discretion import access

    view = access.get_person_for(actor, ref=ref)
    if actor.is_supervised:
        raise access.refusal(
            actor,
            "disclosures.recipients_read",
            "Volunteers and students do not read the disclosure register.",
            object_type="person",
            object_id=view.person.pk,
            person_ids=[view.person.pk],
        )
    rows = recipients_of(view.person.pk)
    audit.record(
        actor.pk,
        "disclosures.recipients_read",
        object_type="person",
        object_id=view.person.pk,
        person_id=view.person.pk,
        details={"rows": [d.pk for d in rows]},
    )
    return view.person, rows


def recipients_of(person_id: int) -> list[Disclosure]:
    """Every disclosure about a person (for "who has this child's information been shared with" and
    Article 15(1)(c) recipients). Callers reach this through an access-checked read of the person."""
    return list(
        Disclosure.objects.filter(subjects__person_id=person_id).select_related("released_by", "approved_by")
    )


def refuse_supervised_release(actor: Staff, person_ids: Sequence[int], *, what: str) -> Exception:
    """A volunteer or student tried to send personal data outside the council: refused, audited
    and shown to their responsible member of staff and manager (policy 1.2)."""
    from discretion.access import refusal
    from discretion.staff.alerts import raise_alert
    from discretion.staff.models import AlertKind

    with transaction.atomic():
        if actor.is_supervised and actor.responsible_staff_id is not None:
            raise_alert(
                AlertKind.SUPERVISED_RELEASE,
                about=actor,
                recipient=actor.responsible_staff,
                summary=f"Tried to send personal data outside the council ({what})"[:300],
                evidence={"people": sorted(set(person_ids)), "what": what[:100]},
            )
    return refusal(
        actor,
        "disclosure.release",
        "Volunteers and work-experience students cannot send personal data outside the council. "
        "Ask the member of staff responsible for you.",
        person_ids=person_ids,
        details={"what": what[:100]},
    )


__all__ = [
    "LINK_DAYS",
    "MAX_FAILED_CODES",
    "NOT_VALID",
    "REGISTER_COLUMNS",
    "Download",
    "InvalidInput",
    "LinkRefused",
    "LinkThrottled",
    "Recipient",
    "RegisterQuery",
    "Release",
    "Sender",
    "can_read_register",
    "deliver_pending",
    "disclose",
    "export_register",
    "mark_posted",
    "print_queue",
    "read_register",
    "recipients_of",
    "redeem_link",
    "refuse_supervised_release",
    "register_csv",
    "search_register",
    "sha256_hex",
    "shared_with",
]
