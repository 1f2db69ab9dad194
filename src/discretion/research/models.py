"""Research requests and extracts (policy 1.4); and, in their own section, the records of staff
duties (policy 1.2) that the staff app needs until they move to `staff/models.py`."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from discretion.checked_documents import CheckedDocument

# --- research (policy 1.4) -------------------------------------------------------------------


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class ResearchRequest(models.Model):
    """A formal submission to research governance; internal requests need approval too."""

    title = models.CharField(max_length=200)
    purpose = models.TextField()
    lawful_basis = models.TextField()
    fields = models.JSONField(
        default=list, help_text="The data wanted: codes from research.anonymise.FIELDS."
    )
    retention = models.CharField(max_length=200, help_text="How long the data will be kept, then destroyed.")
    audience = models.TextField(help_text="Who will see the data.")
    is_external = models.BooleanField(default=False)
    organisation = models.CharField(max_length=200, blank=True)
    requester_name = models.CharField(max_length=200)
    requester_email = models.EmailField(blank=True)
    # policy 1.4: an outside body's identity and entitlement are checked, and the check recorded.
    identity_checked = models.BooleanField(default=False)
    identity_check = models.TextField(blank=True, help_text="How identity was checked.")
    entitlement_checked = models.BooleanField(default=False)
    entitlement_check = models.TextField(blank=True, help_text="What entitles them to the data.")
    wants_pseudonyms = models.BooleanField(default=False)
    submitted_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    decided_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    pseudonyms_approved = models.BooleanField(default=False)
    k = models.PositiveSmallIntegerField(default=5)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"Research request {self.pk}"


class Extract(models.Model):
    """One release of an extract: what was made, by whom, and its disclosure register entry."""

    request = models.ForeignKey(ResearchRequest, on_delete=models.PROTECT, related_name="extracts")
    made_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    pseudonymised = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)
    sha256 = models.CharField(max_length=64)
    disclosure = models.OneToOneField("disclosures.Disclosure", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-made_at", "-id"]


class BasisKind(models.TextChoices):
    WRITTEN_CONSENT = "written_consent", "Written consent of the people in the data"
    COURT_ORDER = "court_order", "Court order"
    LEGAL_GATEWAY = "legal_basis_statement", "Statement of the legal gateway (the statute that allows it)"


class ResearchBasisDocument(CheckedDocument):
    """The lawful basis for giving an outside body personal (pseudonymised) data: consent, a court
    order or a legal gateway (policy 2.2: external researchers only with written consent or a court
    order). It counts once a second person has checked it (`discretion.second_check`)."""

    request = models.ForeignKey(ResearchRequest, on_delete=models.CASCADE, related_name="basis_documents")
    code = models.CharField(max_length=40, choices=BasisKind.choices)
    file = models.FileField(upload_to="research-basis/%Y/%m/", blank=True)

    class Meta:
        ordering = ["id"]


# --- commercial confidentiality (policy 1.3) -------------------------------------------------


class CommercialKind(models.TextChoices):
    CONTRACT = "contract", "Contract"
    AGREEMENT = "agreement", "Agreement"
    PROVIDER = "provider", "Provider information"
    TENDER = "tender", "Tender or pricing"


class CommercialRecord(models.Model):
    """Contracts, agreements and provider information: seen only within the employee's remit."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=CommercialKind.choices)
    counterparty = models.CharField(max_length=200, help_text="The provider or other party.")
    # The remit: staff of this team who hold the permission; blank means council-wide remit.
    team = models.ForeignKey("staff.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        permissions = [
            ("view_commercial_records", "Can see commercial records within their remit (policy 1.3)")
        ]

    def __str__(self) -> str:
        return self.title


class QueryStatus(models.TextChoices):
    OPEN = "open", "Waiting for the manager"
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused"


class CommercialQuery(models.Model):
    """policy 1.3: where it is in doubt whether a record is within remit, the manager decides."""

    record = models.ForeignKey(CommercialRecord, on_delete=models.PROTECT, related_name="queries")
    asked_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    manager = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    asked_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=QueryStatus.choices, default=QueryStatus.OPEN)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
