"""Staff duties (policy 1.2): induction, acknowledgement of new policy versions, supervised
volunteers and students, agency end dates, compliance; misuse alerts and their review.

One function per user action: permission check, rule, write, audit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from discretion.access import NotFound, NotPermitted, refusal
from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from discretion.csv_cells import safe_row
from discretion.errors import InvalidInput as InvalidInput
from discretion.staff import misuse
from discretion.staff.models import (
    SUPERVISED_TYPES,
    Absence,
    Acknowledgement,
    Alert,
    AlertKey,
    AlertOutcome,
    Briefing,
    DetectionRun,
    Induction,
    PolicyVersion,
    Role,
    Staff,
)

# --- who may -----------------------------------------------------------------------------


def is_governance(actor: Staff) -> bool:
    return actor.role in {Role.IGO, Role.ADMIN} and not actor.is_supervised and actor.is_active


def manages(actor: Staff, member: Staff) -> bool:
    """The member's team manager, or the manager of the team of their responsible member of staff."""
    if actor.role != Role.TEAM_MANAGER or actor.is_supervised:
        return False
    teams = set(actor.managed_teams.values_list("id", flat=True))
    if member.team_id in teams:
        return True
    sponsor = member.responsible_staff
    return sponsor is not None and sponsor.team_id in teams


def can_oversee(actor: Staff, member: Staff) -> bool:
    return actor.pk != member.pk and (is_governance(actor) or manages(actor, member))


def overseen_staff(actor: Staff) -> QuerySet[Staff]:
    """The accounts whose compliance and alerts the actor may see."""
    if is_governance(actor):
        return Staff.objects.all()
    if actor.role == Role.TEAM_MANAGER and not actor.is_supervised:
        teams = actor.managed_teams.values_list("id", flat=True)
        return Staff.objects.filter(Q(team_id__in=teams) | Q(responsible_staff__team_id__in=teams)).exclude(
            pk=actor.pk
        )
    raise refusal(actor, "staff.oversight", "Only team managers and information governance can see this.")


def _staff(staff_id: int) -> Staff:
    try:
        return Staff.objects.select_related("responsible_staff", "team").get(pk=staff_id)
    except Staff.DoesNotExist:
        raise NotFound("No such member of staff.") from None


# --- induction and acknowledgement --------------------------------------------------------


@transaction.atomic
def record_induction(actor: Staff, staff_id: int, *, discussed_on: dt.date, notes: str = "") -> Induction:
    """The starter's manager (or information governance) records that confidentiality was
    discussed at induction (policy 1.2)."""
    member = _staff(staff_id)
    if not can_oversee(actor, member):
        raise NotPermitted("Only the starter's manager or information governance can record their induction.")
    if discussed_on > timezone.localdate():
        raise InvalidInput("The date confidentiality was discussed must be today or in the past")
    induction = Induction.objects.create(
        staff=member, discussed_by=actor, discussed_on=discussed_on, notes=notes.strip()
    )
    audit.record(
        actor.pk,
        "staff.induction_recorded",
        object_type="staff",
        object_id=member.pk,
        details={"induction": induction.pk, "discussed_on": discussed_on.isoformat()},
    )
    return induction


@transaction.atomic
def publish_policy_version(actor: Staff, *, version: str, title: str, text: str) -> PolicyVersion:
    """Information governance or an administrator publishes a new policy version; from then on
    every account must acknowledge it before opening personal data (policy 1.2)."""
    if not is_governance(actor):
        raise NotPermitted("Only information governance or an administrator can publish the policy.")
    version, title, text = version.strip(), title.strip(), text.strip()
    if not version:
        raise InvalidInput("Enter the version, for example 2026-11")
    if not title:
        raise InvalidInput("Enter the title of the policy")
    if not text:
        raise InvalidInput("Enter the text of the policy")
    if PolicyVersion.objects.filter(version=version).exists():
        raise InvalidInput("Enter a version that has not been published before")
    policy = PolicyVersion.objects.create(
        version=version[:32], title=title[:200], text=text, published_at=timezone.now()
    )
    audit.record(
        actor.pk,
        "policy.published",
        object_type="policy",
        object_id=policy.pk,
        details={"version": policy.version, "chars": len(text)},
    )
    return policy


