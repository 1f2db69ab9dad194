"""Information governance's read of the audit trail: who has viewed a person's record."""

from __future__ import annotations

from discretion.access.grants import _require_active
from discretion.access.refusals import refusal
from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.records.models import (
    Person,
)
from discretion.staff.models import (
    Role,
    Staff,
)


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
