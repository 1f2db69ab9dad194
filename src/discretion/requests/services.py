"""Request workflow: one function per user action — permission, rule, write, audit.

The policy engine decides (`discretion.policy.decide`); the decision is re-run and stored with its
facts whenever the facts change. Personal data is read only through `discretion.access`, and
leaves only through `discretion.disclosures.services.disclose`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.disclosures import services as disclosures
from discretion.disclosures.models import Channel as ReleaseChannel
from discretion.policy import (
    Condition,
    Document,
    FactsError,
    Outcome,
    Route,
    decide,
    decision_from_json,
    decision_to_json,
    facts_to_json,
    parse_facts,
)
from discretion.records.models import Entry
from discretion.requests import labels
from discretion.requests import notify as notify_
from discretion.requests import record_access as record_access_
from discretion.requests.grants import Scope, end_record_access, scope_for
from discretion.requests.models import (
    Approval,
    DecisionRecord,
    InformOutcome,
    RecordAccess,
    Request,
    RequestDocument,
    RequestEvent,
    RequestSubject,
    Selection,
    State,
    Task,
    TaskKind,
)
from discretion.requests.urgency import is_urgent, urgent_first
from discretion.staff.alerts import raise_alert
from discretion.staff.models import AlertKind, Role, Staff


class InvalidInput(ValueError):
    """Bad input: the message is a GOV.UK error message ("Enter…", "Select…")."""


# The actor's role, or the request's state, does not allow this action (one vocabulary with access).
NotPermitted = access.NotPermitted


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
# Routes whose approval is a fact the policy reads (`approvals`).
APPROVAL_ROUTES = {
    Route.MANAGER,
    Route.INFORMATION_GOVERNANCE,
    Route.LEGAL_SERVICES,
    Route.RESEARCH_GOVERNANCE,
}
# Which fact a completed verification task sets.
TASK_FACTS: dict[str, tuple[str, ...]] = {
    TaskKind.VERIFY_IDENTITY: ("requester", "identity_verified"),
    TaskKind.VERIFY_ENTITLEMENT: ("requester", "entitlement_verified"),
    TaskKind.REQUEST_IN_WRITING: ("in_writing",),
}
OPEN_STATES = {State.RECEIVED, State.NEED_MORE, State.REFERRED}
# The child was not told (policy 2.3 "wherever possible"): recorded with the reason why.
NOT_TOLD = {InformOutcome.NOT_POSSIBLE, InformOutcome.RISK, InformOutcome.UNDERSTANDING}
FINISHED_STATES = {State.RELEASED, State.REFUSED, State.CLOSED}
GRANTING_STATES_ = {State.APPROVED, State.PREPARING}
RELEASE_CHANNELS = {ReleaseChannel.SECURE_LINK, ReleaseChannel.POST}


# --- reading ------------------------------------------------------------------------------


def _locked(request_id: int, actor: Staff) -> Request:
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
    return any(_may_act_for(actor, req, route) for route in req.decision.get("route_to", []))


def _may_act_for(actor: Staff, req: Request, route: str, *, managed_team_ids: set[int] | None = None) -> bool:
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


def _queue_rows(actor: Staff, *, for_display: bool = True) -> list[Request]:
    """Referred requests the actor may decide, urgent first, then the longest waiting (not audited:
    callers that show them audit; `waiting_count` shows only a number)."""
    if actor.is_supervised:
        return []
    candidates = Request.objects.filter(state=State.REFERRED).order_by("received_at", "id")
    if for_display:
        candidates = candidates.select_related("handler", "team").prefetch_related("subject_links", "tasks")
    managed = set(actor.managed_teams.values_list("id", flat=True))
    return urgent_first(
        r
        for r in candidates
        if actor.pk not in {r.handler_id, r.requester_staff_id}
        and any(
            _may_act_for(actor, r, route, managed_team_ids=managed)
            for route in r.decision.get("route_to", [])
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
    asking = [
        row.request
        for row in RecordAccess.objects.filter(approved__isnull=True, ended_at__isnull=True)
        .select_related("request__handler", "request__team")
        .order_by("asked_at", "id")[:200]
        if row.request.state in GRANTING_STATES_ and record_access_.may_agree(actor, row.request)
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


def current_decision(req: Request) -> Any:
    return decision_from_json(req.decision)


# --- the decision --------------------------------------------------------------------------


def _event(req: Request, actor: Staff, action: str, *, to_state: str | None = None, note: str = "") -> None:
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


def _redecide(req: Request, actor: Staff, facts: Mapping[str, Any]) -> None:
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
                _event(
                    req, actor, "received", to_state=State.RECEIVED, note="The missing information arrived."
                )
            _event(req, actor, "state", to_state=target, note=labels.outcome_label(decision.outcome.value))


@dataclass(frozen=True)
class Requester:
    name: str
    category: str
    organisation: str = ""
    role: str = ""
    contact: str = ""
    works_with_child: bool = False
    # A colleague asking: their username or council e-mail address (their own account).
    colleague: str = ""


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split()) and bool(a.strip())


def _colleague(actor: Staff, requester: Requester) -> Staff | None:
    """The account of a colleague asking (category colleague), which must exist and be current."""
    if requester.category != "colleague":
        return None
    handle = requester.colleague.strip()
    if not handle:
        raise InvalidInput("Enter the username or council e-mail address of the colleague asking")
    found = (
        Staff.objects.filter(is_active=True)
        .filter(Q(username__iexact=handle) | Q(email__iexact=handle))
        .order_by("pk")
        .first()
    )
    if found is None or found.has_ended():
        raise InvalidInput("Enter the username or council e-mail address of a current colleague")
    return found


def _refuse_self_request(actor: Staff, requester: Requester, colleague: Staff | None) -> None:
    """Nobody handles a request they are making themselves: the request would give its own requester
    access with nobody else looking (policy 1.2, 2.4). Refused, audited and alerted to the manager."""
    contact = requester.contact.strip().lower()
    own = (
        (colleague is not None and colleague.pk == actor.pk)
        or (bool(actor.email) and contact == actor.email.lower())
        or _same_name(requester.name, actor.get_full_name())
    )
    if not own:
        return
    raise_alert(
        AlertKind.SELF_REQUEST,
        about=actor,
        summary="Tried to log and handle a request for information made by themselves",
        evidence={"category": requester.category},
    )
    raise access.refusal(
        actor,
        "request.self",
        "You cannot handle a request you are making yourself. Ask your manager, or the worker "
        "allocated to the child, to log it.",
        details={"category": requester.category},
    )


def log_request(
    actor: Staff,
    *,
    requester: Requester,
    channel: str,
    person_ids: Sequence[int] = (),
    information: Sequence[str] = (),
    purpose: str = "other",
    summary: str = "",
    in_writing: bool | None = None,
    consent: str = "none",
    claims_legal_right: bool = False,
    in_doubt: bool = False,
) -> Request:
    """Any member of staff (bar the press office) logs an incoming request; it is decided at once.

    A media enquiry is a press-office referral and nothing else: no subjects are recorded and no
    personal information is asked about (policy 1.5)."""
    access._require_active(actor)
    if actor.role == Role.PRESS or actor.is_supervised:
        raise access.refusal(actor, "request.log", "Your role cannot log requests for information.")
    if not requester.name.strip():
        raise InvalidInput("Enter the name of the person asking")
    # Too long is an error to correct, never text silently cut short.
    for value, label, most in (
        (requester.name, "The name of the person asking", 200),
        (requester.organisation, "The organisation", 200),
        (requester.role, "Their role", 200),
        (requester.contact, "Their contact details", 254),
        (summary, "The summary of the request", 5000),
    ):
        if len(value) > most:
            raise InvalidInput(f"{label} must be {most} characters or fewer")
    is_media = requester.category == "media" or purpose == "media_story"
    if is_media and not summary.strip():
        # The press office answers the question itself: it is recorded before the referral.
        raise InvalidInput("Enter the question the journalist asked")
    facts: dict[str, Any] = {
        "requester": {"category": requester.category, "works_with_child": requester.works_with_child},
        "channel": channel,
        "purpose": purpose,
        "information": list(information),
        "consent": consent,
        "claims_legal_right": claims_legal_right,
        "in_doubt": in_doubt,
    }
    if in_writing is not None:
        facts["in_writing"] = in_writing
    if is_media:
        person_ids = ()
    try:
        parse_facts(facts)
    except FactsError as exc:
        raise InvalidInput(str(exc)) from None
    colleague = _colleague(actor, requester)
    _refuse_self_request(actor, requester, colleague)
    people = list(dict.fromkeys(person_ids))
    for pid in people:
        # The person must be one the actor may see (need to know applies at intake too). Checked
        # outside the write transaction so that a refusal's audit event is never rolled back.
        access.get_person_for(actor, pid)
    with transaction.atomic():
        return _log(actor, requester, channel, people, facts, summary, colleague)


def _log(
    actor: Staff,
    requester: Requester,
    channel: str,
    people: list[int],
    facts: dict[str, Any],
    summary: str,
    colleague: Staff | None,
) -> Request:
    req = Request.objects.create(
        handler=actor,
        team=actor.team,
        requester_staff=colleague,
        requester_name=requester.name.strip()[:200],
        requester_organisation=requester.organisation[:200],
        requester_role=requester.role[:200],
        requester_contact=requester.contact[:254],
        summary=summary,
        facts=facts,
    )
    RequestSubject.objects.bulk_create([RequestSubject(request=req, person_id=pid) for pid in people])
    RequestEvent.objects.create(request=req, actor=actor, action="logged", to_state=State.RECEIVED)
    audit.record_for_people(
        actor.pk,
        "request.logged",
        people,
        object_type="request",
        object_id=req.pk,
        details={"category": requester.category, "channel": channel, "purpose": facts["purpose"]},
    )
    _redecide(req, actor, facts)
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


def _require_handler(actor: Staff, req: Request) -> None:
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


def _require_undecided(req: Request) -> None:
    if req.state not in OPEN_STATES and req.state != State.APPROVED:
        raise NotPermitted(
            f"This request is {req.get_state_display().lower()}; its facts can no longer change."
        )
    if req.category == "media" or req.facts.get("purpose") == "media_story":
        raise NotPermitted("Media enquiries are handled by the press office (policy 1.5).")


# What the handler may correct directly. What must be shown is not here: documents come only from
# uploads (add_document), identity, entitlement and "in writing" only from completed verification
# tasks, and a reason not to tell the child only from the inform task (policy 2.2-2.4).
FACT_FIELDS = {
    "channel",
    "purpose",
    "information",
    "consent",
    "claims_legal_right",
    "in_doubt",
}
REQUESTER_FIELDS = {"category", "works_with_child"}


@transaction.atomic
def set_facts(actor: Staff, request_id: int, changes: Mapping[str, Any]) -> Request:
    """The handler corrects or adds facts; the decision is re-run. Approvals are never set here:
    they come only from `decide_referral` by the right role."""
    req = _locked(request_id, actor)
    _require_handler(actor, req)
    _require_undecided(req)
    facts = {**req.facts, "requester": dict(req.facts.get("requester", {}))}
    contact = changes.get("contact")
    for key, value in changes.items():
        if key == "contact":
            if not isinstance(value, str) or not value.strip() or len(value) > 254:
                raise InvalidInput("Enter the requester's contact details (254 characters or fewer)")
            continue
        if key == "requester":
            if not isinstance(value, Mapping):
                raise InvalidInput("requester must be an object")
            for sub, subvalue in value.items():
                if sub not in REQUESTER_FIELDS:
                    raise InvalidInput(
                        f"unknown field requester.{sub}; allowed: {', '.join(sorted(REQUESTER_FIELDS))}"
                    )
                facts["requester"][sub] = subvalue
        elif key in FACT_FIELDS:
            facts[key] = value
        else:
            raise InvalidInput(
                f"unknown field {key}; allowed: {', '.join(sorted(FACT_FIELDS | {'requester', 'contact'}))}"
            )
    if facts["requester"].get("category") == "media" or facts.get("purpose") == "media_story":
        raise InvalidInput("A media enquiry cannot be made out of another request; log it as a new request")
    if (
        facts.get("consent") == "written"
        and not req.documents.filter(code=Document.WRITTEN_CONSENT, accepted=True).exists()
    ):
        raise InvalidInput(
            "Upload the written consent: it is recorded as written once information governance "
            "has checked the document"
        )
    if contact is not None:
        req.requester_contact = str(contact).strip()
        req.save(update_fields=["requester_contact"])
    facts = _void_checks_made_on_other_facts(req, actor, facts, contact_changed=contact is not None)
    _redecide(req, actor, _without_approvals(req, actor, facts))
    RequestEvent.objects.create(
        request=req,
        actor=actor,
        action="facts_changed",
        from_state=req.state,
        to_state=req.state,
        note=", ".join(sorted(changes)),
    )
    return req


# What each check was made on: change any of these and the check no longer stands (policy 1.4, 2.4:
# a call-back proves who rang, not who writes; entitlement is for that purpose and that recipient).
CHECKS_MADE_ON: dict[TaskKind, tuple[str, ...]] = {
    TaskKind.VERIFY_IDENTITY: ("channel", "requester.category", "contact"),
    TaskKind.VERIFY_ENTITLEMENT: (
        "channel",
        "purpose",
        "requester.category",
        "requester.works_with_child",
        "contact",
    ),
    TaskKind.REQUEST_IN_WRITING: ("channel",),
}
CHECK_FACT: dict[str, str] = {
    TaskKind.VERIFY_IDENTITY: "identity_verified",
    TaskKind.VERIFY_ENTITLEMENT: "entitlement_verified",
}


def _void_checks_made_on_other_facts(
    req: Request, actor: Staff, facts: dict[str, Any], *, contact_changed: bool
) -> dict[str, Any]:
    before, after = req.facts, facts
    changed = {k for k in ("channel", "purpose") if before.get(k) != after.get(k)}
    changed |= {
        f"requester.{k}"
        for k in ("category", "works_with_child")
        if before.get("requester", {}).get(k) != after["requester"].get(k)
    }
    if contact_changed:
        changed.add("contact")
    if not changed:
        return facts
    facts = {**facts, "requester": dict(facts["requester"])}
    for kind, made_on in CHECKS_MADE_ON.items():
        if not changed & set(made_on):
            continue
        voided = Task.objects.filter(request=req, kind=kind, voided_at__isnull=True).update(
            voided_at=timezone.now()
        )
        if kind in CHECK_FACT:
            facts["requester"][CHECK_FACT[kind]] = False
        else:
            facts.pop("in_writing", None)  # derived again from the channel
        if voided:
            _event(
                req, actor, "check_voided", note=f"{TaskKind(kind).label}: the facts it was made on changed"
            )
    return facts


def _without_approvals(req: Request, actor: Staff, facts: dict[str, Any]) -> dict[str, Any]:
    """An approval was given on the facts as they stood: when they change, it no longer stands and
    the request goes back to whoever must approve it (policy 1.5, 2.4)."""
    if facts.get("approvals"):
        _event(
            req,
            actor,
            "approvals_withdrawn",
            note="The facts changed after approval: it must be approved again.",
        )
    end_record_access(req.pk)  # an agreement to open records was for the facts as they stood
    return {**facts, "approvals": []}


# --- referrals and approvals --------------------------------------------------------------


@transaction.atomic
def decide_referral(actor: Staff, request_id: int, *, approve: bool, reasoning: str) -> Approval:
    """The role a request is referred to approves or refuses it, with its reasoning (policy 1.5,
    2.4). An approval becomes a fact and the decision is re-run; a refusal ends the request."""
    access._require_active(actor)
    req = _locked(request_id, actor)
    routes = [r for r in req.decision.get("route_to", []) if _may_act_for(actor, req, r)]
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
        _event(req, actor, "refused", to_state=State.REFUSED, note=reasoning)
        notify_.decided(req, actor, approved=False)
        return approval
    if route in APPROVAL_ROUTES:
        facts = {**req.facts, "approvals": sorted(set(req.facts.get("approvals", [])) | {route})}
        _redecide(req, actor, facts)
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
    req = _locked(request_id, actor)
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
    req = _locked(request_id, actor)
    try:
        row = record_access_.decide(actor, req, approve=approve, reasoning=reasoning)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    notify_.record_access_decided(req, actor, approved=approve)
    return row


@transaction.atomic
def close_request(actor: Staff, request_id: int, *, note: str) -> Request:
    """Close a request: the handler after release or refusal; the press office its media referrals."""
    access._require_active(actor)
    req = _locked(request_id, actor)
    is_press = "press_office" in req.decision.get("route_to", []) and _may_act_for(actor, req, "press_office")
    if not is_press:
        _require_handler(actor, req)
        if req.state not in {State.RELEASED, State.REFUSED, State.NEED_MORE}:
            raise NotPermitted("Only a released, refused or stalled request can be closed.")
    if req.state == State.CLOSED:
        raise NotPermitted("This request is already closed.")
    if not note.strip():
        raise InvalidInput("Enter why the request is being closed")
    _event(req, actor, "closed", to_state=State.CLOSED, note=note.strip())
    return req


# --- tasks ---------------------------------------------------------------------------------


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
    req = _locked(request_id, actor)
    _require_handler(actor, req)
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
    if kind == TaskKind.VERIFY_ENTITLEMENT and req.facts.get("channel") == "phone":
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
        _redecide(req, actor, facts)
    return task


# --- minimisation and release -------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    allowed: bool
    withheld_because: str = ""


def _allowances(req: Request) -> tuple[bool, bool]:
    """(third-party allowed, confidential-source allowed) under the current decision."""
    decision = req.decision
    share = decision.get("outcome") == Outcome.SHARE
    information = set(req.facts.get("information", []))
    conditions = set(decision.get("conditions", []))
    third = share and "third_party_personal" in information
    confidential = (
        share
        and "confidential_source" in information
        and Condition.WITHHOLD_CONFIDENTIAL_SOURCE not in conditions
        and Document.COURT_ORDER in req.facts.get("documents", [])
    )  # policy 3; 1.5
    return third, confidential


def _candidate(entry: Entry, *, third: bool, confidential: bool, scope: Scope) -> Candidate:
    if not scope.covers(entry):
        return Candidate(entry, False, "Not what the request asks for: share only that (policy 2.2)")
    if entry.confidential_source and not confidential:
        return Candidate(entry, False, "Confidential source: withheld without a court order (policy 3)")
    if entry.third_party and not third:
        return Candidate(entry, False, "Third-party information: not covered by the decision (policy 2.1)")
    return Candidate(entry, True)


def candidates_for(actor: Staff, req: Request) -> list[Candidate]:
    """Entries the handler may pick from, read through access as the handler (each read audited)."""
    _require_handler(actor, req)
    if req.state not in {State.APPROVED, State.PREPARING}:
        raise NotPermitted("Entries can be chosen only once the request is approved.")
    if record_access_.status_of(req) in (record_access_.Status.NEEDED, record_access_.Status.ASKED):
        raise NotPermitted(
            "Someone other than you must agree before you open the records this request is about: "
            "ask your team manager or information governance from the request page."
        )
    third, confidential = _allowances(req)
    # Whatever basis the handler opens the record on, only the kinds of information asked for go.
    scope = scope_for(req.facts.get("information", []))
    seen: set[int] = set()
    out: list[Candidate] = []
    # Only the cases of the people the request names (a sibling's case they appear in is not theirs).
    for case_id in record_access_.subject_case_ids(req):
        if access.case_grant(actor, case_id) is None:
            continue
        for entry in access.get_case_for(actor, case_id).entries:
            if entry.pk in seen:
                continue
            seen.add(entry.pk)
            out.append(_candidate(entry, third=third, confidential=confidential, scope=scope))
    return out


def select_entries(actor: Staff, request_id: int, picks: Mapping[int, str]) -> list[Selection]:
    """The handler picks exactly what the recipient needs, each with its reason (policy 2.3–2.4)."""
    try:
        unlocked = Request.objects.get(pk=request_id)
    except Request.DoesNotExist:
        raise access.NotFound("No such request.") from None
    # Read through access outside the write transaction, so a refusal's audit event survives.
    candidates = {c.entry.pk: c for c in candidates_for(actor, unlocked)}
    with transaction.atomic():
        return _select(actor, _locked(request_id, actor), candidates, picks)


def _select(
    actor: Staff, req: Request, candidates: Mapping[int, Candidate], picks: Mapping[int, str]
) -> list[Selection]:
    if req.state not in {State.APPROVED, State.PREPARING}:
        raise NotPermitted("Entries can be chosen only once the request is approved.")
    if not picks:
        raise InvalidInput("Select at least one entry to release")
    for entry_id, reason in picks.items():
        candidate = candidates.get(int(entry_id))
        if candidate is None:
            raise InvalidInput(f"Entry {entry_id} is not one you can release for this request")
        if not candidate.allowed:
            raise InvalidInput(f"Entry {entry_id} is withheld: {candidate.withheld_because}")
        if not str(reason).strip():
            raise InvalidInput(f"Enter why the recipient needs entry {entry_id}")
    req.selections.all().delete()
    rows = Selection.objects.bulk_create(
        [
            Selection(request=req, entry_id=int(eid), reason=str(reason).strip()[:500], selected_by=actor)
            for eid, reason in sorted(picks.items())
        ]
    )
    audit.record(
        actor.pk,
        "request.entries_selected",
        object_type="request",
        object_id=req.pk,
        details={"entries": sorted(int(e) for e in picks)},
    )
    if req.state == State.APPROVED:
        _event(req, actor, "preparing", to_state=State.PREPARING)
    return rows


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def requester_addresses(req: Request) -> set[str]:
    """The e-mail addresses recorded for the person who asked."""
    return {m.lower() for m in EMAIL.findall(req.requester_contact or "")}


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def goes_to_the_requester(req: Request, channel: str, address: str) -> bool:
    """A release goes to the person who asked, at the contact recorded (and checked) with the request:
    their e-mail address for a secure link, their postal address for a letter."""
    if channel == ReleaseChannel.SECURE_LINK:
        return address.strip().lower() in requester_addresses(req)
    wanted = _plain(address)
    return bool(wanted) and wanted in _plain(req.requester_contact or "")


def unmet_conditions(req: Request) -> list[str]:
    """Conditions of a share decision that are not yet met; a release waits for all of them."""
    facts = req.facts
    requester = facts.get("requester", {})
    done = {t.kind: t.outcome for t in req.tasks.all() if t.voided_at is None}
    checks = {
        Condition.VERIFY_IDENTITY: bool(requester.get("identity_verified")),
        Condition.VERIFY_ENTITLEMENT: bool(requester.get("entitlement_verified")),
        Condition.REQUEST_IN_WRITING: bool(facts.get("in_writing")),
        Condition.INFORM_SUBJECT: TaskKind.INFORM_SUBJECT in done,
        Condition.MANAGER_APPROVAL: "manager" in facts.get("approvals", []),
        Condition.OBTAIN_CONSENT: facts.get("consent") != "none",
        Condition.COURT_ORDER: Document.COURT_ORDER in facts.get("documents", []),  # once checked
        Condition.ANONYMISE: False,  # anonymised extracts are issued by research governance, not here
    }
    return [c for c in req.decision.get("conditions", []) if not checks.get(c, True)]


def build_bundle(req: Request, entries: Iterable[tuple[Entry, str]]) -> bytes:
    """The release as a PDF: only the selected entries, each with its reason for inclusion."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    _, height = A4
    y = height - 60

    def line(text: str, size: int = 10) -> None:
        nonlocal y
        for start in range(0, max(len(text), 1), 95):
            if y < 60:
                pdf.showPage()
                y = height - 60
            pdf.setFont("Helvetica", size)
            pdf.drawString(50, y, text[start : start + 95])
            y -= size + 4

    line(f"Disclosure for request {req.pk} to {req.requester_organisation or req.requester_name}", 13)
    line("OFFICIAL-SENSITIVE. Shared under the Children's Services Confidentiality Policy.")
    for entry, reason in entries:
        line("")
        line(f"{entry.get_kind_display()} of {entry.occurred_on.isoformat()}: {entry.title}", 11)
        line(f"Included because: {reason}")
        for paragraph in entry.text.splitlines() or [""]:
            line(paragraph)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@transaction.atomic