@transaction.atomic
def acknowledge_current_policy(actor: Staff) -> Acknowledgement | None:
    """The member of staff acknowledges the current version (once); audited."""
    policy = PolicyVersion.current()
    if policy is None:
        return None
    ack, created = Acknowledgement.objects.get_or_create(staff=actor, policy=policy)
    # The access module caches the answer on the actor for one request; it is now stale.
    actor.__dict__.pop("_acknowledged_current_policy", None)
    if created:
        audit.record(
            actor.pk,
            "policy.acknowledged",
            object_type="policy",
            object_id=policy.pk,
            details={"version": policy.version},
        )
    return ack


# --- volunteers, students, agency staff ----------------------------------------------------


@transaction.atomic
def register_supervised(
    actor: Staff,
    *,
    username: str,
    first_name: str,
    last_name: str,
    employment_type: str,
    responsible_id: int | None,
) -> Staff:
    """A manager or information governance creates a volunteer's or student's account. It starts
    inactive: only the named responsible member of staff can activate it (policy 1.2)."""
    if employment_type not in SUPERVISED_TYPES:
        raise InvalidInput("Select volunteer or work-experience student")
    if responsible_id is None:
        raise InvalidInput("Select the member of staff responsible for this volunteer or student")
    sponsor = _staff(responsible_id)
    if sponsor.is_supervised or not sponsor.is_active or sponsor.has_ended():
        raise InvalidInput("Select a current member of staff who is not themselves supervised")
    if not (is_governance(actor) or manages(actor, sponsor)):
        raise NotPermitted(
            "Only the responsible member of staff's manager or information governance can do this."
        )
    if not username.strip():
        raise InvalidInput("Enter a username")
    if Staff.objects.filter(username=username.strip()).exists():
        raise InvalidInput("Enter a username that is not already in use")
    member = Staff(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        employment_type=employment_type,
        responsible_staff=sponsor,
        team=sponsor.team,
        role=Role.PRACTITIONER,
        is_active=False,
    )
    member.set_unusable_password()
    member.save()
    audit.record(
        actor.pk,
        "staff.supervised_registered",
        object_type="staff",
        object_id=member.pk,
        details={"employment_type": employment_type, "responsible": sponsor.pk},
    )
    return member


@transaction.atomic
def activate_supervised(actor: Staff, staff_id: int) -> Briefing:
    """The named responsible member of staff confirms they have briefed the volunteer or student on
    confidentiality; only then is the account activated (policy 1.2)."""
    member = _staff(staff_id)
    if not member.is_supervised:
        raise InvalidInput("Only volunteers and work-experience students are activated this way")
    if member.responsible_staff_id is None:
        raise InvalidInput("Name a responsible member of staff before activating this account")
    if actor.pk != member.responsible_staff_id:
        raise NotPermitted("Only the named responsible member of staff can confirm the briefing.")
    if not actor.is_active or actor.has_ended() or actor.is_supervised:
        raise NotPermitted("Your own account must be current to supervise someone.")
    if member.has_ended():
        raise InvalidInput("This account is past its end date")
    briefing = Briefing.objects.create(staff=member, responsible=actor)
    member.is_active = True
    member.save(update_fields=["is_active"])
    audit.record(
        actor.pk,
        "staff.briefing_confirmed",
        object_type="staff",
        object_id=member.pk,
        details={"briefing": briefing.pk},
    )
    audit.record(actor.pk, "staff.activated", object_type="staff", object_id=member.pk)
    return briefing


@transaction.atomic
def record_absence(actor: Staff, staff_id: int, *, start_on: dt.date, end_on: dt.date) -> Absence:
    """A manager records leave or sickness (a sign-in during it raises an alert)."""
    member = _staff(staff_id)
    if not can_oversee(actor, member):
        raise NotPermitted("Only the member of staff's manager or information governance can record absence.")
    if end_on < start_on:
        raise InvalidInput("The end date must be the same as or after the start date")
    absence = Absence.objects.create(staff=member, start_on=start_on, end_on=end_on, recorded_by=actor)
    audit.record(
        actor.pk,
        "staff.absence_recorded",
        object_type="staff",
        object_id=member.pk,
        details={"start_on": start_on.isoformat(), "end_on": end_on.isoformat()},
    )
    return absence


