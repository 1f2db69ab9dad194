"""Request endpoints: intake, facts, decision, approvals, tasks, selection, release — the same
services as the pages, so the same rules and audit apply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema, Status
from ninja.errors import HttpError

from discretion import access
from discretion.api import actor
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
    note: str
    callback_number: str = ""
    number_source: str = ""
    outcome: str = ""


class PickIn(Schema):
    entry_id: int
    reason: str


class SelectionIn(Schema):
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


def _bad(exc: Exception) -> HttpError:
    return HttpError(400, str(exc))


@router.post("/", response={201: RequestOut})
def create(request: HttpRequest, payload: IntakeIn) -> Status[Any]:
    staff = actor(request)
    person_ids = []
    for ref in payload.person_refs:
        person_ids.append(access.get_person_for(staff, ref=ref).person.pk)
    try:
        req = services.log_request(
            staff,
            requester=services.Requester(**payload.requester.dict()),
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
    except services.InvalidInput as exc:
        raise _bad(exc) from None
    return Status(201, _out(staff, req))


@router.get("/queue", response=list[RequestOut])
def queue(request: HttpRequest) -> list[RequestOut]:
    staff = actor(request)
    return [_out(staff, r) for r in services.queue_for(staff)]


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
    try:
        req = services.set_facts(staff, request_id, payload)
    except services.InvalidInput as exc:
        raise _bad(exc) from None
    return _out(staff, req)


@router.post("/{request_id}/referral", response=RequestOut)
def referral(request: HttpRequest, request_id: int, payload: ReferralIn) -> RequestOut:
    staff = actor(request)
    try:
        services.decide_referral(staff, request_id, approve=payload.approve, reasoning=payload.reasoning)
    except services.InvalidInput as exc:
        raise _bad(exc) from None
    return _out(staff, services.get_request_for(staff, request_id))


@router.post("/{request_id}/tasks", response=RequestOut)
def task(request: HttpRequest, request_id: int, payload: TaskIn) -> RequestOut:
    staff = actor(request)
    try:
        services.complete_task(
            staff,
            request_id,
            payload.kind,
            note=payload.note,
            callback_number=payload.callback_number,
            number_source=payload.number_source,
            outcome=payload.outcome,
        )
    except services.InvalidInput as exc:
        raise _bad(exc) from None
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
def selection(request: HttpRequest, request_id: int, payload: SelectionIn) -> RequestOut:
    staff = actor(request)
    try:
        services.select_entries(staff, request_id, {p.entry_id: p.reason for p in payload.entries})
    except services.InvalidInput as exc:
        raise _bad(exc) from None
    return _out(staff, services.get_request_for(staff, request_id))


@router.post("/{request_id}/release", response={201: ReleaseOut})
def release(request: HttpRequest, request_id: int, payload: ReleaseIn) -> Status[Any]:
    try:
        result = services.release_request(
            actor(request), request_id, channel=payload.channel, address=payload.address
        )
    except services.InvalidInput as exc:
        raise _bad(exc) from None
    return Status(
        201,
        ReleaseOut(
            disclosure_id=result.disclosure.pk,
            content_sha256=result.disclosure.content_sha256,
            link_token=result.link_token,
            link_code=result.link_code,
        ),
    )