def release_request(actor: Staff, request_id: int, *, channel: str, address: str) -> disclosures.Release:
    """The handler releases the selected entries through the disclosure service (the one door out):
    register entry and outbox in one transaction. Never plain e-mail (policy 1.1)."""
    req = _locked(request_id, actor)
    _require_handler(actor, req)
    unmet = unmet_conditions(req)
    if req.outcome in (Outcome.NEED_MORE, Outcome.REFER) and unmet:
        raise NotPermitted("Before release: " + "; ".join(labels.condition_labels(unmet)))
    if req.outcome != Outcome.SHARE:
        raise NotPermitted("The policy decision on this request is not to share.")
    if req.state != State.PREPARING:
        raise NotPermitted("Choose the entries to release first.")
    if channel not in RELEASE_CHANNELS:
        raise InvalidInput("Select a secure download link or print and post")
    if not address.strip():
        raise InvalidInput(
            "Enter the recipient's e-mail address"
            if channel == ReleaseChannel.SECURE_LINK
            else "Enter the recipient's postal address"
        )
    if channel == ReleaseChannel.SECURE_LINK:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(address.strip())
        except ValidationError:
            raise InvalidInput(
                "Enter an e-mail address in the correct format, like name@example.org"
            ) from None
    unmet = unmet_conditions(req)
    if unmet:
        raise NotPermitted("Before release: " + "; ".join(labels.condition_labels(unmet)))
    if not goes_to_the_requester(req, channel, address):
        raise InvalidInput(
            "Send it only to the person who asked, at the contact recorded with the request and checked "
            f"with their entitlement (policy 2.4): {req.requester_contact or 'none recorded yet'}. "
            "If they gave another address, correct the request's contact details first."
        )
    selections = list(req.selections.all())
    # What leaves is read through the one door, as the handler: each entry's read is audited and
    # its need-to-know basis checked again (DESIGN "One door to personal data").
    picked = sorted(
        ((access.get_entry_for(actor, s.entry_id)[0], s.reason) for s in selections),
        key=lambda pair: (pair[0].occurred_on, pair[0].pk),
    )
    third, confidential = _allowances(req)
    scope = scope_for(req.facts.get("information", []))
    for entry, _ in picked:  # the decision may have changed since the entries were picked
        if (
            (entry.confidential_source and not confidential)
            or (entry.third_party and not third)
            or not scope.covers(entry)
        ):
            raise NotPermitted(f"Entry {entry.pk} can no longer be released; choose the entries again.")
    content = build_bundle(req, picked)
    decision = current_decision(req)
    approver = (
        Approval.objects.filter(request=req, approved=True)
        .select_related("decided_by")
        .order_by("-decided_at")
        .first()
    )
    legal_basis = "; ".join(f"{r.text} (policy {r.paragraph})" for r in decision.reasons)
    release = disclosures.disclose(
        actor,
        recipient=disclosures.Recipient(
            name=req.requester_name,
            organisation=req.requester_organisation,
            category=req.category,
            address=address.strip(),
        ),
        channel=ReleaseChannel(channel),
        content=content,
        content_name=f"disclosure-request-{req.pk}.pdf",
        source="request",
        source_id=str(req.pk),
        # Everyone whose records went out: the request's subjects and the subject of each case an
        # entry came from (a parent's request can release their children's case notes).
        person_ids=sorted(
            set(req.subject_links.values_list("person_id", flat=True))
            | {entry.case.subject_id for entry, _ in picked}
        ),
        entry_ids=[s.entry_id for s in selections],
        purpose=str(req.facts.get("purpose", "")),
        legal_basis=legal_basis,
        rules=list(decision.rules),
        approved_by=approver.decided_by if approver else None,
        summary=f"{len(selections)} entries for request {req.pk}",
        message_subject=f"Information from Children's Services (request {req.pk})",
        message_body="Your documents are ready. The code to open them will reach you separately."
        if channel == ReleaseChannel.SECURE_LINK
        else "Print, check and post by recorded delivery.",
    )
    req.disclosure = release.disclosure
    req.save(update_fields=["disclosure"])
    _event(req, actor, "released", to_state=State.RELEASED, note=f"Register entry {release.disclosure.pk}")
    notify_.released(req, actor)
    return release


def subject_refs(actor: Staff, req: Request) -> list[str]:
    """The references (never names) of the people a request is about, read through access so the
    look is audited; the record itself is opened through access only on a need to know."""
    person_ids = [link.person_id for link in req.subject_links.all()]
    if not person_ids:
        return []
    return access.person_refs(actor, person_ids, context=f"request:{req.pk}")


def history(req: Request) -> list[RequestEvent]:
    return list(req.events.select_related("actor"))


def now() -> Any:
    return timezone.now()
