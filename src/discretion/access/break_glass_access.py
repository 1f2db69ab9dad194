"""Break-glass: opening a case outside need to know for a typed reason, time-limited, alerting the manager; and the trail of what was opened, for the manager reviewing the alert."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from discretion.access.grants import Basis, _require_active, can_break_glass
from discretion.access.reads import _case
from discretion.access.refusals import refusal
from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import InvalidInput
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.records.models import (
    BreakGlass,
    Case,
    Person,
)
from discretion.staff.alerts import raise_alert
from discretion.staff.models import (
    Alert,
    AlertKind,
    Staff,
)


def break_glass(actor: Staff, case_id: int, reason: str) -> BreakGlass:
    """Open a case outside need to know for a typed reason; time-limited; alerts the manager."""
    _require_active(actor)
    if not can_break_glass(actor):
        raise refusal(
            actor,
            "access.break_glass",
            "Your role cannot use break-glass access. Ask your responsible member of staff.",
            object_type="case",
            object_id=case_id,
        )
    reason = reason.strip()
    if len(reason) < 10:
        raise InvalidInput("Enter the reason you need to open this record (at least 10 characters).")
    with transaction.atomic():
        return _break_glass(actor, _case(case_id), reason)


def _break_glass(actor: Staff, case: Case, reason: str) -> BreakGlass:
    now = timezone.now()
    grant = BreakGlass.objects.create(
        staff=actor,
        case=case,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    manager = case.team.manager
    raise_alert(
        AlertKind.BREAK_GLASS,
        about=actor,
        recipient=manager,
        case_id=case.pk,
        summary=f"Break-glass access to case {case.ref}",
        evidence={"break_glass": grant.pk, "reason": reason},
    )
    audit.record(
        actor.pk,
        "access.break_glass",
        object_type="case",
        object_id=case.pk,
        person_id=case.subject_id,
        reason=reason,
        details={"expires_at": grant.expires_at.isoformat(), "alerted": manager.pk if manager else None},
    )
    return grant


TRAIL_ACTIONS = {
    "access.break_glass": "Opened the case with break-glass access",
    "case.read": "Read the case",
    "person.read": "Read a person's record",
    "entry.read": "Read an entry",
    "attachment.read": "Downloaded an attachment",
    "access.refused": "Was refused a record",
}


@dataclass(frozen=True)
class TrailRow:
    at: str
    what: str
    item: str


@dataclass(frozen=True)
class BreakGlassTrail:
    grant: BreakGlass
    case_ref: str
    rows: list[TrailRow]


AlertReviewer = Callable[[Staff], QuerySet[Alert]]


_alert_reviewer: AlertReviewer | None = None


def register_alert_reviewer(alerts_for: AlertReviewer) -> None:
    """The staff app says which alerts an actor may review (from its `AppConfig.ready`): a trail
    is shown only for those."""
    global _alert_reviewer
    _alert_reviewer = alerts_for


def break_glass_trail(actor: Staff, alert_id: int) -> BreakGlassTrail:
    """What a member of staff opened during a break-glass access: the part of the audit trail that
    the alert's reviewer needs (their own team's alert, or any for information governance), and no
    more: that member of staff's reads while the access lasted. The look is itself audited against
    the child whose record was opened."""
    _require_active(actor)
    if _alert_reviewer is None:
        raise NotFound("No such alert.")
    try:
        alert = _alert_reviewer(actor).filter(pk=alert_id, kind=AlertKind.BREAK_GLASS).first()
    except NotPermitted:  # a role that oversees nobody (the refusal is audited there)
        raise NotFound("No such alert.") from None
    grant_id = alert.evidence.get("break_glass") if alert is not None else None
    grant = (
        BreakGlass.objects.select_related("case").filter(pk=grant_id, staff_id=alert.subject_staff_id).first()
        if alert is not None and isinstance(grant_id, int)
        else None
    )
    if alert is None or grant is None:
        if Alert.objects.filter(pk=alert_id).exists():
            refusal(
                actor, "audit.break_glass_trail", "No such alert.", object_type="alert", object_id=alert_id
            )
        raise NotFound("No such alert.")

    def iso(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")

    events = AuditEvent.objects.filter(
        actor_id=grant.staff_id,
        action__in=list(TRAIL_ACTIONS),
        at__gte=iso(grant.granted_at - dt.timedelta(seconds=1)),
        at__lte=iso(grant.expires_at),
    ).order_by("seq")[:500]
    case = grant.case
    kept = []
    for event in events:
        details = json.loads(event.details or "{}")
        on_case = event.object_type == "case" and event.object_id == str(case.pk)
        if on_case or details.get("basis") == Basis.BREAK_GLASS or event.person_id == case.subject_id:
            kept.append(event)  # their other work in that hour is not part of this alert
    refs = {
        "case": dict(Case.objects.filter(pk__in=_ids(kept, "case")).values_list("pk", "ref")),
        "person": dict(Person.objects.filter(pk__in=_ids(kept, "person")).values_list("pk", "ref")),
    }
    rows = [
        TrailRow(
            event.at,
            TRAIL_ACTIONS[event.action],
            str(refs.get(event.object_type, {}).get(int(event.object_id), ""))
            if event.object_type in refs and event.object_id.isdigit()
            else f"{event.object_type} {event.object_id}".strip(),
        )
        for event in kept
    ]
    shown = [event.seq for event in kept]
    audit.record_for_people(
        actor.pk,
        "audit.break_glass_trail_read",
        [case.subject_id],
        object_type="alert",
        object_id=alert.pk,
        details={"events": shown, "staff": grant.staff_id},
    )
    return BreakGlassTrail(grant, case.ref, rows)


def _ids(events: list[AuditEvent], object_type: str) -> list[int]:
    return [int(e.object_id) for e in events if e.object_type == object_type and e.object_id.isdigit()]
