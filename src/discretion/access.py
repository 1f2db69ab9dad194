"""The one door to personal data: need to know, checked and audited on every read.

Every read of a person, case, entry or attachment, and every search, goes through a function
here. Each decides whether the actor may see the record (the basis), writes an audit event
(the read, or the refusal), and returns only what that basis allows. A view, API endpoint or
command that queries these records directly is a bug.

Need to know (policy 1.2, 2.4; DESIGN "One door to personal data"):
- staff allocated to a case, while allocated;
- the team manager of the case's team, or of a worker currently allocated to it;
- a volunteer or work-experience student: only the cases their responsible member of staff has
  shared with them, case by case, while that member of staff is allocated; never special-category,
  third-party, confidential-source or commercial entries, and identifiers such as NHS numbers masked;
- the handler of a request, for the people it names and the kinds of information it asks for, once
  someone else has agreed (`requests.grants`: four eyes);
- information governance officers, for audit;
- anyone else (bar volunteers, students and the press office) by break-glass: a typed reason,
  recorded, time-limited, alerting the team manager of the case.

A refusal is audited; to anyone who could not break glass anyway it is the same dull "not found" as
a record that does not exist, so no role can use the door to learn who is on the records.
"""

from __future__ import annotations

import contextvars
import copy as _copy
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from discretion.disclosures.models import Channel, OutboxMessage
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import InvalidInput
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.records.identifiers import name_key
from discretion.records.models import Attachment, BreakGlass, Case, Entry, Person, PersonName, Relationship
from discretion.requests.grants import Scope, request_case_ids, request_grants, request_scopes
from discretion.staff.alerts import raise_alert
from discretion.staff.models import (
    Acknowledgement,
    AlertKind,
    Allocation,
    CaseShare,
    PolicyVersion,
    Role,
    Staff,
)

IdQuery = QuerySet[Any, int]
"""A query of record ids (case ids), used as a subquery."""


class Basis(StrEnum):
    ALLOCATED = "allocated"
    TEAM_MANAGER = "team_manager"
    SUPERVISED = "supervised"
    INFORMATION_GOVERNANCE = "information_governance"
    REQUEST_HANDLER = "request_handler"
    BREAK_GLASS = "break_glass"


# Entry flags a basis may be barred from (records.Entry's boolean fields of the same names).
SPECIAL_CATEGORY = "special_category"
THIRD_PARTY = "third_party"
CONFIDENTIAL_SOURCE = "confidential_source"
COMMERCIAL = "commercial"
ENTRY_FLAGS: frozenset[str] = frozenset({SPECIAL_CATEGORY, THIRD_PARTY, CONFIDENTIAL_SOURCE, COMMERCIAL})


@dataclass(frozen=True)
class Grant:
    """A basis for opening a case, and what of it that basis shows: `hidden` entry flags are never
    shown; `ordinary` says whether entries with no flag are; `masks_identifiers` masks NHS numbers."""

    basis: Basis
    hidden: frozenset[str] = frozenset()
    ordinary: bool = True
    masks_identifiers: bool = False

    @property
    def hides_special_category(self) -> bool:
        return SPECIAL_CATEGORY in self.hidden

    @property
    def is_restricted(self) -> bool:
        return bool(self.hidden) or not self.ordinary

    def shows(self, entry: Entry) -> bool:
        flags = {flag for flag in ENTRY_FLAGS if getattr(entry, flag)}
        if flags & self.hidden:
            return False
        return bool(flags) or self.ordinary

    def entry_filter(self) -> Q:
        """The entries this grant shows, as a query filter."""
        shown = Q(**{flag: False for flag in sorted(self.hidden)})
        if not self.ordinary:
            allowed = sorted(ENTRY_FLAGS - self.hidden)
            any_allowed = Q(pk__in=[])
            for flag in allowed:
                any_allowed |= Q(**{flag: True})
            shown &= any_allowed
        return shown

    def merged(self, other: Grant) -> Grant:
        """The wider of two grants of the same basis (one case reached by two requests)."""
        return Grant(
            self.basis,
            self.hidden & other.hidden,
            self.ordinary or other.ordinary,
            self.masks_identifiers and other.masks_identifiers,
        )


# policy 1.2: those working under supervision never see these, and identifiers are masked.
SUPERVISED_GRANT = Grant(Basis.SUPERVISED, hidden=ENTRY_FLAGS, masks_identifiers=True)


