"""Request endpoints: intake, facts, decision, approvals, tasks, selection, release — the same
services as the pages, so the same rules and audit apply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Body, File, Form, Router, Schema, Status, UploadedFile

from discretion import access
from discretion.api import actor
from discretion.errors import InvalidInput
from discretion.requests import services
from discretion.requests.models import Request
from discretion.staff.models import Staff

router = Router(tags=["requests"])


class RequesterIn(Schema):
    name: str
    category: str
    organisation: str = ""
    role: str = ""
    contact: str = ""
    works_with_child: bool = False
    colleague: str = ""  # a colleague asking: their username or council e-mail address


class IntakeIn(Schema):
    requester: RequesterIn
    channel: str
    person_refs: list[str] = []
    information: list[str] = []
    purpose: str = "other"
    summary: str = ""
    in_writing: bool | None = None
    consent: str = "none"
    claims_legal_right: bool = False
    in_doubt: bool = False


class RequestOut(Schema):
    id: int
    state: str
    received_at: dt.datetime
    requester_name: str
    requester_organisation: str
    subjects: list[str]
    facts: dict[str, Any]
    decision: dict[str, Any]
    open_tasks: list[str]
    unmet_conditions: list[str]
    disclosure_id: int | None


class ReferralIn(Schema):
    approve: bool
    reasoning: str


class TaskIn(Schema):
    kind: str
    note: str = ""
    callback_number: str = ""
    number_source: str = ""
    outcome: str = ""
    reason: str = ""  # why the child was not told (outcome not_possible, risk or understanding)


class PickIn(Schema):
    entry_id: int
    reason: str


class EntryPicksIn(Schema):
    entries: list[PickIn]


class ReleaseIn(Schema):
    channel: str
    address: str


class ReleaseOut(Schema):
    disclosure_id: int
    content_sha256: str
    link_token: str
    link_code: str


def _out(staff: Staff, req: Request) -> RequestOut:
    return RequestOut(
        id=req.pk,
        state=req.state,
        received_at=req.received_at,
        requester_name=req.requester_name,
        requester_organisation=req.requester_organisation,
        subjects=services.subject_refs(staff, req),
        facts=req.facts,
        decision=req.decision,
        open_tasks=services.open_tasks(req),
        unmet_conditions=services.unmet_conditions(req) if req.outcome != "refuse" else [],
        disclosure_id=req.disclosure_id,
    )


@router.post("/", response={201: RequestOut})
def create(request: HttpRequest, payload: IntakeIn) -> Status[Any]:
    staff = actor(request)
    person_ids = []
    for ref in payload.person_refs:
        person_ids.append(access.get_person_for(staff, ref=ref).person.pk)
    req = services.log_request(
        staff,
        requester=services.RequesterDetails(**payload.requester.dict()),
        channel=payload.channel,
        person_ids=person_ids,
        information=payload.information,
        purpose=payload.purpose,
        summary=payload.summary,
        in_writing=payload.in_writing,
        consent=payload.consent,
        claims_legal_right=payload.claims_legal_right,
        in_doubt=payload.in_doubt,
    )
    return Status(201, _out(staff, req))


@router.get("/queue", response=list[RequestOut])
def queue(request: HttpRequest) -> list[RequestOut]:
    staff = actor(request)
    return [_out(staff, r) for r in services.queue_for(staff)]


# --- documents and the second pair of eyes ----------------------------------------------------


class DocumentOut(Schema):
    id: int
    request_id: int
    code: str
    name: str
    uploaded_at: dt.datetime
    checked: bool
    accepted: bool | None
    checked_by_id: int | None
    check_note: str


class DocumentCheckIn(Schema):
    accept: bool
    note: str


class RecordAccessIn(Schema):
    reason: str


class RecordAccessDecisionIn(Schema):
    approve: bool
    reasoning: str


class ChecksOut(Schema):
    documents: list[DocumentOut]
    record_access: list[int]


def _document(d: Any) -> DocumentOut:
    return DocumentOut(
        id=d.pk,
        request_id=d.request_id,
        code=d.code,
        name=d.original_name,
        uploaded_at=d.uploaded_at,
        checked=d.checked_at is not None,
        accepted=d.accepted,
        checked_by_id=d.checked_by_id,
        check_note=d.check_note,
    )


@router.get("/checks", response=ChecksOut)
def checks(request: HttpRequest) -> ChecksOut:
    """Documents waiting for your check and handlers asking you to agree to open records."""
    documents, asking = services.checks_for(actor(request))
    return ChecksOut(documents=[_document(d) for d in documents], record_access=[r.pk for r in asking])


@router.get("/{request_id}", response=RequestOut)
def read(request: HttpRequest, request_id: int) -> RequestOut:
    staff = actor(request)
    return _out(staff, services.get_request_for(staff, request_id))


@router.get("/{request_id}/decision", response=dict[str, Any])
def decision(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return dict(services.get_request_for(actor(request), request_id).decision)


@router.patch("/{request_id}/facts", response=RequestOut)
def facts(request: HttpRequest, request_id: int, payload: Body[dict[str, Any]]) -> RequestOut:
    staff = actor(request)
    services.get_request_for(staff, request_id)
    req = services.set_facts(staff, request_id, payload)
    return _out(staff, req)


@router.post("/{request_id}/referral", response=RequestOut)
def referral(request: HttpRequest, request_id: int, payload: ReferralIn) -> RequestOut:
    staff = actor(request)
    services.decide_referral(staff, request_id, approve=payload.approve, reasoning=payload.reasoning)
    return _out(staff, services.get_request_for(staff, request_id))


@router.post("/{request_id}/tasks", response=RequestOut)
def task(request: HttpRequest, request_id: int, payload: TaskIn) -> RequestOut:
    staff = actor(request)
    services.complete_task(
        staff,
        request_id,
        payload.kind,
        note=payload.note,
        callback_number=payload.callback_number,
        number_source=payload.number_source,
        outcome=payload.outcome,
        reason=payload.reason,
    )
    return _out(staff, services.get_request_for(staff, request_id))


@router.get("/{request_id}/candidates", response=list[dict[str, Any]])
def candidates(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    staff = actor(request)
    req = services.get_request_for(staff, request_id)
    return [
        {
            "entry_id": c.entry.pk,
            "kind": c.entry.kind,
            "occurred_on": c.entry.occurred_on.isoformat(),
            "allowed": c.allowed,
            "withheld_because": c.withheld_because,
        }
        for c in services.candidates_for(staff, req)
    ]


@router.put("/{request_id}/selection", response=RequestOut)
def selection(request: HttpRequest, request_id: int, payload: EntryPicksIn) -> RequestOut:
    staff = actor(request)
    services.select_entries(staff, request_id, {p.entry_id: p.reason for p in payload.entries})
    return _out(staff, services.get_request_for(staff, request_id))


@router.post("/{request_id}/release", response={201: ReleaseOut})
def release(request: HttpRequest, request_id: int, payload: ReleaseIn) -> Status[Any]:
    result = services.release_request(
        actor(request), request_id, channel=payload.channel, address=payload.address
    )
    return Status(
        201,
        ReleaseOut(
            disclosure_id=result.disclosure.pk,
            content_sha256=result.disclosure.content_sha256,
            link_token=result.link_token,
            link_code=result.link_code,
        ),
    )


@router.get("/{request_id}/documents", response=list[DocumentOut])
def documents(request: HttpRequest, request_id: int) -> list[DocumentOut]:
    req = services.get_request_for(actor(request), request_id)
    return [_document(d) for d in req.documents.order_by("uploaded_at", "id")]


@router.post("/{request_id}/documents", response={201: DocumentOut})
def add_document(
    request: HttpRequest, request_id: int, code: Form[str], file: File[UploadedFile]
) -> Status[DocumentOut]:
    """The handler attaches a document that came with the request (a PDF, image or Word file). It
    counts only once a second person has checked it."""
    from discretion.requests import documents as documents_
    from discretion.uploads import sniff_content_type

    staff = actor(request)
    services.get_request_for(staff, request_id)
    if file.size is None or file.size > settings.ATTACHMENT_MAX_BYTES:
        raise InvalidInput(
            f"The file must be smaller than {settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}MB"
        )
    head = file.read(16)
    file.seek(0)
    content_type = sniff_content_type(file.name or "", head)
    if content_type is None:
        raise InvalidInput("The file must be a PDF, PNG, JPEG or Word document")
    doc = documents_.add_document(
        staff,
        request_id,
        code,
        file,
        name=file.name or "document",
        content_type=content_type,
        size=file.size,
    )
    return Status(201, _document(doc))


@router.post("/{request_id}/documents/{document_id}/check", response=DocumentOut)
def check_document(
    request: HttpRequest, request_id: int, document_id: int, payload: DocumentCheckIn
) -> DocumentOut:
    """Legal Services (a court order) or information governance (the rest) check a document."""
    from discretion.requests import documents as documents_

    staff = actor(request)
    services.get_request_for(staff, request_id)
    doc = documents_.check_document(staff, request_id, document_id, accept=payload.accept, note=payload.note)
    return _document(doc)


@router.post("/{request_id}/record-access", response={201: dict[str, Any]})
def ask_record_access(request: HttpRequest, request_id: int, payload: RecordAccessIn) -> Status[Any]:
    """The handler asks their team manager or information governance to agree to their opening the
    records the request is about (four eyes)."""
    staff = actor(request)
    services.get_request_for(staff, request_id)
    row = services.ask_for_record_access(staff, request_id, reason=payload.reason)
    return Status(201, {"request_id": request_id, "asked_at": row.asked_at.isoformat(), "status": "asked"})


@router.post("/{request_id}/record-access/decision", response=dict[str, Any])
def decide_record_access(request: HttpRequest, request_id: int, payload: RecordAccessDecisionIn) -> Any:
    staff = actor(request)
    services.get_request_for(staff, request_id)
    row = services.decide_record_access(
        staff, request_id, approve=payload.approve, reasoning=payload.reasoning
    )
    return {
        "request_id": request_id,
        "approved": row.approved,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
    }
