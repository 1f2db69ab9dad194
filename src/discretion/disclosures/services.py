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

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from discretion.csv_cells import safe_cell
from discretion.disclosures import files, links
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
    if channel == Channel.SECURE_LINK:
        # The e-mail carries the link, which the delivery worker writes in place of the
        # placeholder (links.py); the one-time code goes by another route (shown once to staff),
        # so the link alone opens nothing.
        message_body = f"{message_body}\n\nDownload: {links.PLACEHOLDER}\n".lstrip()
    message = OutboxMessage.objects.create(
        disclosure=disclosure,
        channel=channel,
        recipient_address=recipient.address,
        subject=message_subject[:200],
        body=message_body,
        payload=content,
        payload_name=content_name[:200],
        payload_type=files.content_type_for(content_name, content),
    )
    token = code = ""
    if channel == Channel.SECURE_LINK:
        salt = links.new_salt()
        token, code = links.token_for(salt), links.new_code()
        SecureLink.objects.create(
            message=message,
            salt=salt,
            token_digest=links.token_digest(token),
            code_digest=links.code_digest(salt, code),
            expires_at=timezone.now() + dt.timedelta(days=LINK_DAYS),
        )
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


# --- the secure download link -------------------------------------------------------------

MAX_FAILED_CODES = 5
REFUSED = "disclosure.download_refused"
NOT_VALID = "This link is not valid."


class LinkRefused(Exception):
    """The link cannot be used (unknown, expired, revoked, used up, locked, or a wrong code)."""


class LinkThrottled(LinkRefused):
    """Too many refused attempts from the recipient's address: everything is refused for a while."""


@dataclass(frozen=True)
class Download:
    content: bytes
    name: str
    content_type: str
    disclosure_id: int | None


def _refusal_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "DISCRETION_DOWNLOAD_REFUSALS", 10)),
        int(getattr(settings, "DISCRETION_DOWNLOAD_REFUSAL_MINUTES", 15)),
    )


def _is_throttled(address: str) -> bool:
    """Too many refusals from this address lately, counted in the audit log itself (so every
    process sees the same count and the count cannot be reset by a restart)."""
    limit, minutes = _refusal_limit()
    if not address or limit <= 0:
        return False
    since = (timezone.now() - dt.timedelta(minutes=minutes)).astimezone(dt.UTC)
    recent = AuditEvent.objects.filter(
        action=REFUSED, ip=address, at__gte=since.isoformat(timespec="microseconds")
    )
    return len(recent.values_list("seq", flat=True)[:limit]) >= limit


def _refuse(
    reason: str, *, disclosure_id: int | None = None, details: dict[str, object] | None = None
) -> None:
    audit.record(
        None,
        REFUSED,
        object_type="disclosure",
        object_id=disclosure_id if disclosure_id is not None else "",
        reason=reason,
        details=details or {},
    )


def redeem_link(token: str, code: str) -> Download:
    """The recipient opens a secure link with its separately-sent code; every attempt is audited.

    Refused, and audited, for: too many refusals from the address (first, so even the right code
    is refused then), an unknown link (the presented token is never written down), a withdrawn,
    expired, used-up or locked link, and a wrong code. A wrong code counts towards the link's lock
    after `MAX_FAILED_CODES`; the count is committed even though the download is refused."""
    from discretion.audit.context import current_context

    address = current_context().ip
    with transaction.atomic():
        if _is_throttled(address):
            minutes = _refusal_limit()[1]
            reason = f"Too many attempts. Try again in {minutes} minutes."
            _refuse(reason, details={"throttled": True})
            outcome: Download | LinkRefused = LinkThrottled(reason)
        else:
            outcome = _redeem(token, code)
    if isinstance(outcome, LinkRefused):
        raise outcome
    return outcome


