"""Lists of requests: the referral queue, documents and record access waiting for a check, the
handler's own requests, and what a request page shows of its subjects and history."""

from __future__ import annotations

from discretion import access
from discretion.audit import services as audit
from discretion.policy import (
    Document,
)
from discretion.requests import record_access as record_access_
from discretion.requests.models import (
    RecordAccess,
    Request,
    RequestDocument,
    RequestEvent,
    RequestSubject,
    State,
)
from discretion.requests.permissions import ROUTE_ROLES, may_act_for
from discretion.requests.urgency import is_urgent, urgent_first
from discretion.requests.workflow import FINISHED_STATES
from discretion.staff.models import Role, Staff

GRANTING_STATES = {State.APPROVED, State.PREPARING}


def _queue_rows(actor: Staff, *, for_display: bool = True) -> list[Request]:
    """Referred requests the actor may decide, urgent first, then the longest waiting (not audited:
    callers that show them audit; `waiting_count` shows only a number)."""
    if actor.is_supervised or actor.role not in set(ROUTE_ROLES.values()):
        return []  # no route is ever decided by this role (may_act_for)
    candidates = Request.objects.filter(state=State.REFERRED).order_by("received_at", "id")
    if for_display:
        candidates = candidates.select_related("handler", "team").prefetch_related("subject_links", "tasks")
    managed = (
        set(actor.managed_teams.values_list("id", flat=True)) if actor.role == Role.TEAM_MANAGER else set()
    )
    return urgent_first(
        r
        for r in candidates
        if actor.pk not in {r.handler_id, r.requester_staff_id}
        and any(
            may_act_for(actor, r, route, managed_team_ids=managed) for route in r.decision.get("route_to", [])
        )
    )


def queue_for(actor: Staff) -> list[Request]:
    """Referred requests this actor's role decides or approves (police land with the manager, media
    with the press office: policy 1.5), urgent ones first (a missing child, a section 47 enquiry).
    The list carries requesters' names, so it is audited (the ids shown, never the names)."""
    access._require_active(actor)
    rows = _queue_rows(actor)
    audit.record_for_people(
        actor.pk,
        "requests.queue.listed",
        {link.person_id for r in rows for link in r.subject_links.all()},
        object_type="request",
        details={"shown": [r.pk for r in rows]},
    )
    return rows


def _checks(actor: Staff) -> tuple[list[RequestDocument], list[Request]]:
    documents: list[RequestDocument] = []
    if not actor.is_supervised and actor.role in (Role.LEGAL, Role.IGO):
        pending = RequestDocument.objects.filter(checked_at__isnull=True).select_related("request")
        pending = pending.exclude(uploaded_by=actor).exclude(request__state__in=FINISHED_STATES)
        pending = (
            pending.filter(code=Document.COURT_ORDER)
            if actor.role == Role.LEGAL
            else pending.exclude(code=Document.COURT_ORDER)
        )
        documents = list(pending.order_by("uploaded_at", "id")[:200])
        documents.sort(key=lambda d: not is_urgent(d.request))  # stable: urgent first, then oldest
    if actor.role not in (Role.IGO, Role.TEAM_MANAGER):
        # Only a team manager or information governance ever agrees (record_access.may_agree).
        return documents, []
    asking = [
        row.request
        for row in RecordAccess.objects.filter(approved__isnull=True, ended_at__isnull=True)
        .select_related("request__handler", "request__team")
        .order_by("asked_at", "id")[:200]
        if row.request.state in GRANTING_STATES and record_access_.may_agree(actor, row.request)
    ]
    return documents, urgent_first(asking)


def checks_for(actor: Staff) -> tuple[list[RequestDocument], list[Request]]:
    """What waits for this actor's second pair of eyes: documents to check (Legal Services for court
    orders, information governance for the rest) and handlers asking to open records (their team
    manager, or information governance). Ids of the people concerned are audited."""
    access._require_active(actor)
    documents, asking = _checks(actor)
    people = set(
        RequestSubject.objects.filter(
            request_id__in={d.request_id for d in documents} | {r.pk for r in asking}
        ).values_list("person_id", flat=True)
    )
    audit.record_for_people(
        actor.pk,
        "requests.checks.listed",
        people,
        object_type="request",
        details={"documents": [d.pk for d in documents], "record_access": [r.pk for r in asking]},
    )
    return documents, asking


def waiting_count(actor: Staff) -> int:
    """How many requests wait for this actor's decision or check: a number for the navigation, so
    nothing is read or audited."""
    if not actor.is_active or actor.is_supervised:
        return 0
    documents, asking = _checks(actor)
    return len(_queue_rows(actor, for_display=False)) + len(documents) + len(asking)


def my_requests(actor: Staff) -> list[Request]:
    """The requests the actor handles and has not closed, urgent first; audited like the queue."""
    access._require_active(actor)
    rows = urgent_first(Request.objects.filter(handler=actor).exclude(state=State.CLOSED)[:200])
    audit.record_for_people(
        actor.pk,
        "requests.mine.listed",
        RequestSubject.objects.filter(request__in=rows).values_list("person_id", flat=True),
        object_type="request",
        details={"shown": [r.pk for r in rows]},
    )
    return rows


def subject_refs(actor: Staff, req: Request) -> list[str]:
    """The references (never names) of the people a request is about, read through access so the
    look is audited; the record itself is opened through access only on a need to know."""
    person_ids = [link.person_id for link in req.subject_links.all()]
    if not person_ids:
        return []
    return access.person_refs(actor, person_ids, context=f"request:{req.pk}")


def history(req: Request) -> list[RequestEvent]:
    return list(req.events.select_related("actor"))