def deactivate_ended_accounts(today: dt.date | None = None) -> list[int]:
    """Lock every active account past its end date (agency and fixed-term staff). Daily task."""
    today = today or timezone.localdate()
    ids = list(Staff.objects.filter(is_active=True, end_on__lt=today).values_list("pk", flat=True))
    with transaction.atomic():
        Staff.objects.filter(pk__in=ids).update(is_active=False)
        for pk in ids:
            audit.record(
                None,
                "staff.deactivated",
                object_type="staff",
                object_id=pk,
                details={"reason": "end date passed"},
            )
    return ids


class StaffBackend(ModelBackend):
    """Refuses sign-in to accounts past their end date, even before the daily task locks them."""

    def user_can_authenticate(self, user: Any) -> bool:
        if isinstance(user, Staff) and user.has_ended():
            return False
        return super().user_can_authenticate(user)


# --- compliance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRow:
    staff: Staff
    problems: list[str]


COMPLIANCE_COLUMNS = ["username", "name", "role", "employment_type", "team", "active", "end_on", "problems"]


def compliance(actor: Staff, *, today: dt.date | None = None) -> list[ComplianceRow]:
    """Accounts with something outstanding: current policy not acknowledged, no induction
    recorded, a volunteer or student without a supervisor or not yet briefed, or an account
    still active past its end date."""
    today = today or timezone.localdate()
    people = list(
        overseen_staff(actor).select_related("team", "responsible_staff").order_by("last_name", "username")
    )
    current = PolicyVersion.current()
    ids = [p.pk for p in people]
    acknowledged = (
        set(
            Acknowledgement.objects.filter(policy=current, staff_id__in=ids).values_list(
                "staff_id", flat=True
            )
        )
        if current
        else set(ids)
    )
    inducted = set(Induction.objects.filter(staff_id__in=ids).values_list("staff_id", flat=True))
    briefed = set(Briefing.objects.filter(staff_id__in=ids).values_list("staff_id", flat=True))
    rows: list[ComplianceRow] = []
    for p in people:
        problems: list[str] = []
        ended = p.end_on is not None and today > p.end_on
        if ended and p.is_active:
            problems.append("Active after end date")
        if p.is_active and not ended and p.pk not in acknowledged:
            problems.append("Current policy not acknowledged")
        if p.is_active and not ended and p.pk not in inducted and not p.is_supervised:
            problems.append("No induction recorded")
        if p.is_supervised:
            sponsor = p.responsible_staff
            if sponsor is None:
                problems.append("No responsible member of staff")
            elif not sponsor.is_active or sponsor.has_ended(today):
                problems.append("Responsible member of staff has left: name another")
            if p.pk not in briefed:
                problems.append("Active without a briefing" if p.is_active else "Waiting for briefing")
        if problems:
            rows.append(ComplianceRow(p, problems))
    audit.record(actor.pk, "staff.compliance_read", object_type="staff", details={"rows": len(rows)})
    return rows


