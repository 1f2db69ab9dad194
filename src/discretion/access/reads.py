"""Reads of a person, case, entry or attachment: checked against the actor's basis, audited, and only what the basis shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from discretion.access.grants import (
    Grant,
    _allocated_case_ids,
    _managed_case_ids,
    _person_grant,
    _require_active,
    _shared_case_ids,
    case_grant,
    mask_identifier,
)
from discretion.access.masking import _shown_entries
from discretion.access.refusals import _refuse
from discretion.audit import services as audit
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.records.models import (
    Attachment,
    Case,
    Entry,
    Person,
    PersonName,
    Relationship,
)
from discretion.staff.models import (
    Role,
    Staff,
)


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
