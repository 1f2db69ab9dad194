"""Logging an incoming request: who asks, about whom, what and why; decided at once (policy 1.2,
1.5, 2.4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from discretion import access
from discretion.audit import services as audit
from discretion.errors import InvalidInput
from discretion.policy import (
    FactsError,
    parse_facts,
)
from discretion.requests.models import (
    Request,
    RequestEvent,
    RequestSubject,
    State,
)
from discretion.requests.workflow import redecide
from discretion.staff.alerts import raise_alert
from discretion.staff.models import AlertKind, Role, Staff


@dataclass(frozen=True)
class RequesterDetails:
    """Who is asking, as the handler took it down (the policy reads only their category)."""

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


def _colleague(actor: Staff, requester: RequesterDetails) -> Staff | None:
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


def _refuse_self_request(actor: Staff, requester: RequesterDetails, colleague: Staff | None) -> None:
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
    requester: RequesterDetails,
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
    requester: RequesterDetails,
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
    redecide(req, actor, facts)
    return req
