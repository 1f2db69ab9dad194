"""Who may open what: the bases for opening a record (allocated, team manager, a volunteer's shared case, a basis an app registers, information governance, break-glass) and what each shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.records.models import (
    BreakGlass,
    Case,
    Entry,
    Person,
)
from discretion.staff.models import (
    Acknowledgement,
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


class Scope(Protocol):
    """What a registered basis lets its holder see of one case: entries with no flag or not, and
    which flagged kinds."""

    @property
    def ordinary(self) -> bool: ...

    @property
    def flags(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class RegisteredBasis:
    """A basis for opening records that an app grants beyond allocation, team and break-glass
    (the requests app: the handler of an agreed request, policy 2.2-2.4). Consulted last, and never
    for volunteers or students.

    `scopes(actor_id, case_ids)`: what of each of those cases it opens; `case_ids(actor_id)`: every
    case it opens, as a subquery; `opens_person(actor_id, person_id)`: whether it opens the person's
    own record, which then shows all but `person_hides`."""

    basis: Basis
    scopes: Callable[[int, list[int]], Mapping[int, Scope]]
    case_ids: Callable[[int], IdQuery]
    opens_person: Callable[[int, int], bool]
    person_hides: frozenset[str] = frozenset()


_registered: dict[Basis, RegisteredBasis] = {}


def register_basis(source: RegisteredBasis) -> None:
    """Called from an app's `AppConfig.ready`; registering the same basis again replaces it."""
    _registered[source.basis] = source


def registered_bases() -> tuple[RegisteredBasis, ...]:
    return tuple(_registered.values())


def _scoped_grant(basis: Basis, scope: Scope) -> Grant:
    return Grant(basis, hidden=ENTRY_FLAGS - scope.flags, ordinary=scope.ordinary)


def mask_identifier(value: str) -> str:
    """An identifier shown to someone who may know the person but not the number: last 3 only."""
    digits = "".join(ch for ch in value if ch.isalnum())
    if not digits:
        return ""
    return "\u2022" * max(len(digits) - 3, 0) + digits[-3:]


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
    for source in registered_bases():  # last: a request opens only part of a record, with four eyes
        rest = [case_id for case_id in wanted if case_id not in grants]
        if not rest:
            break
        for case_id, scope in source.scopes(actor.pk, rest).items():
            grants.setdefault(case_id, _scoped_grant(source.basis, scope))
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
    granted = Q(id__in=_allocated_case_ids(actor.pk, today)) | Q(id__in=_break_glass_case_ids(actor))
    for source in registered_bases():
        granted |= Q(id__in=source.case_ids(actor.pk))
    ids = Case.objects.filter(granted)
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
    if best is None and not actor.is_supervised:
        source = next((b for b in registered_bases() if b.opens_person(actor.pk, person.pk)), None)
        best = Grant(source.basis, hidden=source.person_hides) if source is not None else None
    if best is None and actor.role == Role.IGO and not actor.is_supervised:
        best = Grant(Basis.INFORMATION_GOVERNANCE)
    return best, grants