def _redeem(token: str, code: str) -> Download | LinkRefused:
    link = (
        SecureLink.objects.select_for_update()
        .select_related("message")
        .filter(token_digest=links.token_digest(token))
        .first()
    )
    if link is None:
        _refuse(NOT_VALID, details={"link": None})
        return LinkRefused(NOT_VALID)
    disclosure_id = link.message.disclosure_id
    refusal = ""
    if link.revoked:
        refusal = "This link has been withdrawn."
    elif link.expires_at <= timezone.now():
        refusal = "This link has expired. Ask the council for a new one."
    elif link.failed_codes >= MAX_FAILED_CODES:
        refusal = "This link is locked after too many wrong codes. Ask the council for a new one."
    elif link.downloads >= link.max_downloads:
        refusal = "This link has been used the maximum number of times."
    elif not links.code_matches(link, code):
        link.failed_codes += 1
        link.save(update_fields=["failed_codes"])
        refusal = "The code is not correct."
    if refusal:
        _refuse(
            refusal, disclosure_id=disclosure_id, details={"link": link.pk, "failed_codes": link.failed_codes}
        )
        return LinkRefused(refusal)
    link.downloads += 1
    link.save(update_fields=["downloads"])
    people: list[int] = (
        list(DisclosedPerson.objects.filter(disclosure_id=disclosure_id).values_list("person_id", flat=True))
        if disclosure_id is not None
        else []
    )
    audit.record_for_people(
        None,
        "disclosure.downloaded",
        people,
        object_type="disclosure",
        object_id=disclosure_id,
        details={"link": link.pk, "download": link.downloads},
    )
    message = link.message
    content_type = message.payload_type or files.content_type_for(
        message.payload_name, bytes(message.payload)
    )
    return Download(bytes(message.payload), message.payload_name, content_type, disclosure_id)


# --- the register -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterQuery:
    person_ref: str = ""
    recipient: str = ""
    released_from: dt.date | None = None
    released_to: dt.date | None = None
    basis: str = ""


def search_register(
    query: RegisterQuery, *, limit: int = 500, team_ids: Sequence[int] | None = None
) -> list[Disclosure]:
    """Register rows matching the query, newest first. Callers check the actor may read the register.
    With `team_ids` (a team manager's teams), only releases by those teams' staff or about people in
    those teams' cases: need to know, not the whole council's register."""
    from django.db.models import Q

    rows = Disclosure.objects.select_related("released_by", "approved_by").prefetch_related(
        "subjects__person"
    )
    if team_ids is not None:
        rows = rows.filter(
            Q(released_by__team_id__in=team_ids)
            | Q(subjects__person__case_memberships__case__team_id__in=team_ids)
        )
    if query.person_ref:
        rows = rows.filter(subjects__person__ref=query.person_ref.strip())
    if query.recipient:
        term = query.recipient.strip()
        rows = rows.filter(Q(recipient_name__icontains=term) | Q(recipient_organisation__icontains=term))
    if query.released_from:
        rows = rows.filter(released_at__date__gte=query.released_from)
    if query.released_to:
        rows = rows.filter(released_at__date__lte=query.released_to)
    if query.basis:
        term = query.basis.strip()
        rows = rows.filter(
            Q(legal_basis__icontains=term) | Q(purpose__icontains=term) | Q(rules__icontains=term)
        )
    return list(rows.distinct().order_by("-released_at", "-id")[:limit])


REGISTER_COLUMNS = (
    "id",
    "released_at",
    "people",
    "recipient_name",
    "recipient_organisation",
    "recipient_category",
    "channel",
    "purpose",
    "rules",
    "legal_basis",
    "entry_ids",
    "content_sha256",
    "released_by",
    "approved_by",
    "source",
    "source_id",
)


