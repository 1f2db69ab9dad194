"""Need-to-know grants that a request gives its handler (for `discretion.access` to consult).

Imports only models, so `access` can import it without a cycle. A request opens records only:
- to its handler, never to anyone else (its requester included: a colleague asking is never the
  handler of their own request);
- once someone other than the handler has agreed (`RecordAccess`, four eyes), while the request is
  approved or being prepared, and until the agreed time runs out;
- for the cases whose subject the request names, and only the kinds of information it asks for
  (policy 2.2-2.4: need to know, only to the extent necessary).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from discretion.records.models import Case
from discretion.requests.models import RecordAccess, RequestSubject, State

GRANTING_STATES = (State.APPROVED, State.PREPARING)

# Which entry flags each kind of information asked for opens (the rest stay hidden). Ordinary
# entries (no flag) are the child's own information.
FLAGS_FOR_INFORMATION: dict[str, frozenset[str]] = {
    "child_personal": frozenset({"special_category"}),
    "third_party_personal": frozenset({"third_party"}),
    "confidential_source": frozenset({"confidential_source"}),
    "commercial": frozenset({"commercial"}),
}


@dataclass(frozen=True)
class Scope:
    """What a request lets its handler see of one case."""

    ordinary: bool
    flags: frozenset[str]

    def __or__(self, other: Scope) -> Scope:
        return Scope(self.ordinary or other.ordinary, self.flags | other.flags)


def scope_for(information: Iterable[str]) -> Scope:
    kinds = set(information)
    flags: frozenset[str] = frozenset().union(*(FLAGS_FOR_INFORMATION.get(k, frozenset()) for k in kinds))
    return Scope(ordinary="child_personal" in kinds, flags=flags)


def _granting_links(actor_id: int) -> QuerySet[RequestSubject]:
    now = timezone.now()
    agreed = RecordAccess.objects.filter(
        handler_id=actor_id, approved=True, ended_at__isnull=True, expires_at__gt=now
    ).values("request_id")
    return RequestSubject.objects.filter(
        request__handler_id=actor_id,
        request__state__in=GRANTING_STATES,
        request_id__in=agreed,
    )


def request_grants(actor_id: int, person_id: int) -> bool:
    """May `actor_id` read person `person_id` because they handle an agreed request about them?"""
    return _granting_links(actor_id).filter(person_id=person_id).exists()


def request_case_ids(actor_id: int) -> QuerySet[Case, int]:
    """Ids of the cases the actor's agreed requests are about (cases whose subject they name)."""
    people = _granting_links(actor_id).values("person_id")
    return Case.objects.filter(subject_id__in=people).values_list("id", flat=True)


def request_scopes(actor_id: int, case_ids: list[int]) -> dict[int, Scope]:
    """For each of `case_ids` the actor's agreed requests open, what of it they open."""
    rows: list[Any] = list(
        _granting_links(actor_id)
        .filter(person__subject_of_cases__id__in=case_ids)
        .values_list("person__subject_of_cases__id", "request__facts")
    )
    scopes: dict[int, Scope] = {}
    for case_id, facts in rows:
        scope = scope_for((facts or {}).get("information", []))
        if not scope.ordinary and not scope.flags:
            continue  # statistics or nothing personal: no need to open the record
        scopes[case_id] = scopes[case_id] | scope if case_id in scopes else scope
    return scopes


def end_record_access(request_id: int) -> int:
    """End every agreement to open records for this request (facts changed, released, closed)."""
    return RecordAccess.objects.filter(request_id=request_id, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
