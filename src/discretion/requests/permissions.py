"""Who has a part in a request: who may see it, act on a referral, handle it or decide it (policy
1.2, 1.5, 2.4). Anyone else gets the answer a missing request gets, and the refusal is audited."""

from __future__ import annotations

from discretion import access
from discretion.audit import services as audit
from discretion.errors import NotPermitted
from discretion.policy import (
    Document,
    Route,
)
from discretion.requests.models import (
    Request,
    State,
)
from discretion.requests.workflow import OPEN_STATES
from discretion.staff.models import Role, Staff

# Who may act on a referral to each route (policy 1.4–1.5, 2.4).
ROUTE_ROLES: dict[str, str] = {
    Route.MANAGER: Role.TEAM_MANAGER,
    Route.INFORMATION_GOVERNANCE: Role.IGO,
    Route.LEGAL_SERVICES: Role.LEGAL,
    Route.PRESS_OFFICE: Role.PRESS,
    Route.RESEARCH_GOVERNANCE: Role.RESEARCH,
    Route.FOI_TEAM: Role.IGO,
    Route.SUBJECT_ACCESS_TEAM: Role.IGO,
}


def lock_request(request_id: int, actor: Staff) -> Request:
    """The request, locked for a change, for someone with a part in it: anyone else gets the answer a
    missing request gets (the refusal is audited), so no role can tell which requests exist."""
    try:
        req = Request.objects.select_for_update().get(pk=request_id)
    except Request.DoesNotExist:
        raise access.NotFound("No such request.") from None
    if not may_see(actor, req):
        access.refusal(actor, "request.change", "No such request.", object_type="request", object_id=req.pk)
        raise access.NotFound("No such request.")
    return req


def may_see(actor: Staff, req: Request) -> bool:
    """The handler, anyone the request is routed to, their team manager, and IGOs."""
    if actor.pk == req.handler_id or (actor.role == Role.IGO and not actor.is_supervised):
        return True
    if (
        actor.role == Role.TEAM_MANAGER
        and req.team_id is not None
        and req.team_id in set(actor.managed_teams.values_list("id", flat=True))
    ):
        return True
    if (
        actor.role == Role.LEGAL
        and not actor.is_supervised
        and req.documents.filter(code=Document.COURT_ORDER).exists()
    ):
        return True  # Legal Services check court orders (policy 1.5)
    return any(may_act_for(actor, req, route) for route in req.decision.get("route_to", []))


def may_act_for(actor: Staff, req: Request, route: str, *, managed_team_ids: set[int] | None = None) -> bool:
    """`managed_team_ids`, when given, saves a query per request on a list (the queue)."""
    role = ROUTE_ROLES.get(route)
    if role is None or actor.role != role or actor.is_supervised:
        return False
    if role == Role.TEAM_MANAGER:
        # The handler's own team manager (policy 2.4: "a manager approves").
        if managed_team_ids is None:
            managed_team_ids = set(actor.managed_teams.values_list("id", flat=True))
        return req.team_id is not None and req.team_id in managed_team_ids
    return True


def get_request_for(actor: Staff, request_id: int) -> Request:
    """A request, for someone with a part in it; the read is audited (ids only)."""
    access._require_active(actor)
    try:
        req = Request.objects.select_related("handler", "team").get(pk=request_id)
    except Request.DoesNotExist:
        raise access.NotFound("No such request.") from None
    people = list(req.subject_links.values_list("person_id", flat=True))
    if not may_see(actor, req):
        access.refusal(actor, "request.read", "No such request.", object_type="request", object_id=req.pk)
        raise access.NotFound("No such request.")  # the same answer as for a request that does not exist
    # Every person the request is about, so the read appears on "who has looked at this record".
    audit.record_for_people(actor.pk, "request.read", people, object_type="request", object_id=req.pk)
    return req


def handlers_of(req: Request) -> set[int]:
    """Everyone who has done the handler's part on a request: the handler, whoever did a task,
    chose entries or added a document (an IGO may step in as handler)."""
    ids = {req.handler_id}
    ids |= set(req.tasks.values_list("done_by_id", flat=True))
    ids |= set(req.selections.values_list("selected_by_id", flat=True))
    ids |= set(req.documents.values_list("uploaded_by_id", flat=True))
    return ids


def deciders_of(req: Request) -> set[int]:
    """Everyone who has been the second pair of eyes on a request: approved or refused it, agreed to
    its records being opened, or checked one of its documents."""
    ids = set(req.approvals.values_list("decided_by_id", flat=True))
    ids |= set(req.record_access.exclude(decided_by=None).values_list("decided_by_id", flat=True))
    ids |= set(req.documents.exclude(checked_by=None).values_list("checked_by_id", flat=True))
    return ids


def require_handler(actor: Staff, req: Request) -> None:
    """The handler, or an information governance officer stepping in, who may never be the colleague
    asking, nor anyone who has approved, agreed or checked on this request: four eyes stay four."""
    access._require_active(actor)
    stepping_in = actor.role == Role.IGO and not actor.is_supervised
    if actor.pk == req.requester_staff_id or (
        actor.pk != req.handler_id and (not stepping_in or actor.pk in deciders_of(req))
    ):
        raise access.refusal(
            actor,
            "request.handle",
            "Only the member of staff handling this request can do this.",
            object_type="request",
            object_id=req.pk,
        )


def require_undecided(req: Request) -> None:
    if req.state not in OPEN_STATES and req.state != State.APPROVED:
        raise NotPermitted(
            f"This request is {req.get_state_display().lower()}; its facts can no longer change."
        )
    if req.category == "media" or req.stored_facts.purpose == "media_story":
        raise NotPermitted("Media enquiries are handled by the press office (policy 1.5).")
