"""A request's decision and state: the policy re-run on new facts, stored with them, and the state
it calls for; each move recorded in the request's history and the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from discretion.audit import services as audit
from discretion.errors import InvalidInput
from discretion.policy import (
    Decision,
    FactsError,
    Outcome,
    decide,
    decision_from_json,
    decision_to_json,
    facts_to_json,
    parse_facts,
)
from discretion.requests import labels
from discretion.requests import notify as notify_
from discretion.requests.grants import end_record_access
from discretion.requests.models import (
    DecisionRecord,
    Request,
    RequestEvent,
    State,
)
from discretion.staff.models import Staff

OPEN_STATES = {State.RECEIVED, State.NEED_MORE, State.REFERRED}


FINISHED_STATES = {State.RELEASED, State.REFUSED, State.CLOSED}


def current_decision(req: Request) -> Decision:
    """The stored decision, typed."""
    return decision_from_json(req.decision)


def record_event(
    req: Request, actor: Staff, action: str, *, to_state: str | None = None, note: str = ""
) -> None:
    old = req.state
    if to_state is not None and to_state != old:
        req.state = to_state
        req.save(update_fields=["state"])
        if to_state in FINISHED_STATES:
            end_record_access(req.pk)  # a request opens records only while it is being worked
    RequestEvent.objects.create(
        request=req, actor=actor, action=action, from_state=old, to_state=req.state, note=note
    )
    audit.record(
        actor.pk,
        f"request.{action}",
        object_type="request",
        object_id=req.pk,
        details={"from": old, "to": req.state},
    )
    if req.state == State.REFERRED and old != State.REFERRED:
        notify_.referred(req, actor)


def _state_for(outcome: str) -> str:
    return {
        Outcome.NEED_MORE: State.NEED_MORE,
        Outcome.REFER: State.REFERRED,
        Outcome.SHARE: State.APPROVED,
        Outcome.REFUSE: State.REFUSED,
    }[Outcome(outcome)]


def redecide(req: Request, actor: Staff, facts: Mapping[str, Any]) -> None:
    """Re-run the policy on new facts, store the decision with them, and move an undecided request
    to the state its decision calls for."""
    try:
        parsed = parse_facts(facts)
    except FactsError as exc:
        raise InvalidInput(str(exc)) from None
    decision = decide(parsed)
    req.facts = facts_to_json(parsed)
    req.decision = decision_to_json(decision)
    req.save(update_fields=["facts", "decision"])
    DecisionRecord.objects.create(request=req, made_by=actor, facts=req.facts, decision=req.decision)
    audit.record(
        actor.pk,
        "request.decided",
        object_type="request",
        object_id=req.pk,
        details={"outcome": decision.outcome.value, "rules": list(decision.rules)},
    )
    if req.state in OPEN_STATES or req.state == State.APPROVED:
        target = _state_for(decision.outcome)
        if target != req.state:
            if req.state == State.NEED_MORE and target != State.NEED_MORE:
                record_event(
                    req, actor, "received", to_state=State.RECEIVED, note="The missing information arrived."
                )
            record_event(
                req, actor, "state", to_state=target, note=labels.outcome_label(decision.outcome.value)
            )
