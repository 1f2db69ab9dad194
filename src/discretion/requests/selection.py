"""Minimisation: the entries a handler may pick for a release, and the picks with their reasons
(policy 2.1-2.4, 3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from discretion import access
from discretion.audit import services as audit
from discretion.errors import InvalidInput, NotPermitted
from discretion.policy import (
    Condition,
    Document,
    Information,
    Outcome,
)
from discretion.records.models import Entry
from discretion.requests import record_access as record_access_
from discretion.requests.grants import Scope, scope_for
from discretion.requests.models import (
    Request,
    Selection,
    State,
)
from discretion.requests.permissions import lock_request, require_handler
from discretion.requests.workflow import record_event
from discretion.staff.models import Staff


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    allowed: bool
    withheld_because: str = ""


def release_allowances(req: Request) -> tuple[bool, bool]:
    """(third-party allowed, confidential-source allowed) under the current decision."""
    decision = req.decision
    facts = req.stored_facts
    share = decision.get("outcome") == Outcome.SHARE
    third = share and Information.THIRD_PARTY_PERSONAL in facts.information
    confidential = (
        share
        and Information.CONFIDENTIAL_SOURCE in facts.information
        and Condition.WITHHOLD_CONFIDENTIAL_SOURCE not in decision.get("conditions", [])
        and Document.COURT_ORDER in facts.documents
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
    require_handler(actor, req)
    if req.state not in {State.APPROVED, State.PREPARING}:
        raise NotPermitted("Entries can be chosen only once the request is approved.")
    if record_access_.status_of(req) in (record_access_.Status.NEEDED, record_access_.Status.ASKED):
        raise NotPermitted(
            "Someone other than you must agree before you open the records this request is about: "
            "ask your team manager or information governance from the request page."
        )
    third, confidential = release_allowances(req)
    # Whatever basis the handler opens the record on, only the kinds of information asked for go.
    scope = scope_for(req.stored_facts.information)
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
        return _select(actor, lock_request(request_id, actor), candidates, picks)


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
        record_event(req, actor, "preparing", to_state=State.PREPARING)
    return rows
