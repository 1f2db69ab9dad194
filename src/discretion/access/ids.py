"""Ids and references only, for the register, the audit and links between pages: nothing of a record is returned, so these are not audited reads (ids only in URLs and logs)."""

from __future__ import annotations

from collections.abc import Iterable

from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.records.models import (
    Case,
    Person,
)

# Ids and references only, for the register, the audit and links between pages: nothing of a
# record is returned, so these are not audited reads (ids only in URLs and logs).


def case_id_for_ref(ref: str) -> int | None:
    """The id of case `ref`, or None (for an action that then checks access by id)."""
    return Case.objects.filter(ref=ref).values_list("pk", flat=True).first()


def case_refs(case_ids: Iterable[int]) -> dict[int, str]:
    """The reference of each of these cases, by id (for a link or a label)."""
    return dict(Case.objects.filter(pk__in=list(case_ids)).values_list("pk", "ref"))


def person_ids_for_refs(refs: Iterable[str]) -> list[int]:
    """The ids of the people with these references, sorted (for the register and the audit)."""
    wanted = list(refs)
    return sorted(Person.objects.filter(ref__in=wanted).values_list("id", flat=True)) if wanted else []