def compliance_csv(rows: list[ComplianceRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COMPLIANCE_COLUMNS)
    for row in rows:
        p = row.staff
        writer.writerow(
            safe_row(
                [
                    p.username,
                    p.display_name,
                    p.get_role_display(),
                    p.get_employment_type_display(),
                    p.team.name if p.team else "",
                    "yes" if p.is_active else "no",
                    p.end_on.isoformat() if p.end_on else "",
                    "; ".join(row.problems),
                ]
            )
        )
    return out.getvalue()


# --- misuse alerts --------------------------------------------------------------------------

REVIEW_OUTCOMES = {AlertOutcome.NO_CONCERN, AlertOutcome.MISUSE, AlertOutcome.REFERRED_HR}


def thresholds() -> misuse.Thresholds:
    """Detection thresholds from settings (MISUSE_*), with the defaults in `misuse.Thresholds`."""
    d = misuse.Thresholds()
    start, end = getattr(settings, "MISUSE_WORKING_HOURS", (d.working_start, d.working_end))
    return misuse.Thresholds(
        concurrent_minutes=int(getattr(settings, "MISUSE_CONCURRENT_MINUTES", d.concurrent_minutes)),
        refusals=int(getattr(settings, "MISUSE_REFUSALS", d.refusals)),
        refusal_minutes=int(getattr(settings, "MISUSE_REFUSAL_MINUTES", d.refusal_minutes)),
        break_glass=int(getattr(settings, "MISUSE_BREAK_GLASS", d.break_glass)),
        bulk_factor=float(getattr(settings, "MISUSE_BULK_FACTOR", d.bulk_factor)),
        bulk_min_reads=int(getattr(settings, "MISUSE_BULK_MIN_READS", d.bulk_min_reads)),
        working_start=int(start),
        working_end=int(end),
        working_weekends=bool(getattr(settings, "MISUSE_WORKING_WEEKENDS", d.working_weekends)),
        any_hour_roles=frozenset(getattr(settings, "MISUSE_ANY_HOUR_ROLES", d.any_hour_roles)),
        timezone=str(getattr(settings, "TIME_ZONE", d.timezone)),
        holidays=_bank_holidays(),
    )


def _bank_holidays() -> frozenset[dt.date]:
    """The council's own bank holidays (its nation, with the admin's one-off days), last year to next."""
    from discretion import deadlines
    from discretion.information_rights.services import load_overrides, sar_nation

    calendar = deadlines.nation_calendar(sar_nation(), load_overrides(sar_nation()))
    year = timezone.localdate().year
    return frozenset(day for y in (year - 1, year, year + 1) for day in calendar.holidays_in(y))


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _baseline(before: dt.datetime, actor_ids: set[int]) -> dict[int, float]:
    """Reads per active hour of each actor over the baseline period before `before`."""
    days = int(getattr(settings, "MISUSE_BASELINE_DAYS", 28))
    rows = (
        AuditEvent.objects.filter(
            action__in=misuse.READ_ACTIONS,
            actor_id__in=actor_ids,
            at__gte=_iso(before - dt.timedelta(days=days)),
            at__lt=_iso(before),
        )
        .annotate(hour=Substr("at", 1, 13))
        .values("actor_id", "hour")
        .annotate(n=Count("id"))
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[row["actor_id"]][0] += row["n"]
        totals[row["actor_id"]][1] += 1
    return {actor: reads / hours for actor, (reads, hours) in totals.items()}


@dataclass
class DetectionResult:
    events: int = 0
    alerts: list[Alert] = field(default_factory=list)


def run_misuse_detection() -> DetectionResult:
    """Run the signals over audit events since the last run and raise an alert per new finding.

    Events from the day before the first new one are read too, so windows spanning two runs are
    seen whole; alert keys make re-runs idempotent, and only findings with a new event count.
    """
    last = DetectionRun.objects.aggregate(m=Max("to_seq"))["m"] or 0
    new = AuditEvent.objects.filter(seq__gt=last, actor_id__isnull=False)
    first = new.order_by("seq").values_list("at", flat=True).first()
    head = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or last
    result = DetectionResult()
    if first is None:
        return result
    first_at = misuse.parse_at(first)
    since = _iso(first_at - dt.timedelta(days=1))
    columns = ("seq", "at", "actor_id", "action", "ip", "session", "person_id", "object_type", "object_id")
    events = [
        misuse.Event(
            seq, misuse.parse_at(at), actor_id, action, ip, session, person_id, object_type, object_id
        )
        for seq, at, actor_id, action, ip, session, person_id, object_type, object_id in AuditEvent.objects.filter(
            seq__lte=head, at__gte=since, actor_id__isnull=False
        )
        .order_by("seq")
        .values_list(*columns)
        .iterator(chunk_size=5000)
    ]
    result.events = sum(1 for e in events if e.seq > last)
    actor_ids = {e.actor_id for e in events}
    absences: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for staff_id, start_on, end_on in Absence.objects.filter(staff_id__in=actor_ids).values_list(
        "staff_id", "start_on", "end_on"
    ):
        absences[staff_id].append((start_on, end_on))
    facts = {
        pk: misuse.StaffFacts(pk, role, end_on, tuple(absences.get(pk, ())))
        for pk, role, end_on in Staff.objects.filter(pk__in=actor_ids).values_list("pk", "role", "end_on")
    }
    findings = misuse.detect(
        events,
        facts,
        thresholds=thresholds(),
        baseline=_baseline(first_at.replace(minute=0, second=0, microsecond=0), actor_ids),
    )
    with transaction.atomic():
        known = set(AlertKey.objects.filter(key__in=[f.key for f in findings]).values_list("key", flat=True))
        for finding in findings:
            seqs = finding.evidence.get("events", [])
            if finding.key in known or not any(int(s) > last for s in seqs):  # type: ignore[attr-defined]
                continue
            alert = _raise_alert(finding)
            if alert is not None:
                result.alerts.append(alert)
        DetectionRun.objects.create(
            from_seq=last + 1, to_seq=head, events=result.events, alerts=len(result.alerts)
        )
    return result


def _recipient(staff_id: int) -> Staff | None:
    member = Staff.objects.select_related("team__manager", "responsible_staff__team__manager").get(
        pk=staff_id
    )
    team = member.team or (member.responsible_staff.team if member.responsible_staff else None)
    manager = team.manager if team else None
    return manager if manager is not None and manager.pk != member.pk else None


def _raise_alert(finding: misuse.Finding) -> Alert | None:
    recipient = _recipient(finding.staff_id)
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                kind=finding.kind,
                subject_staff_id=finding.staff_id,
                recipient=recipient,
                summary=finding.summary[:300],
                evidence=finding.evidence,
            )
            AlertKey.objects.create(key=finding.key, alert=alert)
    except IntegrityError:
        return None  # a concurrent run raised it first
    audit.record(
        None,
        "alert.raised",
        object_type="alert",
        object_id=alert.pk,
        details={
            "kind": finding.kind,
            "staff": finding.staff_id,
            "recipient": recipient.pk if recipient else None,
            "key": finding.key,
        },
    )
    return alert


def alerts_for(actor: Staff, *, open_only: bool = False) -> QuerySet[Alert]:
    """Information governance officers see every alert, a manager those about their staff or sent to
    them, anyone else those sent to them; nobody sees an alert about themselves (it would tip them
    off, and they cannot judge it). Alerts go to the manager and information governance, not to
    system administrators."""
    if actor.is_supervised or not actor.is_active:
        raise refusal(actor, "alert.list", "Volunteers and students do not review alerts.")
    qs = Alert.objects.select_related("subject_staff", "recipient", "reviewed_by").exclude(
        subject_staff=actor
    )
    if actor.role == Role.TEAM_MANAGER:
        overseen = overseen_staff(actor)
        qs = qs.filter(Q(recipient=actor) | Q(subject_staff__in=overseen))
    elif actor.role != Role.IGO:
        # Administrators, and anyone an alert is sent to (a volunteer's responsible member of
        # staff is told of an attempt to send personal data out: policy 1.2), see only their own.
        qs = qs.filter(recipient=actor)
    if open_only:
        qs = qs.filter(outcome=AlertOutcome.OPEN)
    return qs


def get_alert_for(actor: Staff, alert_id: int) -> Alert:
    """An alert for those who may review it; anyone else gets the answer a missing alert gets, and
    the refusal is audited."""
    alert = alerts_for(actor).filter(pk=alert_id).first()
    if alert is None:
        if Alert.objects.filter(pk=alert_id).exists():
            refusal(actor, "alert.read", "No such alert.", object_type="alert", object_id=alert_id)
        raise NotFound("No such alert.")
    audit.record(actor.pk, "alert.read", object_type="alert", object_id=alert.pk)
    return alert


def alert_history(alert: Alert) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="alert", object_id=str(alert.pk)).order_by("id"))


@transaction.atomic
def review_alert(actor: Staff, alert_id: int, *, outcome: str, note: str) -> Alert:
    """The person's manager or information governance records the outcome of a review. A later
    change of outcome is allowed but audited with the old and new outcome (nothing silent)."""
    alert = alerts_for(actor).select_for_update(of=("self",)).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("No such alert.")
    if alert.subject_staff_id == actor.pk:
        raise NotPermitted("You cannot review an alert about yourself.")
    if outcome not in REVIEW_OUTCOMES:
        raise InvalidInput("Select the outcome of your review")
    note = note.strip()
    if not note:
        raise InvalidInput("Enter what you found")
    previous = alert.outcome
    alert.outcome = outcome
    alert.reviewed_by = actor
    alert.reviewed_at = timezone.now()
    alert.save(update_fields=["outcome", "reviewed_by", "reviewed_at"])
    audit.record(
        actor.pk,
        "alert.reviewed",
        object_type="alert",
        object_id=alert.pk,
        reason=note,
        details={"from": previous, "to": outcome, "staff": alert.subject_staff_id},
    )
    return alert