def register_csv(rows: Sequence[Disclosure]) -> str:
    """The register as CSV; cells that a spreadsheet would run as a formula are neutralised."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REGISTER_COLUMNS)
    for d in rows:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    d.pk,
                    d.released_at.isoformat(),
                    " ".join(s.person.ref for s in d.subjects.all()),
                    d.recipient_name,
                    d.recipient_organisation,
                    d.recipient_category,
                    d.channel,
                    d.purpose,
                    " ".join(d.rules),
                    d.legal_basis,
                    " ".join(str(e) for e in d.entry_ids),
                    d.content_sha256,
                    d.released_by.username,
                    d.approved_by.username if d.approved_by else "",
                    d.source,
                    d.source_id,
                )
            ]
        )
    return out.getvalue()


def can_read_register(actor: Staff) -> bool:
    from discretion.staff.models import Role

    return actor.role in {Role.IGO, Role.TEAM_MANAGER} and not actor.is_supervised and actor.is_active


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


def _register_rows(actor: Staff, query: RegisterQuery, *, action: str) -> list[Disclosure]:
    from discretion.access import refusal
    from discretion.staff.models import Role

    if not can_read_register(actor):
        raise refusal(
            actor,
            action,
            "Only information governance officers and team managers can read the register.",
            object_type="register",
        )
    teams = (
        list(actor.managed_teams.values_list("id", flat=True)) if actor.role == Role.TEAM_MANAGER else None
    )
    rows = search_register(query, team_ids=teams)
    # Every person on the rows shown, so the read appears on "who has looked at this record".
    audit.record_for_people(
        actor.pk,
        action,
        {s.person_id for d in rows for s in d.subjects.all()},
        object_type="register",
        details={
            "person": query.person_ref,
            "recipient": bool(query.recipient),
            "basis": query.basis,
            "rows": [d.pk for d in rows],
        },
    )
    return rows


def read_register(actor: Staff, query: RegisterQuery) -> list[Disclosure]:
    """Information governance and team managers search the register (policy 1.1); audited."""
    return _register_rows(actor, query, action="disclosures.register_read")


def export_register(actor: Staff, query: RegisterQuery) -> str:
    """The register rows as CSV, for the same readers; audited as an export."""
    return register_csv(_register_rows(actor, query, action="disclosures.register_exported"))


# --- the print queue: releases by post -------------------------------------------------


class InvalidInput(ValueError):
    """Bad input from the user; the message says what to enter."""


def print_queue(actor: Staff) -> list[OutboxMessage]:
    """Letters released by post and not yet recorded as posted, oldest first: an information
    governance officer sees every one, anyone else the letters they released. Audited (ids)."""
    from discretion.access import refusal
    from discretion.staff.models import Role

    if not actor.is_active or actor.is_supervised:
        raise refusal(actor, "disclosures.print_queue", "Volunteers and students cannot print releases.")
    rows = (
        OutboxMessage.objects.filter(channel=Channel.POST, posted_on__isnull=True, disclosure__isnull=False)
        .select_related("disclosure", "disclosure__released_by")
        .order_by("created_at", "pk")
    )
    if actor.role != Role.IGO:
        rows = rows.filter(disclosure__released_by=actor)
    letters = list(rows[:500])
    audit.record_for_people(
        actor.pk,
        "disclosures.print_queue_read",
        DisclosedPerson.objects.filter(disclosure__in=[m.disclosure_id for m in letters]).values_list(
            "person_id", flat=True
        ),
        object_type="print_queue",
        details={"rows": [m.pk for m in letters]},
    )
    return letters


@transaction.atomic
def mark_posted(actor: Staff, message_id: int, *, posted_on: dt.date, reference: str = "") -> OutboxMessage:
    """Record that a letter released by post has been posted (and its tracking number): it
    leaves the print queue, and the register shows when it went."""
    from discretion.access import NotFound, may_handle_letter

    message = (
        OutboxMessage.objects.select_for_update()
        .select_related("disclosure")
        .filter(pk=message_id, channel=Channel.POST, disclosure__isnull=False)
        .first()
    )
    if message is None or message.disclosure is None:
        raise NotFound("No such letter.")
    if not may_handle_letter(actor, message.disclosure.released_by_id):
        from discretion.access import refusal

        refusal(
            actor,
            "disclosure.posted",
            "No such letter.",
            object_type="disclosure",
            object_id=message.disclosure_id,
        )
        raise NotFound("No such letter.")  # the same answer as for a letter that does not exist
    if message.posted_on is not None:
        raise InvalidInput(f"This letter was recorded as posted on {message.posted_on:%d %B %Y}")
    released_on = timezone.localdate(message.disclosure.released_at)
    if posted_on > timezone.localdate():
        raise InvalidInput("Date posted must be today or in the past")
    if posted_on < released_on:
        raise InvalidInput(f"Date posted must be on or after the day it was released, {released_on:%d %B %Y}")
    reference = reference.strip()
    if len(reference) > 40:
        raise InvalidInput("Tracking number must be 40 characters or fewer")
    message.posted_on, message.posted_by, message.postal_reference = posted_on, actor, reference
    message.save(update_fields=["posted_on", "posted_by", "postal_reference"])
    audit.record_for_people(
        actor.pk,
        "disclosure.posted",
        message.disclosure.subjects.values_list("person_id", flat=True),
        object_type="disclosure",
        object_id=message.disclosure.pk,
        details={"message": message.pk, "posted_on": posted_on.isoformat(), "tracked": bool(reference)},
    )
    return message
