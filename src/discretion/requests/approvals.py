"""Referrals and approvals: the role a request is referred to decides it, and a second person agrees
to the handler opening the records it is about (policy 1.5, 2.4)."""

from __future__ import annotations

from django.db import transaction

from discretion import access
from discretion.audit import services as audit
from discretion.errors import InvalidInput, NotPermitted
from discretion.policy import (
    Route,
)
from discretion.requests import notify as notify_
from discretion.requests import record_access as record_access_
from discretion.requests.models import (
    Approval,
    RecordAccess,
    RequestEvent,
    State,
)
from discretion.requests.permissions import handlers_of, lock_request, may_act_for
from discretion.requests.workflow import record_event, redecide
from discretion.staff.models import Staff

# Routes whose approval is a fact the policy reads (`approvals`).
APPROVAL_ROUTES = {
    Route.MANAGER,
    Route.INFORMATION_GOVERNANCE,
    Route.LEGAL_SERVICES,
    Route.RESEARCH_GOVERNANCE,
}


@transaction.atomic
def decide_referral(actor: Staff, request_id: int, *, approve: bool, reasoning: str) -> Approval:
    """The role a request is referred to approves or refuses it, with its reasoning (policy 1.5,
    2.4). An approval becomes a fact and the decision is re-run; a refusal ends the request."""
    access._require_active(actor)
    req = lock_request(request_id, actor)
    routes = [r for r in req.decision.get("route_to", []) if may_act_for(actor, req, r)]
    if not routes:
        raise access.refusal(
            actor,
            "request.decide",
            "This request is not referred to you.",
            object_type="request",
            object_id=req.pk,
        )
    if req.state != State.REFERRED:
        raise NotPermitted("This request is not waiting for a decision.")
    if actor.pk in handlers_of(req) | {req.requester_staff_id}:
        raise access.refusal(
            actor,
            "request.decide",
            "Someone other than the member of staff handling a request must decide it.",
            object_type="request",
            object_id=req.pk,
        )
    reasoning = reasoning.strip()
    if not reasoning:
        raise InvalidInput("Enter the reasons for your decision")
    route = routes[0]
    approval = Approval.objects.create(
        request=req, route=route, approved=approve, decided_by=actor, reasoning=reasoning
    )
    audit.record(
        actor.pk,
        "request.approved" if approve else "request.refused_by_approver",
        object_type="request",
        object_id=req.pk,
        reason=reasoning,
        details={"route": route},
    )
    if not approve:
        record_event(req, actor, "refused", to_state=State.REFUSED, note=reasoning)
        notify_.decided(req, actor, approved=False)
        return approval
    if route in APPROVAL_ROUTES:
        facts = {**req.facts, "approvals": sorted(set(req.facts.get("approvals", [])) | {route})}
        redecide(req, actor, facts)
    RequestEvent.objects.create(
        request=req, actor=actor, action="approval", from_state=req.state, to_state=req.state, note=reasoning
    )
    # The approver has seen who and what the request is about: four eyes on opening its records.
    record_access_.agree_on_approval(actor, req, reasoning=reasoning)
    notify_.decided(req, actor, approved=True)
    return approval


@transaction.atomic
def ask_for_record_access(actor: Staff, request_id: int, *, reason: str) -> RecordAccess:
    """The handler asks a second person to agree to their opening the records the request is about."""
    access._require_active(actor)
    req = lock_request(request_id, actor)
    try:
        row = record_access_.ask(actor, req, reason=reason)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    notify_.record_access_asked(req, actor)
    return row


@transaction.atomic
def decide_record_access(actor: Staff, request_id: int, *, approve: bool, reasoning: str) -> RecordAccess:
    """The handler's team manager or information governance agrees to (or refuses) it."""
    access._require_active(actor)
    req = lock_request(request_id, actor)
    try:
        row = record_access_.decide(actor, req, approve=approve, reasoning=reasoning)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    notify_.record_access_decided(req, actor, approved=approve)
    return row
