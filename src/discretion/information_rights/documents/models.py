"""Documents of a subject-access bundle, their pages and the boxes proposed and decided on them.

Imported by `information_rights.models`, so the tables belong to that app. Page images are
personal data: stored outside the web root and served only through the access check.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from discretion.information_rights.models import Decision, Reason


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    PROCESSING = "processing", "Being read"
    DONE = "done", "Read"
    FAILED = "failed", "Could not be read"


class SarDocument(models.Model):
    """One document of the bundle: an attachment, or a part of one (an e-mail's attachment).
    Progress is stored page by page, so a compile that stops resumes where it stopped."""

    sar = models.ForeignKey("information_rights.SarCase", on_delete=models.CASCADE, related_name="documents")
    attachment_id = models.BigIntegerField()
    entry_id = models.BigIntegerField()
    part = models.CharField(
        max_length=40, default="", blank=True
    )  # "" the file itself; "2" its 2nd attachment
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, blank=True)
    occurred_on = models.DateField()
    status = models.CharField(max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    error = models.CharField(max_length=300, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    pages_done = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sar", "attachment_id", "part"], name="one_document_per_part")
        ]
        ordering = ["occurred_on", "entry_id", "attachment_id", "part"]

    def __str__(self) -> str:
        return f"document {self.pk}"


class PageSource(models.TextChoices):
    TEXT = "text", "Text layer"
    OCR = "ocr", "OCR"


class SarPage(models.Model):
    """A page: its image (stored), its words with positions (fractions of the page, 0–1), the text
    they make, and how sure the OCR was. Low confidence sends the page to a person first."""

    document = models.ForeignKey(SarDocument, on_delete=models.CASCADE, related_name="pages")
    sar = models.ForeignKey("information_rights.SarCase", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    source = models.CharField(max_length=8, choices=PageSource.choices)
    image = models.CharField(max_length=300)  # a path in the default storage
    width = models.PositiveIntegerField()  # image pixels
    height = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    words = models.JSONField(default=list)  # [[x0, y0, x1, y1, word], …] as fractions of the page
    confidence = models.FloatField(null=True, blank=True)  # mean OCR word confidence, 0–100
    low_confidence = models.BooleanField(default=False)
    signature = models.JSONField(default=list)  # min-hash of the page's word shingles (duplicates)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    burned = models.CharField(max_length=300, blank=True)  # the released page (PDF), cached
    burned_key = models.CharField(max_length=64, blank=True)  # the boxes it was burned with
    checked_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_page_number")]
        indexes = [models.Index(fields=["sar", "low_confidence"])]
        ordering = ["document_id", "number"]

    def __str__(self) -> str:
        return f"page {self.pk}"


class PageBox(models.Model):
    """A box to burn into a page: proposed by the finder or drawn by the reviewer. Coordinates
    are fractions of the page (0–1), so they hold at any resolution."""

    sar = models.ForeignKey("information_rights.SarCase", on_delete=models.CASCADE, related_name="page_boxes")
    page = models.ForeignKey(SarPage, on_delete=models.CASCADE, related_name="boxes")
    x0 = models.FloatField()
    y0 = models.FloatField()
    x1 = models.FloatField()
    y1 = models.FloatField()
    text = models.CharField(max_length=500, blank=True)  # what the box covers, for the log
    match_key = models.CharField(max_length=200, blank=True, db_index=True)  # the folded name
    reason = models.CharField(max_length=32, choices=Reason.choices)
    proposed_by_system = models.BooleanField(default=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PROPOSED)

    class Meta:
        ordering = ["page_id", "y0", "x0"]

    def __str__(self) -> str:
        return f"box {self.pk}"


class PageBoxDecision(models.Model):
    """Every decision on a box, kept (the redaction log): accept, reject, resize, draw, or one
    decision applied to every occurrence of a name or to a page's duplicates."""

    box = models.ForeignKey(PageBox, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=20)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    geometry = models.JSONField(default=list)  # [x0, y0, x1, y1] after this decision
    note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
