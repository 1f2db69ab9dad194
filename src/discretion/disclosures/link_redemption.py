"""The secure download link: a recipient redeems the link with its one-time code; wrong codes lock
it, and too many refusals from one address throttle it. Every refusal is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from discretion.disclosures import files, links
from discretion.disclosures.models import (
    DisclosedPerson,
    SecureLink,
)

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


def is_throttled(address: str) -> bool:
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


def refuse_download(
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
        if is_throttled(address):
            minutes = _refusal_limit()[1]
            reason = f"Too many attempts. Try again in {minutes} minutes."
            refuse_download(reason, details={"throttled": True})
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
        refuse_download(NOT_VALID, details={"link": None})
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
        refuse_download(
            refusal, disclosure_id=disclosure_id, details={"link": link.pk, "failed_codes": link.failed_codes}
        )
        return LinkRefused(refusal)
    link.downloads += 1
    link.downloaded_at = timezone.now()
    link.opened_at = link.opened_at or link.downloaded_at
    link.save(update_fields=["downloads", "downloaded_at", "opened_at"])
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
