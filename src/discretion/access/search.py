"""Finding people by name and date of birth, filtered by need to know and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from discretion.access.grants import _require_active, accessible_case_ids, can_break_glass
from discretion.audit import services as audit
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.records.models import (
    Person,
)
from discretion.records.search import matching_person_ids
from discretion.staff.models import (
    Staff,
)


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
