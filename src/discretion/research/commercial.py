"""Commercial records (policy 1.3): information about contracts and providers is used only within
an employee's remit; where that is in doubt, the manager decides. Every read is audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from discretion.access import AccessDenied, NotFound, NotPermitted
from discretion.audit import services as audit
from discretion.research.models import CommercialQuery, CommercialRecord, QueryStatus
from discretion.staff.models import Role, Staff

PERMISSION = "research.view_commercial_records"


class InvalidInput(ValueError):
    """Input a user can correct; the message says how."""


def _current(actor: Staff) -> None:
    if not actor.is_active or actor.has_ended():
        raise NotPermitted("Your account is not active.")


def has_remit(actor: Staff, record: CommercialRecord) -> bool:
    """The permission, and the record is the actor's team's or council-wide; or a manager allowed it."""
    if actor.is_supervised:
        return False  # policy 1.2/1.3: volunteers and students never see commercial information
    if actor.has_perm(PERMISSION) and (record.team_id is None or record.team_id == actor.team_id):
        return True
    return CommercialQuery.objects.filter(record=record, asked_by=actor, status=QueryStatus.ALLOWED).exists()


def records_for(actor: Staff) -> QuerySet[CommercialRecord]:
    """The commercial records within the actor's remit (titles only are listed; reads are audited)."""
    _current(actor)
    if actor.is_supervised:
        return CommercialRecord.objects.none()
    allowed = Q(
        pk__in=CommercialQuery.objects.filter(asked_by=actor, status=QueryStatus.ALLOWED).values("record_id")
    )
    if actor.has_perm(PERMISSION):
        allowed |= Q(team__isnull=True) | Q(team_id=actor.team_id)
    return CommercialRecord.objects.filter(allowed).select_related("team")


def get_record_for(actor: Staff, record_id: int) -> CommercialRecord:
    """Open a commercial record: within remit, audited; otherwise refused (and the refusal audited)."""
    _current(actor)
    record = CommercialRecord.objects.filter(pk=record_id).select_related("team").first()
    if record is None:
        raise NotFound("No such commercial record.")
    if not has_remit(actor, record):
        with transaction.atomic():
            audit.record(actor.pk, "commercial.refused", object_type="commercial", object_id=record.pk)
        raise AccessDenied("This commercial record is outside your remit. If in doubt, ask your manager.")
    audit.record(actor.pk, "commercial.read", object_type="commercial", object_id=record.pk)
    return record


def _manager_of(actor: Staff) -> Staff | None:
    team = actor.team
    manager = team.manager if team is not None else None
    return manager if manager is not None and manager.pk != actor.pk else None


@transaction.atomic
def ask_manager(actor: Staff, record_id: int, *, reason: str) -> CommercialQuery:
    """A member of staff in doubt asks their team manager whether a record is within their remit."""
    _current(actor)
    if actor.is_supervised:
        raise NotPermitted("Volunteers and students cannot see commercial information.")
    record = CommercialRecord.objects.filter(pk=record_id).first()
    if record is None:
        raise NotFound("No such commercial record.")
    if not reason.strip():
        raise InvalidInput("Enter why you need this record")
    manager = _manager_of(actor)
    if manager is None:
        raise InvalidInput("You have no team manager to ask; ask information governance")
    query = CommercialQuery.objects.create(
        record=record, asked_by=actor, manager=manager, reason=reason.strip()
    )
    audit.record(
        actor.pk,
        "commercial.asked",
        object_type="commercial",
        object_id=record.pk,
        reason=query.reason,
        details={"query": query.pk, "manager": manager.pk},
    )
    return query


def queries_for(actor: Staff) -> QuerySet[CommercialQuery]:
    return CommercialQuery.objects.filter(manager=actor).select_related("record", "asked_by")


@transaction.atomic
def answer_query(actor: Staff, query_id: int, *, allow: bool, answer: str) -> CommercialQuery:
    """The team manager asked decides; the answer is recorded and audited (policy 1.3)."""
    query = CommercialQuery.objects.select_for_update().filter(pk=query_id).first()
    if query is None or query.manager_id != actor.pk or actor.role != Role.TEAM_MANAGER:
        raise NotFound("No such question.")
    if query.status != QueryStatus.OPEN:
        raise InvalidInput("This question has already been answered")
    if not answer.strip():
        raise InvalidInput("Enter the reason for your answer")
    query.status = QueryStatus.ALLOWED if allow else QueryStatus.REFUSED
    query.answer = answer.strip()
    query.answered_at = timezone.now()
    query.save(update_fields=["status", "answer", "answered_at"])
    audit.record(
        actor.pk,
        "commercial.allowed" if allow else "commercial.refused_by_manager",
        object_type="commercial",
        object_id=query.record_id,
        reason=query.answer,
        details={"query": query.pk, "staff": query.asked_by_id},
    )
    return query
