"""Who is told what about a request: referred to someone, approved, refused, released; a handler
asking to open records and the answer; a document waiting for its check. Called by the request
services inside their transactions, so a notification exists exactly when its action happened.

The text names the request by number, who asked by kind (police, a school) and why, never a child
or a requester by name; the e-mail says less still (notifications.services)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from discretion.notifications.models import Kind
from discretion.notifications.services import Notice, notify
from discretion.requests.models import Request, RequestDocument, State
from discretion.requests.urgency import is_urgent, urgent_reason
from discretion.staff.models import Role, Staff

# The roles that decide a referral to each route (requests.services.ROUTE_ROLES, by value).
ROUTE_ROLES: dict[str, str] = {
    "manager": Role.TEAM_MANAGER,
    "information_governance": Role.IGO,
    "legal_services": Role.LEGAL,
    "press_office": Role.PRESS,
    "research_governance": Role.RESEARCH,
    "foi_team": Role.IGO,
    "subject_access_team": Role.IGO,
}


def _current(role: str) -> list[Staff]:
    return list(
        Staff.objects.filter(role=role, is_active=True)
        .exclude(employment_type__in=("volunteer", "student"))
        .order_by("pk")
    )


def _about(req: Request) -> str:
    """Who asked (by kind) and why, in plain words: "Police, finding a missing child"."""
    from discretion.requests.forms import CATEGORY_LABELS, PURPOSE_LABELS

    who = CATEGORY_LABELS.get(req.category, "Someone")
    purpose = req.stored_facts.purpose
    why = PURPOSE_LABELS.get(purpose, "") if purpose and purpose != "other" else ""
    return f"{who}, {why[:1].lower()}{why[1:]}" if why else who


def _notice(req: Request, kind: str, text: str, *, link: str = "") -> Notice:
    urgent = is_urgent(req)
    return Notice(
        kind=kind,
        text=(f"Urgent ({urgent_reason(req)}): " if urgent else "") + text,
        link=link or reverse("requests:detail", args=[req.pk]),
        object_type="request",
        object_id=req.pk,
        urgent=urgent,
    )


def deciders(req: Request) -> list[Staff]:
    """Everyone who may decide the request on its current referral (never its handler or the
    colleague asking): the handler's team manager for a manager referral, else the route's role."""
    people: list[Staff] = []
    for route in req.decision.get("route_to", []):
        role = ROUTE_ROLES.get(route)
        if role == Role.TEAM_MANAGER:
            manager = req.team.manager if req.team is not None else None
            people += [manager] if manager is not None else []
        elif role is not None:
            people += _current(role)
    from discretion.requests.permissions import handlers_of

    barred = handlers_of(req) | {req.requester_staff_id}
    return [p for p in people if p.pk not in barred]


def referred(req: Request, actor: Staff) -> None:
    notify(
        deciders(req),
        _notice(req, Kind.REFERRED, f"Request {req.pk} waits for your decision: {_about(req)}."),
        triggered_by=actor,
    )


def decided(req: Request, actor: Staff, *, approved: bool) -> None:
    """The handler is told the approver's answer and, when it can now be released, goes straight
    to choosing what to release."""
    from discretion.requests import record_access

    if not approved:
        text, link = f"Request {req.pk} was refused by {actor.display_name}.", ""
    elif req.state == State.APPROVED and record_access.status_of(req) in (
        record_access.Status.NOT_NEEDED,
        record_access.Status.AGREED,
    ):
        text = f"Request {req.pk} was approved by {actor.display_name}. Choose what to release."
        link = reverse("requests:entries", args=[req.pk])
    else:
        text, link = f"Request {req.pk} was approved by {actor.display_name}. See what is still to do.", ""
    notify(
        [req.handler],
        _notice(req, Kind.APPROVED if approved else Kind.REFUSED, text, link=link),
        triggered_by=actor,
    )


def released(req: Request, actor: Staff) -> None:
    """Those who approved it are told it has gone."""
    approvers = Staff.objects.filter(
        pk__in=req.approvals.filter(approved=True).values("decided_by")
    ).order_by("pk")
    notify(
        approvers,
        _notice(
            req, Kind.RELEASED, f"Request {req.pk}, which you approved, was released by {actor.display_name}."
        ),
        triggered_by=actor,
    )


def record_access_asked(req: Request, actor: Staff) -> None:
    """The handler's team manager is asked; with no manager, information governance."""
    manager = req.team.manager if req.team is not None else None
    asked: Iterable[Staff] = (
        [manager] if manager is not None and manager.pk != actor.pk else _current(Role.IGO)
    )
    notify(
        asked,
        _notice(
            req,
            Kind.RECORD_ACCESS_ASKED,
            f"{actor.display_name} asks you to agree to their opening the records request {req.pk} is about.",
        ),
        triggered_by=actor,
    )


def record_access_decided(req: Request, actor: Staff, *, approved: bool) -> None:
    answer = "agreed" if approved else "refused"
    link = reverse("requests:entries", args=[req.pk]) if approved else ""
    notify(
        [req.handler],
        _notice(
            req,
            Kind.RECORD_ACCESS_DECIDED,
            f"{actor.display_name} {answer} your opening the records for request {req.pk}.",
            link=link,
        ),
        triggered_by=actor,
    )


def document_to_check(req: Request, doc: RequestDocument, actor: Staff) -> None:
    """Legal Services for a court order, information governance for the rest."""
    from discretion.requests.documents import checker_role
    from discretion.requests.forms import DOCUMENT_LABELS
    from discretion.requests.permissions import handlers_of

    barred = handlers_of(req) | {req.requester_staff_id}
    checkers = [s for s in _current(checker_role(doc.code)) if s.pk not in barred]
    label = DOCUMENT_LABELS.get(doc.code, "A document")
    notify(
        checkers,
        _notice(req, Kind.DOCUMENT_TO_CHECK, f"{label} on request {req.pk} waits for your check."),
        triggered_by=actor,
    )
