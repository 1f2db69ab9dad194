"""Verification and informing tasks a decision's conditions call for, and the facts each sets
(policy 1.4, 2.3, 2.4)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from discretion.audit import services as audit
from discretion.errors import InvalidInput, NotPermitted
from discretion.requests import labels
from discretion.requests.models import (
    InformOutcome,
    Request,
    RequestEvent,
    State,
    Task,
    TaskKind,
)
from discretion.requests.permissions import lock_request, require_handler
from discretion.requests.workflow import redecide
from discretion.staff.models import Staff

# Which fact a completed verification task sets.
TASK_FACTS: dict[str, tuple[str, ...]] = {
    TaskKind.VERIFY_IDENTITY: ("requester", "identity_verified"),
    TaskKind.VERIFY_ENTITLEMENT: ("requester", "entitlement_verified"),
    TaskKind.REQUEST_IN_WRITING: ("in_writing",),
}


# The child was not told (policy 2.3 "wherever possible"): recorded with the reason why.
NOT_TOLD = {InformOutcome.NOT_POSSIBLE, InformOutcome.RISK, InformOutcome.UNDERSTANDING}


def open_tasks(req: Request) -> list[str]:
    """Tasks the decision's conditions call for and nobody has done yet."""
    conditions = set(req.decision.get("conditions", []))
    done = {t.kind for t in req.tasks.all() if t.voided_at is None}  # .all(): a list's prefetch serves it
    return [k.value for k in TaskKind if k.value in conditions and k.value not in done]


@transaction.atomic
def complete_task(
    actor: Staff,
    request_id: int,
    kind: str,
    *,
    note: str,
    callback_number: str = "",
    number_source: str = "",
    outcome: str = "",
    reason: str = "",
) -> Task:
    """The handler records a verification or informing task (policy 1.4, 2.3, 2.4) and its fact;
    what was done stays in the request's history.

    An entitlement check on a telephone request needs a call back on a number taken from an
    independent source, not the one the caller gave (policy 2.4). A child not told (policy 2.3:
    "wherever possible") is recorded with the reason: not possible now (the child is missing), not
    safe (telling would put them or someone else at risk), or their age and understanding."""
    req = lock_request(request_id, actor)
    require_handler(actor, req)
    if req.state in {State.RELEASED, State.CLOSED, State.REFUSED}:
        raise NotPermitted("This request is finished.")
    if kind not in TaskKind.values:
        raise InvalidInput("Select a task")
    if req.tasks.filter(kind=kind, voided_at__isnull=True).exists():
        raise InvalidInput("This task has already been done")
    note, reason = note.strip(), reason.strip()
    details: dict[str, str] = {}
    if kind == TaskKind.INFORM_SUBJECT:
        if outcome not in InformOutcome.values:
            raise InvalidInput("Select whether the child was told")
        if outcome in NOT_TOLD:
            if not reason:
                raise InvalidInput("Enter why the child cannot be told now")
            details["reason"] = reason
            note = note or reason
    else:
        outcome = "done"
    if not note:
        raise InvalidInput("Enter how the task was done")
    if len(note) > 4000 or len(reason) > 4000:
        raise InvalidInput("What you did must be 4000 characters or fewer")
    if kind == TaskKind.VERIFY_ENTITLEMENT and req.stored_facts.channel == "phone":
        if not callback_number.strip():
            raise InvalidInput("Enter the number you called back on")
        if not number_source.strip():
            raise InvalidInput("Enter the independent source of the number (policy 2.4)")
        details = {"callback_number": callback_number.strip(), "number_source": number_source.strip()}
    task = Task.objects.create(
        request=req, kind=kind, outcome=outcome, note=note, details=details, done_by=actor
    )
    RequestEvent.objects.create(
        request=req,
        actor=actor,
        action="task_done",
        from_state=req.state,
        to_state=req.state,
        note=labels.task_note(task),
    )
    audit.record(
        actor.pk,
        "request.task_done",
        object_type="request",
        object_id=req.pk,
        details={"task": kind, "outcome": outcome},
    )
    facts: dict[str, Any] = {**req.facts, "requester": dict(req.facts["requester"])}
    if kind in TASK_FACTS:
        path = TASK_FACTS[kind]
        if len(path) == 2:
            facts["requester"][path[1]] = True
        else:
            facts[path[0]] = True
    elif outcome == InformOutcome.RISK:
        facts["risk_if_informed"] = True  # policy 2.3: not told where that would put anyone at risk
    if facts != req.facts:
        redecide(req, actor, facts)
    return task
