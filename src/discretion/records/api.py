"""Records endpoints: the same access functions as the pages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from discretion import access
from discretion.api import actor

router = Router(tags=["records"])


class PersonOut(Schema):
    ref: str
    given_names: str
    family_name: str
    date_of_birth: dt.date | None
    is_child: bool
    nhs_number: str
    ethnicity: str | None
    cases: list[str]
    access_basis: str


class CaseOut(Schema):
    ref: str
    kind: str
    team: str
    subject_ref: str
    opened_on: dt.date
    closed_on: dt.date | None
    entries: list[int]
    access_basis: str


class SearchOut(Schema):
    people: list[dict[str, str | None]]
    restricted_refs: list[str]


class BreakGlassIn(Schema):
    reason: str


@router.get("/people/{ref}", response=PersonOut)
def person(request: HttpRequest, ref: str) -> PersonOut:
    view = access.get_person_for(actor(request), ref=ref)
    p = view.person
    return PersonOut(
        ref=p.ref,
        given_names=p.given_names,
        family_name=p.family_name,
        date_of_birth=p.date_of_birth,
        is_child=p.is_child,
        nhs_number=view.nhs_number,
        ethnicity=p.ethnicity if view.show_special_category else None,
        cases=[c.ref for c in view.cases],
        access_basis=view.grant.basis.value,
    )


@router.get("/cases/{ref}", response=CaseOut)
def case(request: HttpRequest, ref: str) -> CaseOut:
    view = access.get_case_for(actor(request), ref=ref)
    c = view.case
    return CaseOut(
        ref=c.ref,
        kind=c.kind,
        team=c.team.name,
        subject_ref=c.subject.ref,
        opened_on=c.opened_on,
        closed_on=c.closed_on,
        entries=[e.pk for e in view.entries],
        access_basis=view.grant.basis.value,
    )


@router.get("/people", response=SearchOut)
def search(request: HttpRequest, q: str = "", date_of_birth: dt.date | None = None) -> SearchOut:
    results = access.search_people(actor(request), q, date_of_birth=date_of_birth)
    return SearchOut(
        people=[
            {
                "ref": p.ref,
                "name": p.full_name,
                "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else None,
            }
            for p in results.people
        ],
        restricted_refs=results.restricted_refs,
    )


@router.post("/cases/{ref}/break-glass", response={201: dict[str, str]})
def break_glass(request: HttpRequest, ref: str, payload: BreakGlassIn) -> Status[dict[str, str]]:
    from discretion.records.models import Case

    if not access.can_break_glass(actor(request)):
        raise access.refusal(actor(request), "access.break_glass", "Your role cannot use break-glass access.")
    case_id = Case.objects.filter(ref=ref).values_list("pk", flat=True).first()
    if case_id is None:
        raise access.NotFound("No such case.")
    grant = access.break_glass(actor(request), case_id, payload.reason)
    return Status(201, {"case": ref, "expires_at": grant.expires_at.isoformat()})


class ShareIn(Schema):
    supervisee: str


class ShareOut(Schema):
    supervisee: str
    shared_at: dt.datetime


@router.get("/cases/{ref}/shares", response=list[ShareOut])
def shares(request: HttpRequest, ref: str) -> list[ShareOut]:
    """The volunteers and students you have shared this case with (policy 1.2)."""
    from discretion.records import sharing

    staff = actor(request)
    view = access.get_case_for(staff, ref=ref)
    return [
        ShareOut(supervisee=s.supervisee.username, shared_at=s.shared_at)
        for s in sharing.shares_on(staff, view.case.pk)
    ]


@router.post("/cases/{ref}/shares", response={201: ShareOut})
def share(request: HttpRequest, ref: str, payload: ShareIn) -> Status[ShareOut]:
    """Share one of your allocated cases with a volunteer or student you are responsible for."""
    from discretion.records import sharing

    row = sharing.share_case(actor(request), ref=ref, supervisee_username=payload.supervisee)
    return Status(201, ShareOut(supervisee=row.supervisee.username, shared_at=row.shared_at))


@router.delete("/cases/{ref}/shares/{username}", response={204: None})
def stop_sharing(request: HttpRequest, ref: str, username: str) -> Status[None]:
    from discretion.records import sharing

    sharing.stop_sharing(actor(request), ref=ref, supervisee_username=username)
    return Status(204, None)