def _request_grant(scope: Scope) -> Grant:
    return Grant(Basis.REQUEST_HANDLER, hidden=ENTRY_FLAGS - scope.flags, ordinary=scope.ordinary)


def mask_identifier(value: str) -> str:
    """An identifier shown to someone who may know the person but not the number: last 3 only."""
    digits = "".join(ch for ch in value if ch.isalnum())
    if not digits:
        return ""
    return "\u2022" * max(len(digits) - 3, 0) + digits[-3:]


_WITHHELD_WORDS = {
    "EMAIL": "[e-mail address withheld]",
    "ADDRESS": "[address withheld]",
    "POSTCODE": "[postcode withheld]",
}


def mask_identifiers_in(text: str, index: Any) -> tuple[str, int]:
    """`text` with every identifier the finder sees in it masked (policy 1.2: those under supervision
    see no identifier in full): numbers as `mask_identifier` shows them (the last 3 only), an e-mail
    address, home address or postcode replaced by words saying one was withheld. Returns the text
    and how many were masked."""
    from discretion.detect.identifiers import identifier_spans

    spans = identifier_spans(text, index)
    if not spans:
        return text, 0
    out, pos = [], 0
    for start, end, label in spans:
        out.append(text[pos:start])
        out.append(_WITHHELD_WORDS.get(str(label)) or mask_identifier(text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out), len(spans)


def _case_people_index(case_id: int) -> Any:
    """The finder's index of one case's people (their names, numbers and homes), so their addresses
    are known when written out in an entry."""
    from discretion.detect import SubjectIndex
    from discretion.outbound.subjects import load_subjects
    from discretion.records.models import CaseMember

    people = set(CaseMember.objects.filter(case_id=case_id).values_list("person_id", flat=True))
    people |= set(Case.objects.filter(pk=case_id).values_list("subject_id", flat=True))
    return SubjectIndex(load_subjects(people))


def _shown_entries(case_id: int, entries: list[Entry], grant: Grant) -> tuple[list[Entry], int]:
    """The entries as this grant may see them: for a grant that masks identifiers, copies whose title
    and text have every identifier masked (the stored entry is never touched). Returns how many
    identifiers were masked."""
    if not grant.masks_identifiers or not entries:
        return entries, 0
    index = _case_people_index(case_id)
    shown, masked = [], 0
    for entry in entries:
        copy = _copy.copy(entry)  # Django copies the instance's state and cached relations
        copy.text, in_text = mask_identifiers_in(entry.text, index)
        copy.title, in_title = mask_identifiers_in(entry.title, index)
        shown.append(copy)
        masked += in_text + in_title
    return shown, masked


# --- who may ------------------------------------------------------------------------------


def has_acknowledged_current_policy(actor: Staff) -> bool:
    # Cached on the actor object for the life of one request or command.
    cached: bool | None = getattr(actor, "_acknowledged_current_policy", None)
    if cached is not None:
        return cached
    # One query: whether the newest version (if any) has been acknowledged by the actor.
    acknowledged = (
        PolicyVersion.objects.order_by("-published_at", "-id")
        .annotate(by_actor=Exists(Acknowledgement.objects.filter(staff=actor, policy=OuterRef("pk"))))
        .values_list("by_actor", flat=True)
        .first()
    )
    answer = acknowledged is None or bool(acknowledged)
    actor._acknowledged_current_policy = answer  # type: ignore[attr-defined]
    return answer


def _require_active(actor: Staff) -> None:
    if not actor.is_active or actor.has_ended():
        raise AccessDenied("Your account is not active.")
    if not has_acknowledged_current_policy(actor):
        raise PolicyNotAcknowledged("Read and acknowledge the current Confidentiality Policy first.")


def _sponsor_id(actor: Staff, today: dt.date) -> int | None:
    """A volunteer's or student's responsible member of staff, while that person is still current:
    their access is only ever what their sponsor's allocations allow (policy 1.2)."""
    sponsor_id = actor.responsible_staff_id
    if sponsor_id is None:
        return None
    current = (
        Staff.objects.filter(pk=sponsor_id, is_active=True)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
        .exists()
    )
    return sponsor_id if current else None


def _current_allocations(today: dt.date) -> QuerySet[Allocation]:
    return Allocation.objects.filter(start_on__lte=today).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    )


def _allocated_case_ids(staff_id: int, today: dt.date) -> IdQuery:
    return _current_allocations(today).filter(staff_id=staff_id).values_list("case_id", flat=True)


