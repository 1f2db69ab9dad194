"""The one door out: every release is registered and queued in ONE transaction.

`disclose` writes the register entry, the people it concerns, the outbox message and (for the
secure-link channel) the link, then audits. A crash can leave all of them or none of them; the
actual send happens later from the outbox (`deliver_pending`), so a failed send never loses the
record of what was released. Plain internet e-mail is not a channel (policy 1.1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from discretion.audit import services as audit
from discretion.disclosures.models import (
    Channel,
    DisclosedPerson,
    Disclosure,
    OutboxMessage,
    OutboxStatus,
    SecureLink,
)
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
    function is the only place a release is written, so the register is always complete.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    disclosure = Disclosure.objects.create(
        released_by=actor, approved_by=approved_by, recipient_name=recipient.name,
        recipient_organisation=recipient.organisation, recipient_category=recipient.category,
        recipient_address=recipient.address, channel=channel, purpose=purpose, legal_basis=legal_basis,
        rules=list(rules), source=source, source_id=str(source_id), entry_ids=sorted(set(entry_ids)),
        content_sha256=sha256_hex(content), content_bytes=len(content), summary=summary[:300],
    )
    DisclosedPerson.objects.bulk_create(
        [DisclosedPerson(disclosure=disclosure, person_id=pid) for pid in sorted(set(person_ids))]
    )
    message = OutboxMessage.objects.create(
        disclosure=disclosure, channel=channel, recipient_address=recipient.address,
        subject=message_subject[:200], body=message_body, payload=content, payload_name=content_name[:200],
    )
    token = code = ""
    if channel == Channel.SECURE_LINK:
        token = secrets.token_urlsafe(32)
        code = f"{secrets.randbelow(10**6):06d}"
        SecureLink.objects.create(
            message=message, token_sha256=sha256_hex(token.encode()), code_sha256=sha256_hex(code.encode()),
            expires_at=timezone.now() + dt.timedelta(days=LINK_DAYS),
        )
    for pid in sorted(set(person_ids)) or [None]:
        audit.record(actor.pk, "disclosure.released", object_type="disclosure", object_id=disclosure.pk,
                     person_id=pid, details={"channel": str(channel), "source": source, "source_id": str(source_id),
                                             "entries": sorted(set(entry_ids)), "sha256": disclosure.content_sha256})
    return Release(disclosure, message, token, code)


Sender = Callable[[OutboxMessage], None]


def deliver_pending(send: Sender, *, limit: int = 100) -> tuple[int, int]:
    """Send queued messages; each marked sent only after `send` returns. Returns (sent, failed)."""
    sent = failed = 0
    for message_id in list(
        OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED], attempts__lt=10)
        .order_by("id").values_list("id", flat=True)[:limit]
    ):
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().get(pk=message_id)
            if message.status == OutboxStatus.SENT:
                continue
            message.attempts += 1
            try:
                send(message)
            except Exception as exc:  # noqa: BLE001  (any transport failure: retried later)
                message.status = OutboxStatus.FAILED
                message.last_error = str(exc)[:1000]
                failed += 1
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = timezone.now()
                sent += 1
            message.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    return sent, failed


def recipients_of(person_id: int) -> list[Disclosure]:
    """Every disclosure about a person (for "who has this child's information been shared with" and
    Article 15(1)(c) recipients). Callers reach this through an access-checked read of the person."""
    return list(Disclosure.objects.filter(subjects__person_id=person_id).select_related("released_by",
                                                                                        "approved_by"))
