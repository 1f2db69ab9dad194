"""FOI/EIR requests, subject-access cases, redactions, reminders and the council's calendar days."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from discretion.checked_documents import CheckedDocument


class CalendarChange(models.TextChoices):
    ADDED = "added", "Added (a one-off holiday)"
    REMOVED = "removed", "Removed (no longer a holiday)"


class NationScope(models.TextChoices):
    ALL = "all", "All of the UK"
    ENGLAND_WALES = "england_wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class CalendarDay(models.Model):
    """A one-off change to the bank-holiday calendar, so a proclaimed day needs no release."""

    date = models.DateField()
    name = models.CharField(max_length=120)
    change = models.CharField(max_length=8, choices=CalendarChange.choices, default=CalendarChange.ADDED)
    scope = models.CharField(max_length=20, choices=NationScope.choices, default=NationScope.ALL)
    note = models.CharField(max_length=300, blank=True, help_text="The proclamation or announcement.")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "scope"], name="one_calendar_change_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Regime(models.TextChoices):
    FOI = "foi", "Freedom of Information Act 2000"
    EIR = "eir", "Environmental Information Regulations 2004"


class RequestChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    WEB_FORM = "web_form", "Web form"
    SOCIAL = "social", "Social media"
    PHONE = "phone", "Telephone (EIR only)"


class Outcome(models.TextChoices):
    PROVIDED = "provided", "Information provided"
    PARTLY_WITHHELD = "partly_withheld", "Partly withheld"
    REFUSED = "refused", "Refused"
    NOT_HELD = "not_held", "Not held"
    TRANSFERRED = "transferred", "Transferred to subject access"


class InfoRequest(models.Model):
    """An FOI or EIR request (policy 3)."""

    ref = models.CharField(max_length=16, unique=True)
    regime = models.CharField(max_length=4, choices=Regime.choices, default=Regime.FOI)
    requester_name = models.CharField(max_length=200)
    requester_contact = models.CharField(max_length=300)
    channel = models.CharField(max_length=16, choices=RequestChannel.choices)
    received_on = models.DateField()
    received_on_reason = models.CharField(max_length=300, blank=True)
    wording = models.TextField()
    service_area = models.CharField(max_length=120, blank=True)
    handler = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    clarification_requested_on = models.DateField(null=True, blank=True)
    clarification_received_on = models.DateField(null=True, blank=True)
    fee_notice_on = models.DateField(null=True, blank=True)
    fee_received_on = models.DateField(null=True, blank=True)
    extended_to = models.DateField(null=True, blank=True, help_text="FOIA s10(3) public-interest extension.")
    eir_extended = models.BooleanField(default=False, help_text="EIR reg 7: complex and voluminous.")
    estimated_hours = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    due_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    response_text = models.TextField(blank=True)
    refusal_notice = models.TextField(blank=True)
    published = models.BooleanField(default=False)
    # The disclosure-register entry of the published answer (policy 1.1: every release registered).
    disclosure_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Four eyes (information_rights.foi_letters): who recorded the answer, and the second officer
    # who signed it off before it was published or sent; then when the letter went, and how.
    answer_prepared_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    publish_requested = models.BooleanField(default=False)
    answer_signed_off_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_signed_off_at = models.DateTimeField(null=True, blank=True)
    letter_sent_at = models.DateTimeField(null=True, blank=True)
    letter_sent_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    letter_route = models.CharField(max_length=8, blank=True)  # "email" or "post"

    class Meta:
        indexes = [models.Index(fields=["closed_on", "due_on"])]

    def __str__(self) -> str:
        return self.ref

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def on_hold(self) -> str:
        """What the clock is stopped for: "clarification" (FOIA s1(3), EIR reg 9(4): no duty to answer
        until it arrives), "fee" (FOIA s9(2), s10(2): until the fee is paid), or "" while it runs."""
        if self.clarification_requested_on is not None and self.clarification_received_on is None:
            return "clarification"
        if self.fee_notice_on is not None and self.fee_received_on is None:
            return "fee"
        return ""

    @property
    def answered_in_time(self) -> bool | None:
        """Closed by the due date, or while the clock was stopped (nothing was late)."""
        return None if self.closed_on is None else bool(self.on_hold) or self.closed_on <= self.due_on


class SearchRecord(models.Model):
    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="searches")
    place = models.CharField(max_length=200)
    searched_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    found = models.TextField(blank=True)
    searched_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")


class ExemptionClaim(models.Model):
    """One exemption or exception relied on, with the reasons a refusal notice must give."""

    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="exemptions")
    code = models.CharField(max_length=16)  # "FOIA:s41", "EIR:12(5)(e)"
    why_applies = models.TextField()
    prejudice = models.TextField(blank=True)
    public_interest = models.TextField(blank=True)
    added_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")


class ReviewOutcome(models.TextChoices):
    UPHELD = "upheld", "Original decision upheld"
    PARTLY = "partly", "Partly overturned"
    OVERTURNED = "overturned", "Overturned"


class InternalReview(models.Model):
    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="reviews")
    received_on = models.DateField()
    extended = models.BooleanField(default=False)
    due_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)


class Requester(models.TextChoices):
    SELF = "self", "The person themselves"
    CARE_LEAVER = "care_leaver", "A care leaver"
    PARENT = "parent", "A parent for a child"
    REPRESENTATIVE = "representative", "A representative with written authority"


class SarStatus(models.TextChoices):
    AWAITING_ID = "awaiting_id", "Awaiting identity evidence"
    COMPILING = "compiling", "Compiling"
    REVIEW = "review", "Redaction review"
    READY = "ready", "Bundle ready"
    RELEASED = "released", "Released"


class SarCase(models.Model):
    """A subject-access request under the Access to Records Procedure (UK GDPR Art 15; policy 3)."""

    ref = models.CharField(max_length=16, unique=True)
    subject = models.ForeignKey(
        "records.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requester_name = models.CharField(max_length=200)
    requester_contact = models.CharField(max_length=300)
    requester_kind = models.CharField(max_length=16, choices=Requester.choices)
    # policy 2.3: for a parent asking for a child, whether the child can understand and consents.
    child_understands = models.BooleanField(null=True, blank=True)
    child_consents = models.BooleanField(null=True, blank=True)
    written_authority = models.BooleanField(default=False)
    received_on = models.DateField()
    id_verified_on = models.DateField(null=True, blank=True)
    id_verified_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    id_evidence = models.CharField(max_length=200, blank=True)
    clarification_requested_on = models.DateField(null=True, blank=True)
    clarification_received_on = models.DateField(null=True, blank=True)
    extended = models.BooleanField(default=False)
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=SarStatus.choices, default=SarStatus.AWAITING_ID)
    handler = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_request = models.ForeignKey(
        InfoRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="sar_cases"
    )
    compiled_at = models.DateTimeField(null=True, blank=True)
    entry_ids = models.JSONField(default=list, blank=True)
    bundle_sha256 = models.CharField(max_length=64, blank=True)
    disclosure_id = models.BigIntegerField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Four eyes (information_rights.review): the officer who finished the review and asked for
    # sign-off, the review as it then stood (a digest), and the second officer who signed it off.
    prepared_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_state = models.CharField(max_length=64, blank=True)
    signed_off_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # A request made for a child by a parent (ICO right of access, children's data): the officer's
    # judgement of whether the child understands the request, and why; the child's view; or why
    # answering the parent is in the child's best interests.
    competence_reason = models.TextField(blank=True)
    child_view = models.TextField(blank=True)
    best_interests_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.ref

    @property
    def on_hold(self) -> str:
        """What the clock is stopped for: "clarification" while it is awaited (UK GDPR Art 12A)."""
        if self.clarification_requested_on is not None and self.clarification_received_on is None:
            return "clarification"
        return ""


class Reason(models.TextChoices):
    THIRD_PARTY = "third_party", "Third-party information (DPA 2018 Sch 2 para 16)"
    THIRD_PARTY_SPECIAL = "third_party_special_category", "Another person's special-category data"
    SERIOUS_HARM = (
        "serious_harm",
        "Serious harm to someone's physical or mental health (DPA 2018 Sch 3 para 11)",
    )
    SUBJECT_EXPECTATION = (
        "subject_expectation",
        "Given by the child in the expectation it would not be disclosed to the parent (DPA 2018 Sch 3 para 10)",
    )
    COURT = (
        "court_proceedings",
        "Supplied to a court in proceedings whose rules allow it to be withheld (DPA 2018 Sch 3 para 9)",
    )
    ADOPTION = "adoption_record", "Adoption records and reports (DPA 2018 Sch 4)"
    CONFIDENTIAL_SOURCE = "confidential_source", "Confidential source (policy 3)"
    LPP = "legal_professional_privilege", "Legal professional privilege (DPA 2018 Sch 2 para 19)"
    CRIME = "crime_prevention", "Prevention or detection of crime (DPA 2018 Sch 2 para 2)"


class Decision(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Redaction(models.Model):
    """A span of one entry's text to withhold (start/end are offsets into the entry's text)."""

    sar = models.ForeignKey(SarCase, on_delete=models.CASCADE, related_name="redactions")
    entry_id = models.BigIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    reason = models.CharField(max_length=32, choices=Reason.choices)
    proposed_by_system = models.BooleanField(default=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PROPOSED)

    class Meta:
        indexes = [models.Index(fields=["sar", "entry_id"])]
        ordering = ["entry_id", "start"]


class RedactionDecision(models.Model):
    """Every decision on a redaction, kept (the redaction log)."""

    redaction = models.ForeignKey(Redaction, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)


class AttachmentReview(models.Model):
    """A reviewer's decision on one attachment of a subject-access bundle. Its text cannot be
    redacted automatically, so it goes in the bundle only once reviewed by hand and marked to
    include (ICO right of access: third-party data is withheld). Every decision is kept; the
    latest for an attachment is the one that counts."""

    sar = models.ForeignKey(SarCase, on_delete=models.CASCADE, related_name="attachment_reviews")
    attachment_id = models.BigIntegerField()
    include = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["sar", "attachment_id"])]
        ordering = ["id"]


class SarReview(models.Model):
    """An internal review of how a subject-access request was handled: the council answers within
    20 working days, as for FOI; the requester may complain to the ICO at any time (UK GDPR Art 77)."""

    sar = models.ForeignKey(SarCase, on_delete=models.CASCADE, related_name="reviews")
    received_on = models.DateField()
    due_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)


class Reminder(models.Model):
    """A daily deadline reminder for a case handler or their manager."""

    recipient = models.ForeignKey("staff.Staff", on_delete=models.CASCADE, related_name="ir_reminders")
    case_kind = models.CharField(max_length=8)  # "request" or "sar"
    case_id = models.BigIntegerField()
    case_ref = models.CharField(max_length=16)
    due_on = models.DateField()
    status = models.CharField(max_length=8)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "case_kind", "case_id", "sent_on"], name="one_reminder_a_day"
            )
        ]


from discretion.information_rights.documents.models import (  # noqa: E402  (tables of this app)
    DocumentStatus,
    PageBox,
    PageBoxDecision,
    PageSource,
    SarDocument,
    SarPage,
)

__all__ = ["DocumentStatus", "PageBox", "PageBoxDecision", "PageSource", "SarDocument", "SarPage"]


class EvidenceKind(models.TextChoices):
    PARENTAL_RESPONSIBILITY = (
        "parental_responsibility",
        "Evidence of parental responsibility (birth certificate, parental responsibility or child "
        "arrangements order, adoption or special guardianship order)",
    )
    WRITTEN_AUTHORITY = "written_authority", "The person's own signed written authority"


class SarEvidence(CheckedDocument):
    """What shows that someone asking for another person's records may act for them (ICO right of
    access: requests made on behalf of others): it counts once a second officer has checked it."""

    sar = models.ForeignKey(SarCase, on_delete=models.CASCADE, related_name="evidence")
    code = models.CharField(max_length=40, choices=EvidenceKind.choices)
    file = models.FileField(upload_to="sar-evidence/%Y/%m/", blank=True)

    class Meta:
        ordering = ["id"]