def _shared_case_ids(actor: Staff, today: dt.date) -> IdQuery:
    """The cases a volunteer's or student's responsible member of staff has shared with them and is
    still allocated to (policy 1.2): nothing once the sponsor leaves or the allocation ends."""
    sponsor_id = _sponsor_id(actor, today)
    if sponsor_id is None:
        return Allocation.objects.none().values_list("case_id", flat=True)
    shared = CaseShare.objects.filter(supervisee=actor, shared_by_id=sponsor_id, ended_at__isnull=True)
    return _allocated_case_ids(sponsor_id, today).filter(case_id__in=shared.values("case_id"))


def _managed_case_ids(manager: Staff, today: dt.date) -> IdQuery:
    teams = manager.managed_teams.values_list("id", flat=True)
    via_workers = (
        _current_allocations(today).filter(staff__team_id__in=teams).values_list("case_id", flat=True)
    )
    return Case.objects.filter(Q(team_id__in=teams) | Q(id__in=via_workers)).values_list("id", flat=True)


def _break_glass_case_ids(actor: Staff) -> IdQuery:
    return BreakGlass.objects.filter(staff=actor, expires_at__gt=timezone.now()).values_list(
        "case_id", flat=True
    )


def case_grants(actor: Staff, case_ids: Iterable[int]) -> dict[int, Grant]:
    """The basis on which `actor` may open each of `case_ids` now; cases without one are absent.

    One query per basis, asked only about the cases no earlier basis has granted, in the order
    allocated, request handler, team manager, break-glass: so the common case (an allocated
    worker) costs one query however many cases there are.
    """
    wanted = list(dict.fromkeys(case_ids))
    if not wanted:
        return {}
    if actor.role == Role.IGO and not actor.is_supervised:
        return dict.fromkeys(wanted, Grant(Basis.INFORMATION_GOVERNANCE))
    today = timezone.localdate()
    if actor.is_supervised:
        ids = _shared_case_ids(actor, today).filter(case_id__in=wanted)
        return dict.fromkeys(ids, SUPERVISED_GRANT)
    checks: list[tuple[Basis, Callable[[list[int]], Iterable[int]]]] = [
        (Basis.ALLOCATED, lambda rest: _allocated_case_ids(actor.pk, today).filter(case_id__in=rest)),
    ]
    if actor.role == Role.TEAM_MANAGER:
        checks.append((Basis.TEAM_MANAGER, lambda rest: _managed_case_ids(actor, today).filter(id__in=rest)))
    checks.append((Basis.BREAK_GLASS, lambda rest: _break_glass_case_ids(actor).filter(case_id__in=rest)))
    grants: dict[int, Grant] = {}
    for basis, granted_among in checks:
        rest = [case_id for case_id in wanted if case_id not in grants]
        if not rest:
            break
        for case_id in granted_among(rest):
            grants.setdefault(case_id, Grant(basis))
    rest = [case_id for case_id in wanted if case_id not in grants]
    if rest:  # last: a request opens only part of a record, and only with four eyes
        for case_id, scope in request_scopes(actor.pk, rest).items():
            grants[case_id] = _request_grant(scope)
    return grants


def case_grant(actor: Staff, case_id: int) -> Grant | None:
    """The basis on which `actor` may open case `case_id` now, or None."""
    return case_grants(actor, [case_id]).get(case_id)


def accessible_case_ids(actor: Staff) -> IdQuery | None:
    """Ids of every case the actor may open now; None means all (information governance)."""
    today = timezone.localdate()
    if actor.role == Role.IGO and not actor.is_supervised:
        return None
    if actor.is_supervised:
        return _shared_case_ids(actor, today)
    ids = Case.objects.filter(
        Q(id__in=_allocated_case_ids(actor.pk, today))
        | Q(id__in=_break_glass_case_ids(actor))
        | Q(id__in=request_case_ids(actor.pk))
    )
    if actor.role == Role.TEAM_MANAGER:
        ids = Case.objects.filter(Q(id__in=ids.values("id")) | Q(id__in=_managed_case_ids(actor, today)))
    return ids.values_list("id", flat=True)


def can_break_glass(actor: Staff) -> bool:
    return not actor.is_supervised and actor.role not in {Role.PRESS, Role.ADMIN}


