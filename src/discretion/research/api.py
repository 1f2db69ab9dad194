"""Research request endpoints: the same services as the pages (policy 1.4)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from discretion.api import actor
from discretion.research import commercial, services
from discretion.research.models import ResearchRequest

router = Router(tags=["research"])


class SubmissionIn(Schema):
    title: str
    purpose: str
    lawful_basis: str
    fields: list[str]
    retention: str
    audience: str
    requester_name: str
    is_external: bool = False
    organisation: str = ""
    requester_email: str = ""
    identity_checked: bool = False
    identity_check: str = ""
    entitlement_checked: bool = False
    entitlement_check: str = ""
    wants_pseudonyms: bool = False


class ResearchDecisionIn(Schema):
    approve: bool
    reasons: str
    approve_pseudonyms: bool = False
    k: int | None = None


class ExtractIn(Schema):
    pseudonymised: bool = False


class ResearchRequestOut(Schema):
    id: int
    title: str
    status: str
    fields: list[str]
    is_external: bool
    organisation: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reasons: str
    pseudonyms_approved: bool
    k: int


class ExtractOut(Schema):
    extract_id: int
    disclosure_id: int
    rows: int
    report: dict[str, object]
    link_token: str
    link_code: str
    csv: str


def _out(r: ResearchRequest) -> ResearchRequestOut:
    return ResearchRequestOut(
        id=r.pk,
        title=r.title,
        status=r.status,
        fields=r.fields,
        is_external=r.is_external,
        organisation=r.organisation,
        submitted_at=r.submitted_at,
        decided_at=r.decided_at,
        decision_reasons=r.decision_reasons,
        pseudonyms_approved=r.pseudonyms_approved,
        k=r.k,
    )


@router.post("/requests", response={201: ResearchRequestOut})
def submit(request: HttpRequest, payload: SubmissionIn) -> Status[ResearchRequestOut]:
    try:
        req = services.submit_request(actor(request), services.Submission(**payload.dict()))
    except services.InvalidInput as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, _out(req))


@router.get("/requests", response=list[ResearchRequestOut])
def list_requests(request: HttpRequest) -> list[ResearchRequestOut]:
    return [_out(r) for r in services.requests_for(actor(request))[:500]]


@router.get("/requests/{request_id}", response=ResearchRequestOut)
def get_request(request: HttpRequest, request_id: int) -> ResearchRequestOut:
    return _out(services.get_request_for(actor(request), request_id))


@router.post("/requests/{request_id}/decision", response=ResearchRequestOut)
def decide(request: HttpRequest, request_id: int, payload: ResearchDecisionIn) -> ResearchRequestOut:
    try:
        return _out(
            services.decide_request(
                actor(request),
                request_id,
                approve=payload.approve,
                reasons=payload.reasons,
                approve_pseudonyms=payload.approve_pseudonyms,
                k=payload.k,
            )
        )
    except services.InvalidInput as exc:
        raise HttpError(400, str(exc)) from None


@router.post("/requests/{request_id}/extracts", response={201: ExtractOut, 409: dict[str, object]})
def extract(request: HttpRequest, request_id: int, payload: ExtractIn) -> Status[object]:
    try:
        result = services.make_extract(actor(request), request_id, pseudonymised=payload.pseudonymised)
    except services.ExtractRefused as exc:
        return Status(409, {"detail": str(exc), "report": exc.report.as_dict()})
    except services.InvalidInput as exc:
        raise HttpError(400, str(exc)) from None
    return Status(
        201,
        ExtractOut(
            extract_id=result.extract.pk,
            disclosure_id=result.release.disclosure.pk,
            rows=result.extract.rows,
            report=result.extract.report,
            link_token=result.release.link_token,
            link_code=result.release.link_code,
            csv=result.content.decode(),
        ),
    )


class CommercialOut(Schema):
    id: int
    title: str
    kind: str
    counterparty: str
    team: str | None
    text: str | None


@router.get("/commercial", response=list[CommercialOut])
def commercial_records(request: HttpRequest) -> list[CommercialOut]:
    return [
        CommercialOut(
            id=r.pk,
            title=r.title,
            kind=r.kind,
            counterparty=r.counterparty,
            team=r.team.name if r.team else None,
            text=None,
        )
        for r in commercial.records_for(actor(request))
    ]


@router.get("/commercial/{record_id}", response=CommercialOut)
def commercial_record(request: HttpRequest, record_id: int) -> CommercialOut:
    r = commercial.get_record_for(actor(request), record_id)
    return CommercialOut(
        id=r.pk,
        title=r.title,
        kind=r.kind,
        counterparty=r.counterparty,
        team=r.team.name if r.team else None,
        text=r.text,
    )
