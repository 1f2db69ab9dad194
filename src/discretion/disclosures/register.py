"""The disclosure register (policy 1.1): information governance and team managers search and
export it; every read is audited against the people on the rows shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from discretion.audit import services as audit
from discretion.csv_cells import safe_cell
from discretion.disclosures.models import (
    Disclosure,
)
from discretion.staff.models import Staff


@dataclass(frozen=True)
class RegisterQuery:
    person_ref: str = ""
    recipient: str = ""
    released_from: dt.date | None = None
    released_to: dt.date | None = None
    basis: str = ""


def search_register(
    query: RegisterQuery, *, limit: int = 500, team_ids: Sequence[int] | None = None
) -> list[Disclosure]:
    """Register rows matching the query, newest first. Callers check the actor may read the register.
    With `team_ids` (a team manager's teams), only releases by those teams' staff or about people in
    those teams' cases: need to know, not the whole council's register."""
    from django.db.models import Q

    rows = Disclosure.objects.select_related("released_by", "approved_by").prefetch_related(
        "subjects__person"
    )
    if team_ids is not None:
        rows = rows.filter(
            Q(released_by__team_id__in=team_ids)
            | Q(subjects__person__case_memberships__case__team_id__in=team_ids)
        )
    if query.person_ref:
        rows = rows.filter(subjects__person__ref=query.person_ref.strip())
    if query.recipient:
        term = query.recipient.strip()
        rows = rows.filter(Q(recipient_name__icontains=term) | Q(recipient_organisation__icontains=term))
    if query.released_from:
        rows = rows.filter(released_at__date__gte=query.released_from)
    if query.released_to:
        rows = rows.filter(released_at__date__lte=query.released_to)
    if query.basis:
        term = query.basis.strip()
        rows = rows.filter(
            Q(legal_basis__icontains=term) | Q(purpose__icontains=term) | Q(rules__icontains=term)
        )
    return list(rows.distinct().order_by("-released_at", "-id")[:limit])


REGISTER_COLUMNS = (
    "id",
    "released_at",
    "people",
    "recipient_name",
    "recipient_organisation",
    "recipient_category",
    "channel",
    "purpose",
    "rules",
    "legal_basis",
    "entry_ids",
    "content_sha256",
    "released_by",
    "approved_by",
    "source",
    "source_id",
)


def register_csv(rows: Sequence[Disclosure]) -> str:
    """The register as CSV; cells that a spreadsheet would run as a formula are neutralised."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REGISTER_COLUMNS)
    for d in rows:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    d.pk,
                    d.released_at.isoformat(),
                    " ".join(s.person.ref for s in d.subjects.all()),
                    d.recipient_name,
                    d.recipient_organisation,
                    d.recipient_category,
                    d.channel,
                    d.purpose,
                    " ".join(d.rules),
                    d.legal_basis,
                    " ".join(str(e) for e in d.entry_ids),
                    d.content_sha256,
                    d.released_by.username,
                    d.approved_by.username if d.approved_by else "",
                    d.source,
                    d.source_id,
                )
            ]
        )
    return out.getvalue()


def can_read_register(actor: Staff) -> bool:
    from discretion.staff.models import Role

    return actor.role in {Role.IGO, Role.TEAM_MANAGER} and not actor.is_supervised and actor.is_active


def _register_rows(actor: Staff, query: RegisterQuery, *, action: str) -> list[Disclosure]:
    from discretion.access import refusal
    from discretion.staff.models import Role

    if not can_read_register(actor):
        raise refusal(
            actor,
            action,
            "Only information governance officers and team managers can read the register.",
            object_type="register",
        )
    teams = (
        list(actor.managed_teams.values_list("id", flat=True)) if actor.role == Role.TEAM_MANAGER else None
    )
    rows = search_register(query, team_ids=teams)
    # Every person on the rows shown, so the read appears on "who has looked at this record".
    audit.record_for_people(
        actor.pk,
        action,
        {s.person_id for d in rows for s in d.subjects.all()},
        object_type="register",
        details={
            "person": query.person_ref,
            "recipient": bool(query.recipient),
            "basis": query.basis,
            "rows": [d.pk for d in rows],
        },
    )
    return rows


def read_register(actor: Staff, query: RegisterQuery) -> list[Disclosure]:
    """Information governance and team managers search the register (policy 1.1); audited."""
    return _register_rows(actor, query, action="disclosures.register_read")


def export_register(actor: Staff, query: RegisterQuery) -> str:
    """The register rows as CSV, for the same readers; audited as an export."""
    return register_csv(_register_rows(actor, query, action="disclosures.register_exported"))