def _person_grant(actor: Staff, person: Person) -> tuple[Grant | None, dict[int, Grant]]:
    """The actor's basis for the person's record, and for each of the person's cases they may open.

    The record opens on the first case the actor may open without restriction (else with);
    failing a case, as the handler of an approved request about the person, or for audit.
    """
    case_ids = list(person.case_memberships.values_list("case_id", flat=True))
    grants = case_grants(actor, case_ids)
    granted = [grants[case_id] for case_id in case_ids if case_id in grants]
    best = next((g for g in granted if not g.is_restricted), granted[0] if granted else None)
    if best is None and not actor.is_supervised and request_grants(actor.pk, person.pk):
        best = Grant(Basis.REQUEST_HANDLER, hidden=frozenset({SPECIAL_CATEGORY}))
    if best is None and actor.role == Role.IGO and not actor.is_supervised:
        best = Grant(Basis.INFORMATION_GOVERNANCE)
    return best, grants


# --- refusals ---------------------------------------------------------------------------


# Refusals raised inside a caller's transaction are kept here and written once that
# transaction is over (web middleware, API, CLI call flush_pending_refusals), so a rollback
# can never erase the record of a refused look at a child's record.
_pending_refusals: contextvars.ContextVar[tuple[dict[str, Any], ...]] = contextvars.ContextVar(
    "pending_refusals", default=()
)


