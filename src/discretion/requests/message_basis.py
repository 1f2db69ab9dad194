"""The lawful basis for personal data leaving by the outbound message page: an approved request.

Policy 1.1: wherever disclosure is considered, a check is always made that it is lawful. A message
that carries a service user's personal data leaves only as the release of a request whose decision
allows it now (same engine, same routes, same approvals, same register entry as any release): the
sender handles it, every check and approval is done, the people the message is about are people the
request names, and it goes only to the person who asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from discretion import access
from discretion.policy import Outcome
from discretion.requests import labels
from discretion.requests.models import Approval, Request, State
from discretion.requests.permissions import require_handler
from discretion.requests.release import requester_addresses, unmet_conditions
from discretion.requests.workflow import current_decision, record_event
from discretion.staff.models import Staff


@dataclass(frozen=True)
class MessageBasis:
    request: Request
    legal_basis: str
    rules: list[str]
    approved_by: Staff | None


def requests_to_answer(actor: Staff) -> list[Request]:
    """The actor's requests a message may answer now (approved, nothing left to do first)."""
    rows = Request.objects.filter(handler=actor, state__in=[State.APPROVED, State.PREPARING])
    return [
        r for r in rows.order_by("-received_at") if r.outcome == Outcome.SHARE and not unmet_conditions(r)
    ]


def basis_for_message(
    actor: Staff, request_id: int | None, *, person_ids: Sequence[int], recipients: Sequence[str]
) -> MessageBasis:
    """Check the request a message with personal data answers; raise NotPermitted saying why not."""
    if request_id is None:
        raise access.NotPermitted(
            "Personal data leaves the council only as the answer to a request whose decision allows "
            "it (policy 1.1, 1.2). Choose the approved request this message answers, or log the "
            "request first."
        )
    req = Request.objects.filter(pk=request_id).first()
    if req is None:
        raise access.NotFound("No such request.")
    require_handler(actor, req)
    unmet = unmet_conditions(req)
    if unmet:
        raise access.NotPermitted(
            f"Request {req.pk} cannot be answered yet. Before release: "
            + "; ".join(labels.condition_labels(unmet))
        )
    if req.outcome != Outcome.SHARE or req.state not in (State.APPROVED, State.PREPARING):
        raise access.NotPermitted(f"The decision on request {req.pk} does not allow sharing now.")
    named = set(req.subject_links.values_list("person_id", flat=True))
    if not set(person_ids) <= named:
        raise access.NotPermitted(
            f"The message is about people request {req.pk} is not about. Share only what this "
            "request asks for (policy 2.2, 2.4), or log a request for the others."
        )
    allowed = requester_addresses(req)
    strangers = sorted({r.lower() for r in recipients} - allowed)
    if strangers:
        raise access.NotPermitted(
            f"Request {req.pk} was made by {req.requester_name}"
            + (f" ({', '.join(sorted(allowed))})" if allowed else " with no e-mail address recorded")
            + ": the answer goes only to them (policy 2.4)."
        )
    decision = current_decision(req)
    approver = (
        Approval.objects.filter(request=req, approved=True)
        .select_related("decided_by")
        .order_by("-decided_at")
        .first()
    )
    return MessageBasis(
        request=req,
        legal_basis="; ".join(f"{r.text} (policy {r.paragraph})" for r in decision.reasons),
        rules=list(decision.rules),
        approved_by=approver.decided_by if approver else None,
    )


def record_answered(actor: Staff, basis: MessageBasis, disclosure_id: int) -> None:
    """The message was the release of its request: the request is released (its record access ends)."""
    req = Request.objects.select_for_update().get(pk=basis.request.pk)
    if req.disclosure_id is None:
        req.disclosure_id = disclosure_id
        req.save(update_fields=["disclosure"])
    record_event(req, actor, "released", to_state=State.RELEASED, note=f"Message, disclosure {disclosure_id}")
