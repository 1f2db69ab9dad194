"""A volunteer's or student's responsible member of staff shares cases with them, one by one.

Policy 1.2: volunteers and work-experience students work under a named member of staff, who makes
their part in keeping information confidential clear. Least privilege: they see a case only once that
member of staff has shared it, only while that member of staff is allocated to it, and never its
special-category, third-party, confidential-source or commercial entries (`access.SUPERVISED_GRANT`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.records.models import Case
from discretion.staff.models import CaseShare, Staff


def supervisees_of(actor: Staff) -> list[Staff]:
    """The current volunteers and students a member of staff is responsible for."""
    today = timezone.localdate()
    return [
        s
        for s in Staff.objects.filter(responsible_staff=actor, is_active=True).order_by("last_name", "pk")
        if s.is_supervised and not s.has_ended(today)
    ]


def shares_on(actor: Staff, case_id: int) -> list[CaseShare]:
    """Who the actor has shared a case with (their own shares only)."""
    return list(
        CaseShare.objects.filter(case_id=case_id, shared_by=actor, ended_at__isnull=True)
        .select_related("supervisee")
        .order_by("supervisee__last_name")
    )


def _supervisee(actor: Staff, username: str) -> Staff:
    supervisee = next((s for s in supervisees_of(actor) if s.username == username), None)
    if supervisee is None:
        raise access.refusal(
            actor,
            "case.share",
            "You can share cases only with a volunteer or student you are responsible for.",
            details={"supervisee": username[:150]},
        )
    return supervisee


def _own_case(actor: Staff, ref: str) -> Case:
    """The case, which the actor must be allocated to (a manager's or break-glass view is not theirs
    to pass on)."""
    grant = access.require_case_grant(actor, ref=ref)
    case = Case.objects.get(ref=ref)
    if grant.basis != access.Basis.ALLOCATED:
        raise access.refusal(
            actor,
            "case.share",
            "You can share only cases you are allocated to.",
            object_type="case",
            object_id=case.pk,
            person_ids=[case.subject_id],
        )
    return case


def share_case(actor: Staff, *, ref: str, supervisee_username: str) -> CaseShare:
    """The responsible member of staff shares one of their allocated cases with a supervisee."""
    if actor.is_supervised:
        raise access.refusal(actor, "case.share", "Volunteers and students cannot share cases.")
    case = _own_case(actor, ref)
    supervisee = _supervisee(actor, supervisee_username)
    with transaction.atomic():
        share = CaseShare.objects.filter(supervisee=supervisee, case=case, ended_at__isnull=True).first()
        if share is None:
            share = CaseShare.objects.create(supervisee=supervisee, case=case, shared_by=actor)
        audit.record(
            actor.pk,
            "case.shared_with_supervisee",
            object_type="case",
            object_id=case.pk,
            person_id=case.subject_id,
            details={"supervisee": supervisee.pk},
        )
    return share


def stop_sharing(actor: Staff, *, ref: str, supervisee_username: str) -> None:
    """The responsible member of staff (or the case's team manager) stops sharing a case."""
    case = Case.objects.filter(ref=ref).select_related("team").first()
    if case is None:
        raise access.NotFound("No such share.")
    shares = CaseShare.objects.filter(
        case=case, supervisee__username=supervisee_username, ended_at__isnull=True
    )
    is_manager = case.team.manager_id == actor.pk
    if not is_manager:
        shares = shares.filter(shared_by=actor)
    with transaction.atomic():
        ended = shares.update(ended_at=timezone.now(), ended_by=actor)
        if not ended:
            raise access.NotFound("No such share.")
        audit.record(
            actor.pk,
            "case.share_ended",
            object_type="case",
            object_id=case.pk,
            person_id=case.subject_id,
            details={"supervisee": supervisee_username[:150]},
        )
