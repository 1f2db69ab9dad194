"""The bulk read behind a research extract (policy 1.4): quasi-identifiers only, research governance only, audited as one read."""

from __future__ import annotations

import datetime as dt

from discretion.access.grants import _require_active
from discretion.access.refusals import refusal
from discretion.audit import services as audit
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.records.models import (
    Address,
    Case,
)
from discretion.staff.models import (
    Role,
    Staff,
)

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
