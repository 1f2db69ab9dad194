"""Disclosure register endpoints: search (IGO, team managers) and a person's recipients."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from discretion.api import actor
from discretion.disclosures import letters, sent, services
from discretion.disclosures.models import Disclosure, OutboxMessage

router = Router(tags=["disclosures"])


class DisclosureOut(Schema):
    id: int
    released_at: dt.datetime
    people: list[str]
    recipient_name: str
    recipient_organisation: str
    recipient_category: str
    channel: str
    purpose: str
    legal_basis: str
    rules: list[str]
    entry_ids: list[int]
    content_sha256: str
    released_by: str
    approved_by: str | None
    source: str
    source_id: str


def _out(d: Disclosure) -> DisclosureOut:
    return DisclosureOut(
        id=d.pk,
        released_at=d.released_at,
        people=[s.person.ref for s in d.subjects.all()],
        recipient_name=d.recipient_name,
        recipient_organisation=d.recipient_organisation,
        recipient_category=d.recipient_category,
        channel=d.channel,
        purpose=d.purpose,
        legal_basis=d.legal_basis,
        rules=list(d.rules),
        entry_ids=list(d.entry_ids),
        content_sha256=d.content_sha256,
        released_by=d.released_by.username,
        approved_by=d.approved_by.username if d.approved_by else None,
        source=d.source,
        source_id=d.source_id,
    )


@router.get("/", response=list[DisclosureOut])
def register(
    request: HttpRequest,
    person: str = "",
    recipient: str = "",
    released_from: dt.date | None = None,
    released_to: dt.date | None = None,
    basis: str = "",
) -> list[DisclosureOut]:
    query = services.RegisterQuery(
        person_ref=person,
        recipient=recipient,
        released_from=released_from,
        released_to=released_to,
        basis=basis,
    )
    return [_out(d) for d in services.read_register(actor(request), query)]


@router.get("/people/{ref}", response=list[DisclosureOut])
def shared_with(request: HttpRequest, ref: str) -> list[DisclosureOut]:
    person, rows = services.shared_with(actor(request), ref)
    # The person asked about only: who else a release was about is not theirs to learn here.
    return [_out(d).model_copy(update={"people": [person.ref]}) for d in rows]


# --- the print queue ------------------------------------------------------------------


class PostedLetterOut(Schema):
    id: int
    disclosure_id: int
    released_at: dt.datetime
    recipient_name: str
    recipient_organisation: str
    address: str
    released_by: str
    file_name: str
    posted_on: dt.date | None
    postal_reference: str


class PostedIn(Schema):
    posted_on: dt.date
    reference: str = ""


def _letter(m: OutboxMessage) -> PostedLetterOut:
    d = m.disclosure
    assert d is not None
    return PostedLetterOut(
        id=m.pk,
        disclosure_id=d.pk,
        released_at=d.released_at,
        recipient_name=d.recipient_name,
        recipient_organisation=d.recipient_organisation,
        address=m.recipient_address,
        released_by=d.released_by.username,
        file_name=m.payload_name,
        posted_on=m.posted_on,
        postal_reference=m.postal_reference,
    )


@router.get("/print-queue", response=list[PostedLetterOut])
def print_queue(request: HttpRequest) -> list[PostedLetterOut]:
    """Letters released by post and not yet posted (an IGO sees all; others, those they released)."""
    return [_letter(m) for m in services.print_queue(actor(request))]


@router.get("/print-queue/{message_id}/letter")
def print_letter(request: HttpRequest, message_id: int) -> HttpResponse:
    """The released content, to print; audited against each person it holds."""
    from discretion.disclosures.views import letter_download

    message = letters.open_letter_for(actor(request), message_id)
    return letter_download(message)


@router.post("/print-queue/{message_id}/posted", response=PostedLetterOut)
def letter_posted(request: HttpRequest, message_id: int, payload: PostedIn) -> PostedLetterOut:
    try:
        message = services.mark_posted(
            actor(request), message_id, posted_on=payload.posted_on, reference=payload.reference
        )
    except services.InvalidInput as exc:
        raise HttpError(400, str(exc)) from None
    return _letter(message)


# --- secure links sent ------------------------------------------------------------------


class SentLinkOut(Schema):
    id: int
    disclosure_id: int
    sent_at: dt.datetime
    released_by: str
    recipient_name: str
    recipient_organisation: str
    address: str
    summary: str
    status: str
    expires_at: dt.datetime
    downloads: int
    opened_at: dt.datetime | None
    revoked_at: dt.datetime | None


class RevokeIn(Schema):
    reason: str


def _sent(row: sent.SentLink) -> SentLinkOut:
    d, link = row.disclosure, row.link
    return SentLinkOut(
        id=link.pk,
        disclosure_id=d.pk,
        sent_at=d.released_at,
        released_by=d.released_by.username,
        recipient_name=d.recipient_name,
        recipient_organisation=d.recipient_organisation,
        address=d.recipient_address,
        summary=d.summary,
        status=row.status.value,
        expires_at=link.expires_at,
        downloads=link.downloads,
        opened_at=link.opened_at,
        revoked_at=link.revoked_at,
    )


@router.get("/links", response=list[SentLinkOut])
def links(request: HttpRequest) -> list[SentLinkOut]:
    """Secure links you sent (an IGO: every one), with status: queued, sent, opened, downloaded,
    expired or revoked."""
    return [_sent(row) for row in sent.links_sent(actor(request))]


@router.post("/links/{link_id}/revoke", response=SentLinkOut)
def revoke_link(request: HttpRequest, link_id: int, payload: RevokeIn) -> SentLinkOut:
    """Revoke a link you sent (an IGO: any link) before it expires; it refuses every download."""
    staff = actor(request)
    try:
        sent.revoke_link(staff, link_id, reason=payload.reason)
    except sent.InvalidInput as exc:
        raise HttpError(400, str(exc)) from None
    return _sent(sent.get_link_for(staff, link_id))