def _in_caller_transaction() -> bool:
    # Django's own test-case transactions don't count: nothing rolls them back mid-test.
    return connection.in_atomic_block and any(
        not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def flush_pending_refusals() -> int:
    """Write refusals queued inside transactions that have since ended. Returns how many."""
    pending = _pending_refusals.get()
    if not pending or _in_caller_transaction():
        return 0
    _pending_refusals.set(())
    for event in pending:
        with transaction.atomic():
            audit.record(**event)
    return len(pending)


def _record_refusal(event: dict[str, Any]) -> None:
    """Audit a refusal now, or once the caller's transaction is over (see _pending_refusals)."""
    if _in_caller_transaction():
        _pending_refusals.set((*_pending_refusals.get(), event))
    else:
        with transaction.atomic():
            audit.record(**event)


class Hidden(NotFound):
    """A refused look, answered exactly as a missing record is (the refusal has been audited)."""


NOT_FOUND_MESSAGES = {
    "person": "No such person.",
    "case": "No such case.",
    "entry": "No such entry.",
    "attachment": "No such attachment.",
}


def _refuse(
    actor: Staff,
    *,
    object_type: str,
    object_id: int,
    person_id: int | None,
    case_id: int | None,
    message: str,
) -> AccessDenied | NotFound:
    """Audit the refusal. Someone who may break glass is told it is refused (and may ask for
    access); anyone else gets the same answer as for a record that does not exist."""
    _record_refusal(
        {
            "actor_id": actor.pk,
            "action": "access.refused",
            "object_type": object_type,
            "object_id": object_id,
            "person_id": person_id,
            "details": {"case": case_id} if case_id else None,
        }
    )
    if not can_break_glass(actor):
        return Hidden(NOT_FOUND_MESSAGES.get(object_type, "Not found."))
    return AccessDenied(message, case_id=case_id, person_id=person_id, can_break_glass=True)


def refusal(
    actor: Staff,
    action: str,
    message: str,
    *,
    object_type: str = "",
    object_id: object = "",
    person_ids: Iterable[int] = (),
    details: dict[str, Any] | None = None,
) -> NotPermitted:
    """An audited refusal of an action (`<action>.refused`, one event per person it concerns):
    every refusal is recorded, even inside a transaction that is then rolled back."""
    people: list[int | None] = [*sorted(set(person_ids))] or [None]
    for person_id in people:
        _record_refusal(
            {
                "actor_id": actor.pk,
                "action": f"{action}.refused",
                "object_type": object_type,
                "object_id": object_id,
                "person_id": person_id,
                "details": {"message": message, **(details or {})},
            }
        )
    return NotPermitted(message)


# --- reads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView:
    case: Case
    grant: Grant
    entries: list[Entry]


@dataclass(frozen=True)
class PersonView:
    person: Person
    grant: Grant
    cases: list[Case]
    aliases: list[PersonName]
    show_special_category: bool

    @property
    def nhs_number(self) -> str:
        """The NHS number as this basis may see it (masked for those under supervision)."""
        number = self.person.nhs_number
        return mask_identifier(number) if number and self.grant.masks_identifiers else number


def _case(case_id: int) -> Case:
    try:
        return Case.objects.select_related("subject", "team").get(pk=case_id)
    except Case.DoesNotExist:
        raise NotFound("No such case.") from None


def _case_by_ref(ref: str) -> Case:
    try:
        return Case.objects.select_related("subject", "team").get(ref=ref)
    except Case.DoesNotExist:
        raise NotFound("No such case.") from None


def _visible_entries(case: Case, grant: Grant) -> QuerySet[Entry]:
    entries = Entry.objects.filter(case=case).select_related("author").order_by("-occurred_on", "-id")
    if grant.is_restricted:
        entries = entries.filter(grant.entry_filter())
    return entries


def get_case_for(actor: Staff, case_id: int | None = None, *, ref: str | None = None) -> CaseView:
    """Open a case and the entries the actor may see; audited as one read."""
    _require_active(actor)
    case = _case(case_id) if case_id is not None else _case_by_ref(str(ref))
    grant = _grant_or_refuse(actor, case)
    entries, masked = _shown_entries(case.pk, list(_visible_entries(case, grant)), grant)
    details: dict[str, Any] = {"basis": grant.basis.value, "entries": [e.pk for e in entries]}
    if masked:
        details["identifiers_masked"] = masked
    audit.record(
        actor.pk,
        "case.read",
        object_type="case",
        object_id=case.pk,
        person_id=case.subject_id,
        details=details,
    )
    return CaseView(case, grant, entries)


def get_person_for(actor: Staff, person_id: int | None = None, *, ref: str | None = None) -> PersonView:
    """Open a person's record: allowed when the actor may open any case they belong to."""
    _require_active(actor)
    try:
        people = Person.objects.prefetch_related(
            "addresses",
            Prefetch("relationships", queryset=Relationship.objects.select_related("relative")),
            Prefetch("related_from", queryset=Relationship.objects.select_related("person")),
        )
        person = people.get(pk=person_id) if person_id is not None else people.get(ref=ref)
    except Person.DoesNotExist:
        raise NotFound("No such person.") from None
    grant, case_grants_ = _person_grant(actor, person)
    if grant is None:
        first_case = person.case_memberships.values_list("case_id", flat=True).first()
        raise _refuse(
            actor,
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            case_id=first_case,
            message="You do not have a need to know this person's record.",
        )
    # The cases listed are exactly those the actor may open.
    cases = Case.objects.filter(id__in=list(case_grants_)).select_related("team").order_by("-opened_on")
    aliases = list(person.names.exclude(kind="legal"))
    audit.record(
        actor.pk,
        "person.read",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        details={"basis": grant.basis.value},
    )
    return PersonView(person, grant, list(cases), aliases, not grant.hides_special_category)


def get_entry_for(actor: Staff, entry_id: int) -> tuple[Entry, Grant]:
    _require_active(actor)
    try:
        entry = Entry.objects.select_related("case", "author").get(pk=entry_id)
    except Entry.DoesNotExist:
        raise NotFound("No such entry.") from None
    grant = case_grant(actor, entry.case_id)
    if grant is None or not grant.shows(entry):
        raise _refuse(
            actor,
            object_type="entry",
            object_id=entry.pk,
            person_id=entry.case.subject_id,
            case_id=entry.case_id,
            message="You do not have a need to know this entry.",
        )
    [entry], masked = _shown_entries(entry.case_id, [entry], grant)
    details: dict[str, Any] = {"basis": grant.basis.value}
    if masked:
        details["identifiers_masked"] = masked
    audit.record(
        actor.pk,
        "entry.read",
        object_type="entry",
        object_id=entry.pk,
        person_id=entry.case.subject_id,
        details=details,
    )
    return entry, grant


def open_attachment_for(actor: Staff, attachment_id: int) -> Attachment:
    """An attachment, behind the same check as its entry; every download is audited."""
    _require_active(actor)
    try:
        attachment = Attachment.objects.select_related("entry__case").get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise NotFound("No such attachment.") from None
    entry = attachment.entry
    grant = case_grant(actor, entry.case_id)
    if grant is None or not grant.shows(entry):
        raise _refuse(
            actor,
            object_type="attachment",
            object_id=attachment.pk,
            person_id=entry.case.subject_id,
            case_id=entry.case_id,
            message="You do not have a need to know this attachment.",
        )
    audit.record(
        actor.pk,
        "attachment.read",
        object_type="attachment",
        object_id=attachment.pk,
        person_id=entry.case.subject_id,
        details={"basis": grant.basis.value},
    )
    return attachment


def my_cases(actor: Staff) -> list[Case]:
    """The actor's own caseload (allocations; a manager's team cases); only ids are audited."""
    _require_active(actor)
    today = timezone.localdate()
    if actor.role == Role.TEAM_MANAGER:
        ids = _managed_case_ids(actor, today)
    elif actor.is_supervised:
        ids = _shared_case_ids(actor, today)
    else:
        ids = _allocated_case_ids(actor.pk, today)
    cases = list(
        Case.objects.filter(id__in=ids).select_related("subject", "team").order_by("-opened_on")[:500]
    )
    audit.record_for_people(
        actor.pk,
        "caseload.read",
        {c.subject_id for c in cases},
        object_type="staff",
        object_id=actor.pk,
        details={"cases": [c.pk for c in cases]},
    )
    return cases


def person_refs(actor: Staff, person_ids: list[int], *, context: str) -> list[str]:
    """The references (never names) of people a piece of casework is about, audited as one read.

    For pages such as a request or a subject-access case that must say whom they concern to
    staff who may not yet have a need to know the record itself.
    """
    _require_active(actor)
    refs = list(Person.objects.filter(id__in=person_ids).order_by("ref").values_list("ref", flat=True))
    audit.record_for_people(
        actor.pk,
        "person.refs_read",
        person_ids,
        object_type="casework",
        object_id=context,
        details={"people": sorted(person_ids)},
    )
    return refs


# --- search -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResults:
    people: list[Person]
    # Records that match but that the actor may not open: only their references are shown,
    # so the actor can ask for access; never a name or a date of birth.
    restricted_refs: list[str] = field(default_factory=list)


def search_people(
    actor: Staff, query: str, *, date_of_birth: dt.date | None = None, limit: int = 25
) -> SearchResults:
    """Fuzzy search by name (aliases too) and date of birth, filtered by need to know."""
    _require_active(actor)
    from discretion.records.search import matching_person_ids

    ids = matching_person_ids(query, date_of_birth=date_of_birth, limit=limit * 4)
    allowed_cases = accessible_case_ids(actor)
    if allowed_cases is None:
        visible_ids = set(ids)
    else:
        visible_ids = set(
            Person.objects.filter(id__in=ids, case_memberships__case_id__in=allowed_cases).values_list(
                "id", flat=True
            )
        )
    people_by_id = Person.objects.in_bulk([i for i in ids if i in visible_ids])
    people = [people_by_id[i] for i in ids if i in people_by_id][:limit]
    # Only someone who could break glass is told that a record they may not open exists (they can
    # ask for access); to anyone else it is as if there were no such person.
    restricted_ids = [i for i in ids if i not in visible_ids][:limit] if can_break_glass(actor) else []
    restricted = dict(Person.objects.filter(id__in=restricted_ids).values_list("id", "ref"))
    audit.record_for_people(
        actor.pk,
        "people.search",
        [p.pk for p in people] + list(restricted),
        object_type="search",
        details={
            "query_length": len(query),
            "dob": bool(date_of_birth),
            "shown": [p.pk for p in people],
            "restricted": sorted(restricted),
        },
    )
    return SearchResults(people, sorted(restricted.values()))


# --- break-glass ------------------------------------------------------------------------


def break_glass(actor: Staff, case_id: int, reason: str) -> BreakGlass:
    """Open a case outside need to know for a typed reason; time-limited; alerts the manager."""
    _require_active(actor)
    if not can_break_glass(actor):
        raise refusal(
            actor,
            "access.break_glass",
            "Your role cannot use break-glass access. Ask your responsible member of staff.",
            object_type="case",
            object_id=case_id,
        )
    reason = reason.strip()
    if len(reason) < 10:
        raise InvalidInput("Enter the reason you need to open this record (at least 10 characters).")
    with transaction.atomic():
        return _break_glass(actor, _case(case_id), reason)


def _break_glass(actor: Staff, case: Case, reason: str) -> BreakGlass:
    now = timezone.now()
    grant = BreakGlass.objects.create(
        staff=actor,
        case=case,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    manager = case.team.manager
    raise_alert(
        AlertKind.BREAK_GLASS,
        about=actor,
        recipient=manager,
        case_id=case.pk,
        summary=f"Break-glass access to case {case.ref}",
        evidence={"break_glass": grant.pk, "reason": reason},
    )
    audit.record(
        actor.pk,
        "access.break_glass",
        object_type="case",
        object_id=case.pk,
        person_id=case.subject_id,
        reason=reason,
        details={"expires_at": grant.expires_at.isoformat(), "alerted": manager.pk if manager else None},
    )
    return grant


def require_case_grant(actor: Staff, *, ref: str) -> Grant:
    """May the actor work on case `ref` now? For actions that show nothing of the record itself
    (the outbound guard's live check as a message is typed): a refusal is audited like any other;
    a grant is not an audited read, as nothing of the record is returned."""
    _require_active(actor)
    return _grant_or_refuse(actor, _case_by_ref(ref))


def _grant_or_refuse(actor: Staff, case: Case) -> Grant:
    """The actor's basis for `case`, or an audited refusal."""
    grant = case_grant(actor, case.pk)
    if grant is None:
        raise _refuse(
            actor,
            object_type="case",
            object_id=case.pk,
            person_id=case.subject_id,
            case_id=case.pk,
            message="You are not allocated to this case.",
        )
    return grant


# --- research -----------------------------------------------------------------------------

ResearchRow = tuple[int, str, "dt.date | None", str, str, str, "dt.date", "dt.date | None", str]


def read_for_research(actor: Staff, request_id: int, fields: list[str]) -> list[ResearchRow]:
    """The bulk read behind a research extract: one row per child's case, the subject's
    quasi-identifiers only (values(), so no name, address line or NHS number is ever loaded).
    Research governance only, with the current policy acknowledged like any other read of
    personal data; audited as one `research.extract` read with counts (policy 1.2, 1.4)."""
    _require_active(actor)
    if actor.role != Role.RESEARCH or actor.is_supervised:
        raise refusal(
            actor,
            "research.extract",
            "Only research governance can issue research extracts.",
            object_type="research_request",
            object_id=request_id,
        )
    from discretion.records.models import Address

    cases = list(
        Case.objects.filter(subject__is_child=True)
        .order_by("id")
        .values_list(
            "subject_id",
            "subject__ref",
            "subject__date_of_birth",
            "subject__gender",
            "subject__ethnicity",
            "kind",
            "opened_on",
            "closed_on",
        )
    )
    people = {c[0] for c in cases}
    postcodes = dict(
        Address.objects.filter(is_current=True, person_id__in=people)
        .order_by("id")
        .values_list("person_id", "postcode")
    )
    audit.record(
        actor.pk,
        "research.extract",
        object_type="research_request",
        object_id=request_id,
        details={"cases": len(cases), "people": len(people), "fields": fields},
    )
    return [(*case, postcodes.get(case[0], "")) for case in cases]


# --- letters to post -------------------------------------------------------------------


def may_handle_letter(actor: Staff, released_by_id: int) -> bool:
    """Who prints and posts a release by post: the member of staff who released it (they have
    already seen it), or an information governance officer."""
    return (
        actor.is_active and not actor.is_supervised and (actor.pk == released_by_id or actor.role == Role.IGO)
    )


def open_letter_for(actor: Staff, message_id: int) -> OutboxMessage:
    """A release by post, to print. Its content is personal data, so the read is checked and
    audited here like any other read: one event per person whose information it holds."""
    _require_active(actor)
    message = (
        OutboxMessage.objects.select_related("disclosure")
        .filter(pk=message_id, channel=Channel.POST, disclosure__isnull=False)
        .first()
    )
    if message is None or message.disclosure is None:
        raise NotFound("No such letter.")
    disclosure = message.disclosure
    people = list(disclosure.subjects.values_list("person_id", flat=True))
    if not may_handle_letter(actor, disclosure.released_by_id):
        _refuse(
            actor,
            object_type="disclosure",
            object_id=disclosure.pk,
            person_id=people[0] if people else None,
            case_id=None,
            message="",
        )
        raise NotFound("No such letter.")  # the same dull answer as a letter that does not exist
    audit.record_for_people(
        actor.pk,
        "disclosure.printed",
        people,
        object_type="disclosure",
        object_id=disclosure.pk,
        details={"message": message.pk, "sha256": disclosure.content_sha256},
    )
    return message


# --- audit reads ------------------------------------------------------------------------


def who_has_viewed(actor: Staff, person_ref: str, *, limit: int = 500) -> tuple[Person, list[AuditEvent]]:
    """Information governance: every audited action on a person's record, newest first."""
    _require_active(actor)
    if actor.role != Role.IGO or actor.is_supervised:
        raise refusal(
            actor,
            "audit.read",
            "Only information governance officers can read the audit trail.",
            object_type="person",
            details={"ref_length": len(person_ref)},
        )
    try:
        person = Person.objects.get(ref=person_ref)
    except Person.DoesNotExist:
        raise NotFound("No such person.") from None
    events = list(AuditEvent.objects.filter(person_id=person.pk).order_by("-id")[:limit])
    audit.record(actor.pk, "audit.read", object_type="person", object_id=person.pk, person_id=person.pk)
    return person, events


def normalise_query(query: str) -> str:
    return name_key(query)


# --- the audit trail of a break-glass access, for the manager reviewing its alert -----------------

TRAIL_ACTIONS = {
    "access.break_glass": "Opened the case with break-glass access",
    "case.read": "Read the case",
    "person.read": "Read a person's record",
    "entry.read": "Read an entry",
    "attachment.read": "Downloaded an attachment",
    "access.refused": "Was refused a record",
}


@dataclass(frozen=True)
class TrailRow:
    at: str
    what: str
    item: str


@dataclass(frozen=True)
class BreakGlassTrail:
    grant: BreakGlass
    case_ref: str
    rows: list[TrailRow]


def break_glass_trail(actor: Staff, alert_id: int) -> BreakGlassTrail:
    """What a member of staff opened during a break-glass access: the part of the audit trail that
    the alert's reviewer needs (their own team's alert, or any for information governance), and no
    more: that member of staff's reads while the access lasted. The look is itself audited against
    the child whose record was opened."""
    import json

    from discretion.staff.models import Alert
    from discretion.staff.services import alerts_for

    _require_active(actor)
    try:
        alert = alerts_for(actor).filter(pk=alert_id, kind=AlertKind.BREAK_GLASS).first()
    except NotPermitted:  # a role that oversees nobody (the refusal is audited there)
        raise NotFound("No such alert.") from None
    grant_id = alert.evidence.get("break_glass") if alert is not None else None
    grant = (
        BreakGlass.objects.select_related("case").filter(pk=grant_id, staff_id=alert.subject_staff_id).first()
        if alert is not None and isinstance(grant_id, int)
        else None
    )
    if alert is None or grant is None:
        if Alert.objects.filter(pk=alert_id).exists():
            refusal(
                actor, "audit.break_glass_trail", "No such alert.", object_type="alert", object_id=alert_id
            )
        raise NotFound("No such alert.")

    def iso(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")

    events = AuditEvent.objects.filter(
        actor_id=grant.staff_id,
        action__in=list(TRAIL_ACTIONS),
        at__gte=iso(grant.granted_at - dt.timedelta(seconds=1)),
        at__lte=iso(grant.expires_at),
    ).order_by("seq")[:500]
    case = grant.case
    kept = []
    for event in events:
        details = json.loads(event.details or "{}")
        on_case = event.object_type == "case" and event.object_id == str(case.pk)
        if on_case or details.get("basis") == Basis.BREAK_GLASS or event.person_id == case.subject_id:
            kept.append(event)  # their other work in that hour is not part of this alert
    refs = {
        "case": dict(Case.objects.filter(pk__in=_ids(kept, "case")).values_list("pk", "ref")),
        "person": dict(Person.objects.filter(pk__in=_ids(kept, "person")).values_list("pk", "ref")),
    }
    rows = [
        TrailRow(
            event.at,
            TRAIL_ACTIONS[event.action],
            str(refs.get(event.object_type, {}).get(int(event.object_id), ""))
            if event.object_type in refs and event.object_id.isdigit()
            else f"{event.object_type} {event.object_id}".strip(),
        )
        for event in kept
    ]
    shown = [event.seq for event in kept]
    audit.record_for_people(
        actor.pk,
        "audit.break_glass_trail_read",
        [case.subject_id],
        object_type="alert",
        object_id=alert.pk,
        details={"events": shown, "staff": grant.staff_id},
    )
    return BreakGlassTrail(grant, case.ref, rows)


def _ids(events: list[AuditEvent], object_type: str) -> list[int]:
    return [int(e.object_id) for e in events if e.object_type == object_type and e.object_id.isdigit()]
