"""FOI/EIR and subject-access endpoints: the same services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from discretion.api import actor
from discretion.information_rights import foi_letters, representation, services
from discretion.information_rights import review as redaction_review
from discretion.information_rights.models import InfoRequest, SarCase, SarEvidence, SarReview

router = Router(tags=["information rights"])


class RequestIn(Schema):
    requester_name: str
    requester_contact: str
    channel: str
    wording: str
    regime: str = "foi"
    received_on: dt.date | None = None
    received_on_reason: str = ""


class InformationRequestOut(Schema):
    id: int
    ref: str
    regime: str
    received_on: dt.date
    due_on: dt.date
    on_hold: str  # "clarification" or "fee" while the clock is stopped, else ""
    service_area: str
    outcome: str
    closed_on: dt.date | None
    refusal_notice: str
    response_text: str
    published: bool
    disclosure_id: int | None


def _req_out(r: InfoRequest) -> InformationRequestOut:
    return InformationRequestOut(
        id=r.pk,
        ref=r.ref,
        regime=r.regime,
        received_on=r.received_on,
        due_on=r.due_on,
        on_hold=r.on_hold,
        service_area=r.service_area,
        outcome=r.outcome,
        closed_on=r.closed_on,
        refusal_notice=r.refusal_notice,
        response_text=r.response_text,
        published=r.published,
        disclosure_id=r.disclosure_id,
    )


class AssignIn(Schema):
    service_area: str
    handler_id: int | None = None


class SearchIn(Schema):
    place: str
    hours: Decimal
    found: str = ""


class ClarificationIn(Schema):
    requested_on: dt.date
    received_on: dt.date | None = None


class ExtendIn(Schema):
    reason: str
    new_due_on: dt.date | None = None


class ExemptionIn(Schema):
    code: str
    why_applies: str
    prejudice: str = ""
    public_interest: str = ""


class OutcomeIn(Schema):
    outcome: str
    response_text: str = ""
    publish: bool = False


class InformationReviewIn(Schema):
    received_on: dt.date | None = None
    extended: bool = False


class ReviewOut(Schema):
    id: int
    received_on: dt.date
    due_on: dt.date
    outcome: str


class TransferIn(Schema):
    requester_kind: str = "self"


class InformationLetterOut(Schema):
    text: str


@router.post("/requests", response={201: InformationRequestOut})
def log_request(request: HttpRequest, payload: RequestIn) -> Status[InformationRequestOut]:
    req = services.log_request(actor(request), **payload.dict())
    return Status(201, _req_out(req))


@router.get("/requests/{request_id}", response=InformationRequestOut)
def get_request(request: HttpRequest, request_id: int) -> InformationRequestOut:
    return _req_out(services.get_request_for(actor(request), request_id))


@router.post("/requests/{request_id}/acknowledge", response=InformationLetterOut)
def acknowledge(request: HttpRequest, request_id: int) -> InformationLetterOut:
    return InformationLetterOut(text=services.acknowledge(actor(request), request_id))


@router.post("/requests/{request_id}/assign", response=InformationRequestOut)
def assign(request: HttpRequest, request_id: int, payload: AssignIn) -> InformationRequestOut:
    return _req_out(
        services.assign(
            actor(request), request_id, service_area=payload.service_area, handler_id=payload.handler_id
        )
    )


@router.post("/requests/{request_id}/searches", response={201: dict[str, int]})
def add_search(request: HttpRequest, request_id: int, payload: SearchIn) -> Status[dict[str, int]]:
    row = services.add_search(
        actor(request), request_id, place=payload.place, hours=payload.hours, found=payload.found
    )
    return Status(201, {"id": row.pk})


@router.post("/requests/{request_id}/clarification", response=InformationRequestOut)
def clarification(request: HttpRequest, request_id: int, payload: ClarificationIn) -> InformationRequestOut:
    return _req_out(
        services.record_clarification(
            actor(request), request_id, requested_on=payload.requested_on, received_on=payload.received_on
        )
    )


@router.post("/requests/{request_id}/extend", response=InformationRequestOut)
def extend(request: HttpRequest, request_id: int, payload: ExtendIn) -> InformationRequestOut:
    return _req_out(
        services.extend(actor(request), request_id, new_due_on=payload.new_due_on, reason=payload.reason)
    )


@router.post("/requests/{request_id}/exemptions", response={201: dict[str, int]})
def add_exemption(request: HttpRequest, request_id: int, payload: ExemptionIn) -> Status[dict[str, int]]:
    claim = services.add_exemption(actor(request), request_id, **payload.dict())
    return Status(201, {"id": claim.pk})


@router.post("/requests/{request_id}/outcome", response=InformationRequestOut)
def outcome(request: HttpRequest, request_id: int, payload: OutcomeIn) -> InformationRequestOut:
    return _req_out(services.record_outcome(actor(request), request_id, **payload.dict()))


@router.post("/requests/{request_id}/transfer", response={201: dict[str, int | str]})
def transfer(request: HttpRequest, request_id: int, payload: TransferIn) -> Status[dict[str, int | str]]:
    sar = services.transfer_to_sar(actor(request), request_id, requester_kind=payload.requester_kind)
    return Status(201, {"id": sar.pk, "ref": sar.ref})


@router.post("/requests/{request_id}/reviews", response={201: ReviewOut})
def review(request: HttpRequest, request_id: int, payload: InformationReviewIn) -> Status[ReviewOut]:
    r = services.request_review(
        actor(request), request_id, received_on=payload.received_on, extended=payload.extended
    )
    return Status(201, ReviewOut(id=r.pk, received_on=r.received_on, due_on=r.due_on, outcome=r.outcome))


class PublishedOut(Schema):
    """An answer on the public disclosure log: what was asked and answered, never who asked (s40(2))
    nor the refusal notice addressed to them."""

    ref: str
    regime: str
    received_on: dt.date
    closed_on: dt.date | None
    outcome: str
    wording: str
    response_text: str
    exemptions: list[str]


@router.get("/disclosure-log", response=list[PublishedOut], auth=None)
def disclosure_log(request: HttpRequest) -> list[PublishedOut]:
    return [
        PublishedOut(
            ref=r.ref,
            regime=r.regime,
            received_on=r.received_on,
            closed_on=r.closed_on,
            outcome=r.outcome,
            wording=r.wording,
            response_text=r.response_text,
            exemptions=[e.code for e in r.exemptions.all()],
        )
        for r in services.public_disclosure_log()
    ]


class OpenCaseOut(Schema):
    kind: str
    ref: str
    regime: str
    due_on: dt.date
    days_left: int
    rag: str


class MonthOut(Schema):
    month: str
    answered: int
    in_time: int
    percent: int


class DashboardOut(Schema):
    open_cases: list[OpenCaseOut]
    due_this_week: int
    overdue: int
    compliance: list[MonthOut]


@router.get("/dashboard", response=DashboardOut)
def dashboard(request: HttpRequest) -> DashboardOut:
    board = services.dashboard(actor(request))
    return DashboardOut(
        open_cases=[
            OpenCaseOut(
                kind=c.kind, ref=c.ref, regime=c.regime, due_on=c.due_on, days_left=c.days_left, rag=c.rag
            )
            for c in board.open_cases
        ],
        due_this_week=len(board.due_this_week),
        overdue=len(board.overdue),
        compliance=[
            MonthOut(month=m.month, answered=m.answered, in_time=m.in_time, percent=m.percent)
            for m in board.compliance
        ],
    )


# --- subject access ----------------------------------------------------------------------


class SarIn(Schema):
    requester_name: str
    requester_contact: str
    requester_kind: str
    received_on: dt.date | None = None
    subject_ref: str = ""
    child_understands: bool | None = None
    child_consents: bool | None = None
    written_authority: bool = False


class SarOut(Schema):
    id: int
    ref: str
    status: str
    received_on: dt.date
    due_on: dt.date
    on_hold: str  # "clarification" while the clock is stopped, else ""
    subject: str | None
    entries: int


def _sar_out(s: SarCase) -> SarOut:
    return SarOut(
        id=s.pk,
        ref=s.ref,
        status=s.status,
        received_on=s.received_on,
        due_on=s.due_on,
        on_hold=s.on_hold,
        subject=s.subject.ref if s.subject else None,
        entries=len(s.entry_ids),
    )


class VerifyIn(Schema):
    evidence: str
    received_on: dt.date | None = None
    subject_ref: str = ""


class RedactionOut(Schema):
    id: int
    entry_id: int
    start: int
    end: int
    reason: str
    decision: str
    proposed_by_system: bool


class DecideIn(Schema):
    decision: str
    note: str = ""


class AddRedactionIn(Schema):
    entry_id: int
    passage: str
    reason: str
    note: str = ""


class InformationReleaseOut(Schema):
    disclosure_id: int
    link_token: str
    link_code: str


@router.post("/sar", response={201: SarOut})
def open_sar(request: HttpRequest, payload: SarIn) -> Status[SarOut]:
    return Status(201, _sar_out(services.open_sar(actor(request), **payload.dict())))


@router.get("/sar/{sar_id}", response=SarOut)
def get_sar(request: HttpRequest, sar_id: int) -> SarOut:
    return _sar_out(services.get_sar_for(actor(request), sar_id))


@router.post("/sar/{sar_id}/verify", response=SarOut)
def verify(request: HttpRequest, sar_id: int, payload: VerifyIn) -> SarOut:
    return _sar_out(services.verify_identity(actor(request), sar_id, **payload.dict()))


@router.post("/sar/{sar_id}/clarification", response=SarOut)
def sar_clarification(request: HttpRequest, sar_id: int, payload: ClarificationIn) -> SarOut:
    """Art 12A: the clock stops from the day a clarification is asked for until it arrives."""
    return _sar_out(services.sar_clarification(actor(request), sar_id, **payload.dict()))


@router.post("/sar/{sar_id}/extend", response=SarOut)
def extend_sar(request: HttpRequest, sar_id: int, payload: ExtendIn) -> SarOut:
    """Art 12(3): two further months, notified within the first month."""
    return _sar_out(services.extend_sar(actor(request), sar_id, reason=payload.reason))


@router.post("/sar/{sar_id}/compile", response=list[RedactionOut])
def compile_records(request: HttpRequest, sar_id: int) -> list[RedactionOut]:
    staff = actor(request)
    services.compile_records(staff, sar_id)
    return redactions(request, sar_id)


@router.get("/sar/{sar_id}/redactions", response=list[RedactionOut])
def redactions(request: HttpRequest, sar_id: int) -> list[RedactionOut]:
    sar = services.get_sar_for(actor(request), sar_id)
    return [
        RedactionOut(
            id=r.pk,
            entry_id=r.entry_id,
            start=r.start,
            end=r.end,
            reason=r.reason,
            decision=r.decision,
            proposed_by_system=r.proposed_by_system,
        )
        for r in sar.redactions.all()
    ]


@router.post("/sar/{sar_id}/redactions", response={201: list[int]})
def add_redaction(request: HttpRequest, sar_id: int, payload: AddRedactionIn) -> Status[list[int]]:
    made = services.add_redaction(actor(request), sar_id, **payload.dict())
    return Status(201, [r.pk for r in made])


@router.post("/redactions/{redaction_id}/decision", response=RedactionOut)
def decide(request: HttpRequest, redaction_id: int, payload: DecideIn) -> RedactionOut:
    r = services.decide_redaction(actor(request), redaction_id, decision=payload.decision, note=payload.note)
    return RedactionOut(
        id=r.pk,
        entry_id=r.entry_id,
        start=r.start,
        end=r.end,
        reason=r.reason,
        decision=r.decision,
        proposed_by_system=r.proposed_by_system,
    )


@router.get("/sar/{sar_id}/bundle")
def bundle(request: HttpRequest, sar_id: int) -> HttpResponse:
    content = services.build_bundle(actor(request), sar_id)
    return HttpResponse(content, content_type="application/pdf")


@router.post("/sar/{sar_id}/release", response=InformationReleaseOut)
def release(request: HttpRequest, sar_id: int) -> InformationReleaseOut:
    sar, token, code = services.release_bundle(actor(request), sar_id)
    return InformationReleaseOut(disclosure_id=sar.disclosure_id or 0, link_token=token, link_code=code)


class AttachmentDecisionIn(Schema):
    include: bool
    note: str = ""


class AttachmentDecisionOut(Schema):
    attachment_id: int
    include: bool
    decided_at: dt.datetime


@router.post("/sar/{sar_id}/attachments/{attachment_id}/decision", response=AttachmentDecisionOut)
def decide_attachment(
    request: HttpRequest, sar_id: int, attachment_id: int, payload: AttachmentDecisionIn
) -> AttachmentDecisionOut:
    row = services.decide_attachment(
        actor(request), sar_id, attachment_id, include=payload.include, note=payload.note
    )
    return AttachmentDecisionOut(
        attachment_id=row.attachment_id, include=row.include, decided_at=row.decided_at
    )


class SarReviewIn(Schema):
    received_on: dt.date | None = None


class DecideReviewIn(Schema):
    outcome: str
    notes: str


class SarReviewOut(Schema):
    id: int
    received_on: dt.date
    due_on: dt.date
    outcome: str
    decided_on: dt.date | None


def _sar_review_out(r: SarReview) -> SarReviewOut:
    return SarReviewOut(
        id=r.pk, received_on=r.received_on, due_on=r.due_on, outcome=r.outcome, decided_on=r.decided_on
    )


@router.post("/sar/{sar_id}/reviews", response={201: SarReviewOut})
def sar_review(request: HttpRequest, sar_id: int, payload: SarReviewIn) -> Status[SarReviewOut]:
    r = services.request_sar_review(actor(request), sar_id, received_on=payload.received_on)
    return Status(201, _sar_review_out(r))


@router.post("/sar/{sar_id}/reviews/{review_id}/decision", response=SarReviewOut)
def decide_sar_review(
    request: HttpRequest, sar_id: int, review_id: int, payload: DecideReviewIn
) -> SarReviewOut:
    r = services.decide_sar_review(
        actor(request), sar_id, review_id, outcome=payload.outcome, notes=payload.notes
    )
    return _sar_review_out(r)


# --- four eyes, closing letters and the reviewer's redactions (review, foi_letters) ---------


class SignOffOut(Schema):
    prepared_by: str
    signed_off_by: str
    signed_off_at: dt.datetime | None


@router.post("/sar/{sar_id}/sign-off-request", response=SignOffOut)
def ask_for_sar_sign_off(request: HttpRequest, sar_id: int) -> SignOffOut:
    """The reviewer has finished: a second information governance officer must sign off."""
    sar = redaction_review.ask_for_sign_off(actor(request), sar_id)
    return SignOffOut(
        prepared_by=sar.prepared_by.username if sar.prepared_by else "", signed_off_by="", signed_off_at=None
    )


@router.post("/sar/{sar_id}/sign-off", response=SignOffOut)
def sign_off_sar(request: HttpRequest, sar_id: int) -> SignOffOut:
    """Someone other than the officer who prepared the bundle signs it off before release."""
    sar = redaction_review.sign_off(actor(request), sar_id)
    return SignOffOut(
        prepared_by=sar.prepared_by.username if sar.prepared_by else "",
        signed_off_by=sar.signed_off_by.username if sar.signed_off_by else "",
        signed_off_at=sar.signed_off_at,
    )


@router.post("/requests/{request_id}/sign-off", response=InformationRequestOut)
def sign_off_answer(request: HttpRequest, request_id: int) -> InformationRequestOut:
    """Someone other than the officer who recorded the answer signs it off; then it is published
    (if asked for) and may be sent."""
    return _req_out(foi_letters.sign_off_answer(actor(request), request_id))


class LetterIn(Schema):
    posted: bool = False  # True: the letter was printed and posted (the requester gave no e-mail)


@router.post("/requests/{request_id}/letter", response=InformationRequestOut)
def send_letter(request: HttpRequest, request_id: int, payload: LetterIn) -> InformationRequestOut:
    """Send the signed-off letter to the requester's e-mail through the outbound gateway, or record
    that it was posted."""
    staff = actor(request)
    if payload.posted:
        return _req_out(foi_letters.record_posted(staff, request_id))
    return _req_out(foi_letters.send_letter(staff, request_id))


class RedactionSelectionIn(Schema):
    entry_id: int
    start: int
    end: int
    passage: str = ""  # the text selected, checked against the entry
    reason: str
    note: str = ""


@router.post("/sar/{sar_id}/redactions/selection", response={201: list[int]})
def redact_selection(request: HttpRequest, sar_id: int, payload: RedactionSelectionIn) -> Status[list[int]]:
    made = redaction_review.redact_selection(actor(request), sar_id, **payload.dict())
    return Status(201, [r.pk for r in made])


class ExtentIn(Schema):
    first_word: int
    last_word: int
    note: str = ""


@router.post("/sar/{sar_id}/redactions/{redaction_id}/extent", response=list[int])
def change_extent(request: HttpRequest, sar_id: int, redaction_id: int, payload: ExtentIn) -> list[int]:
    """Widen or narrow a redaction to run from one word of the entry to another (0 is the first)."""
    red = redaction_review.change_extent(actor(request), sar_id, redaction_id, **payload.dict())
    return [red.start, red.end]


@router.post("/sar/{sar_id}/redactions/accept-proposed", response=list[int])
def accept_proposed(request: HttpRequest, sar_id: int) -> list[int]:
    """Accept every proposed redaction still open."""
    return [r.pk for r in redaction_review.accept_proposed(actor(request), sar_id)]


from discretion.information_rights.documents.api import router as documents_router  # noqa: E402

router.add_router("", documents_router)


# --- a request made for someone else (ICO right of access: on behalf of others; children) ------


class EvidenceIn(Schema):
    code: str  # "parental_responsibility" or "written_authority"
    description: str


class EvidenceCheckIn(Schema):
    accept: bool
    note: str


class EvidenceOut(Schema):
    id: int
    code: str
    description: str
    checked: bool
    accepted: bool | None
    still_needed: list[str]  # what must still be done before the records are compiled or released


class ChildIn(Schema):
    understands: bool
    reason: str
    consents: bool | None = None
    child_view: str = ""
    best_interests: str = ""


class ChildOut(Schema):
    id: int
    child_understands: bool | None
    child_consents: bool | None
    still_needed: list[str]


def _evidence_out(e: SarEvidence) -> EvidenceOut:
    return EvidenceOut(
        id=e.pk,
        code=e.code,
        description=e.description,
        checked=e.checked_at is not None,
        accepted=e.accepted,
        still_needed=representation.unmet(e.sar),
    )


@router.post("/sar/{sar_id}/evidence", response={201: EvidenceOut})
def add_sar_evidence(request: HttpRequest, sar_id: int, payload: EvidenceIn) -> Status[EvidenceOut]:
    """Evidence that the requester may act for the person (parental responsibility, written
    authority): it counts once a second information governance officer has checked it."""
    staff = actor(request)
    return Status(201, _evidence_out(representation.add_evidence(staff, sar_id, **payload.dict())))


@router.post("/sar/{sar_id}/evidence/{evidence_id}/check", response=EvidenceOut)
def check_sar_evidence(
    request: HttpRequest, sar_id: int, evidence_id: int, payload: EvidenceCheckIn
) -> EvidenceOut:
    staff = actor(request)
    return _evidence_out(representation.check_evidence(staff, sar_id, evidence_id, **payload.dict()))


@router.post("/sar/{sar_id}/child", response=ChildOut)
def record_sar_child(request: HttpRequest, sar_id: int, payload: ChildIn) -> ChildOut:
    """A parent's request: whether the child understands it and why; their view, or why answering
    the parent is in their best interests."""
    staff = actor(request)
    sar = representation.record_child(staff, sar_id, **payload.dict())
    return ChildOut(
        id=sar.pk,
        child_understands=sar.child_understands,
        child_consents=sar.child_consents,
        still_needed=representation.unmet(sar),
    )
