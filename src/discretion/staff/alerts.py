"""Raising an alert about a member of staff for their manager and information governance to review.

Only models and the audit service: the one door (`discretion.access`) and the services raise alerts
through here. An alert never goes to the person it is about (it would tip them off)."""

from __future__ import annotations

from typing import Any

from discretion.audit import services as audit
from discretion.staff.models import Alert, Staff


def manager_of(member: Staff) -> Staff | None:
    """The team manager of a member of staff, or of their responsible member of staff for a
    volunteer or student; never themselves."""
    team = member.team
    if team is None and member.responsible_staff_id is not None:
        sponsor = Staff.objects.select_related("team__manager").filter(pk=member.responsible_staff_id).first()
        team = sponsor.team if sponsor is not None else None
    manager = team.manager if team is not None else None
    return manager if manager is not None and manager.pk != member.pk else None


def raise_alert(
    kind: str,
    *,
    about: Staff,
    summary: str,
    recipient: Staff | None = None,
    case_id: int | None = None,
    evidence: dict[str, Any] | None = None,
) -> Alert:
    """Record an alert about `about` for `recipient` (default: their manager); audited."""
    to = recipient if recipient is not None and recipient.pk != about.pk else manager_of(about)
    alert = Alert.objects.create(
        kind=kind,
        subject_staff=about,
        recipient=to,
        case_id=case_id,
        summary=summary[:300],
        evidence=evidence or {},
    )
    audit.record(
        None,
        "alert.raised",
        object_type="alert",
        object_id=alert.pk,
        details={"kind": kind, "staff": about.pk, "recipient": to.pk if to else None},
    )
    return alert
