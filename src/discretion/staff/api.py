"""Staff-duty and misuse-alert endpoints: the same services as the pages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from discretion.api import actor
from discretion.errors import InvalidInput, NotFound
from discretion.staff import services
from discretion.staff.models import Alert

router = Router(tags=["staff"])


class ComplianceOut(Schema):
    staff_id: int
    username: str
    role: str
    employment_type: str
    active: bool
    end_on: dt.date | None
    problems: list[str]


class InductionIn(Schema):
    staff_id: int
    discussed_on: dt.date
    notes: str = ""


class AbsenceIn(Schema):
    staff_id: int
    start_on: dt.date
    end_on: dt.date


class PolicyIn(Schema):
    version: str
    title: str
    text: str


class AlertReviewIn(Schema):
    outcome: str
    note: str


class AlertOut(Schema):
    id: int
    kind: str
    staff_id: int
    recipient_id: int | None
    summary: str
    evidence: dict[str, object]
    created_at: dt.datetime
    outcome: str
    reviewed_by_id: int | None
    reviewed_at: dt.datetime | None


def _alert(a: Alert) -> AlertOut:
    return AlertOut(
        id=a.pk,
        kind=a.kind,
        staff_id=a.subject_staff_id,
        recipient_id=a.recipient_id,
        summary=a.summary,
        evidence=a.evidence,
        created_at=a.created_at,
        outcome=a.outcome,
        reviewed_by_id=a.reviewed_by_id,
        reviewed_at=a.reviewed_at,
    )


@router.get("/compliance", response=list[ComplianceOut])
def compliance(request: HttpRequest) -> list[ComplianceOut]:
    return [
        ComplianceOut(
            staff_id=r.staff.pk,
            username=r.staff.username,
            role=r.staff.role,
            employment_type=r.staff.employment_type,
            active=r.staff.is_active,
            end_on=r.staff.end_on,
            problems=r.problems,
        )
        for r in services.compliance(actor(request))
    ]


@router.post("/inductions", response={201: dict[str, int]})
def record_induction(request: HttpRequest, payload: InductionIn) -> Status[dict[str, int]]:
    induction = services.record_induction(
        actor(request), payload.staff_id, discussed_on=payload.discussed_on, notes=payload.notes
    )
    return Status(201, {"id": induction.pk})


@router.post("/absences", response={201: dict[str, int]})
def record_absence(request: HttpRequest, payload: AbsenceIn) -> Status[dict[str, int]]:
    absence = services.record_absence(
        actor(request), payload.staff_id, start_on=payload.start_on, end_on=payload.end_on
    )
    return Status(201, {"id": absence.pk})


@router.post("/supervised/{staff_id}/activate", response=dict[str, object])
def activate_supervised(request: HttpRequest, staff_id: int) -> dict[str, object]:
    briefing = services.activate_supervised(actor(request), staff_id)
    return {"staff_id": staff_id, "active": True, "briefing": briefing.pk}


class PolicyOut(Schema):
    version: str
    title: str
    text: str
    acknowledged: bool


@router.get("/policy/current", response=PolicyOut)
def current_policy(request: HttpRequest) -> PolicyOut:
    """The Confidentiality Policy in force, and whether you have acknowledged it (open before the
    policy gate: it is what the gate asks for)."""
    from discretion.access import has_acknowledged_current_policy
    from discretion.staff.models import PolicyVersion

    staff = actor(request)
    policy = PolicyVersion.current()
    if policy is None:
        raise NotFound("No policy has been published.")
    return PolicyOut(
        version=policy.version,
        title=policy.title,
        text=policy.text,
        acknowledged=has_acknowledged_current_policy(staff),
    )


@router.post("/policy/acknowledge", response=PolicyOut)
def acknowledge_policy(request: HttpRequest) -> PolicyOut:
    """You have read the current Confidentiality Policy and will keep to it (policy 1.2)."""
    staff = actor(request)
    if services.acknowledge_current_policy(staff) is None:
        raise NotFound("No policy has been published.")
    return current_policy(request)


@router.post("/policy-versions", response={201: dict[str, object]})
def publish_policy(request: HttpRequest, payload: PolicyIn) -> Status[dict[str, object]]:
    policy = services.publish_policy_version(
        actor(request), version=payload.version, title=payload.title, text=payload.text
    )
    return Status(201, {"id": policy.pk, "version": policy.version})


@router.get("/alerts", response=list[AlertOut])
def alerts(request: HttpRequest, show: str = "open") -> list[AlertOut]:
    if show not in {"open", "all"}:
        raise InvalidInput("show must be open or all")
    return [_alert(a) for a in services.alerts_for(actor(request), open_only=show == "open")[:500]]


@router.get("/alerts/{alert_id}", response=AlertOut)
def alert(request: HttpRequest, alert_id: int) -> AlertOut:
    return _alert(services.get_alert_for(actor(request), alert_id))


@router.post("/alerts/{alert_id}/review", response=AlertOut)
def review_alert(request: HttpRequest, alert_id: int, payload: AlertReviewIn) -> AlertOut:
    return _alert(services.review_alert(actor(request), alert_id, outcome=payload.outcome, note=payload.note))


class SupervisedIn(Schema):
    username: str
    first_name: str = ""
    last_name: str = ""
    employment_type: str
    responsible_id: int | None = None


@router.post("/supervised", response={201: dict[str, object]})
def register_supervised(request: HttpRequest, payload: SupervisedIn) -> Status[dict[str, object]]:
    member = services.register_supervised(actor(request), **payload.dict())
    return Status(201, {"id": member.pk, "active": member.is_active})
