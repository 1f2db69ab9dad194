"""Staff, teams, allocations and confidentiality acknowledgements (policy 1.2)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Social worker / practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    IGO = "information_governance", "Information Governance Officer"
    LEGAL = "legal_services", "Legal Services"
    PRESS = "press_office", "Press office"
    RESEARCH = "research_governance", "Research governance"
    ADMIN = "administrator", "Administrator"


class EmploymentType(models.TextChoices):
    EMPLOYEE = "employee", "Employee"
    AGENCY = "agency", "Agency worker"
    VOLUNTEER = "volunteer", "Volunteer"
    STUDENT = "student", "Work-experience student"


SUPERVISED_TYPES = frozenset({EmploymentType.VOLUNTEER, EmploymentType.STUDENT})


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    manager = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )

    def __str__(self) -> str:
        return self.name


class Staff(AbstractUser):
    """A personal account: one person, one login (policy 1.2: no shared or generic accounts)."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PRACTITIONER)
    employment_type = models.CharField(
        max_length=16, choices=EmploymentType.choices, default=EmploymentType.EMPLOYEE
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    # policy 1.2: volunteers and work-experience students work under a named member of staff.
    responsible_staff = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supervisees"
    )
    end_on = models.DateField(null=True, blank=True, help_text="Agency or fixed-term end date.")

    class Meta:
        verbose_name = "member of staff"
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_supervised(self) -> bool:
        return self.employment_type in SUPERVISED_TYPES

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.is_supervised and self.responsible_staff_id is None:
            raise ValidationError(
                {"responsible_staff": "Select the member of staff responsible for this volunteer or student."}
            )
        if self.responsible_staff_id is not None and self.responsible_staff_id == self.pk:
            raise ValidationError({"responsible_staff": "A person cannot supervise themselves."})

    def has_ended(self, on: dt.date | None = None) -> bool:
        today = on or timezone.localdate()
        return self.end_on is not None and today > self.end_on


class PolicyVersion(models.Model):
    """A version of the Confidentiality Policy that staff must acknowledge (policy 1.2)."""

    version = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @classmethod
    def current(cls) -> PolicyVersion | None:
        return cls.objects.order_by("-published_at", "-id").first()


class Acknowledgement(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="acknowledgements")
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "policy"], name="one_ack_per_version")]


class Allocation(models.Model):
    """A worker allocated to a case between two dates (need to know, policy 2.4)."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="allocations")
    case = models.ForeignKey("records.Case", on_delete=models.CASCADE, related_name="allocations")
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["staff", "case"]), models.Index(fields=["case", "staff"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="allocation_ends_after_start",
            )
        ]

    def is_current(self, on: dt.date) -> bool:
        return self.start_on <= on and (self.end_on is None or on <= self.end_on)


class AlertKind(models.TextChoices):
    BREAK_GLASS = "break_glass", "Break-glass access"
    CONCURRENT_SESSIONS = "concurrent_sessions", "Account active from two places"
    ABSENT_SIGN_IN = "absent_sign_in", "Sign-in while absent or after end date"
    UNALLOCATED_ACCESS = "unallocated_access", "Attempts to open unallocated records"
    BULK_READING = "bulk_reading", "Bulk reading"
    OUT_OF_HOURS = "out_of_hours", "Out-of-hours access"
    REQUEST_ACCESS = "request_access", "Records opened for a request"
    SELF_REQUEST = "self_request", "A request logged for oneself"
    SUPERVISED_RELEASE = "supervised_release", "A volunteer or student tried to send personal data"
    ACCOUNT_CHANGE = "account_change", "A change to a staff account's access"
    ACCOUNT_TAKEOVER = "account_takeover", "Second factor reset and password set by one person"
    KEY_REPLACED = "key_replaced", "A recipient's encryption key was replaced"


class AlertOutcome(models.TextChoices):
    OPEN = "open", "Not yet reviewed"
    NO_CONCERN = "no_concern", "No concern"
    MISUSE = "misuse", "Misuse"
    REFERRED_HR = "referred_hr", "Referred to HR"


class Alert(models.Model):
    """Something a team manager or information governance must look at about a member of staff."""

    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    subject_staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="alerts_about")
    recipient = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts_received"
    )
    case_id = models.BigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300)
    evidence = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=16, choices=AlertOutcome.choices, default=AlertOutcome.OPEN)
    reviewed_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class CaseShare(models.Model):
    """A volunteer's or student's responsible member of staff shares one of their cases with them,
    case by case (policy 1.2: least privilege for those working under supervision)."""

    supervisee = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="case_shares")
    case = models.ForeignKey("records.Case", on_delete=models.CASCADE, related_name="+")
    shared_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["supervisee", "case"])]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisee", "case"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_share_per_case",
            )
        ]


class ApiToken(models.Model):
    """A personal API token for systems acting as a named member of staff, stored only as a digest
    keyed by DISCRETION_LINK_KEY (staff/tokens.py)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)


# --- staff duties (policy 1.2) ---------------------------------------------------------------


class Induction(models.Model):
    """A manager records that confidentiality was discussed with a new starter (policy 1.2)."""

    staff = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="inductions")
    discussed_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    discussed_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-discussed_on", "-id"]


class Briefing(models.Model):
    """The named responsible member of staff confirms they briefed a volunteer or student."""

    staff = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="briefings")
    responsible = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-confirmed_at", "-id"]


class Absence(models.Model):
    """Leave or sickness: a sign-in during it is a misuse signal (someone else's login?)."""

    staff = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="absences")
    start_on = models.DateField()
    end_on = models.DateField()
    recorded_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")), name="absence_ends_after_start"
            )
        ]


class AlertKey(models.Model):
    """The signal/account/period key of an alert raised by detection: re-runs never duplicate."""

    key = models.CharField(max_length=120, unique=True)
    alert = models.OneToOneField("staff.Alert", on_delete=models.PROTECT, related_name="detection_key")


class DetectionRun(models.Model):
    """High-water mark of the misuse detection pass over the audit trail."""

    ran_at = models.DateTimeField(default=timezone.now)
    from_seq = models.BigIntegerField()
    to_seq = models.BigIntegerField()
    events = models.PositiveIntegerField(default=0)
    alerts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-to_seq"]


class AccountChangeState(models.TextChoices):
    PENDING = "pending", "Waiting for information governance"
    CONFIRMED = "confirmed", "Confirmed"
    REFUSED = "refused", "Refused"


class AccountChange(models.Model):
    """A change an administrator made to an account that gives it access to records (a role that
    reads records or decides releases, an account switched on again, a volunteer made an employee).
    It takes effect only once an information governance officer other than the administrator
    confirms it (staff/accounts.py)."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="account_changes")
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # {"role": ["press_office", "information_governance"], "is_active": [false, true]}: from, to.
    changes = models.JSONField(default=dict)
    state = models.CharField(
        max_length=16, choices=AccountChangeState.choices, default=AccountChangeState.PENDING
    )
    decided_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(state="pending"),
                name="one_pending_account_change",
            )
        ]
