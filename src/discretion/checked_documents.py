"""The fields of a document that stands as a fact once a second person has checked it (the rule is
`discretion.second_check`). Abstract: each kind of case keeps its own table."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class CheckedDocument(models.Model):
    """A document that stands as a fact once `checked_by` a second person has `accepted` it."""

    code = models.CharField(max_length=40)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    description = models.TextField(blank=True, help_text="What was received (issuer, date, reference).")
    uploaded_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    checked_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True)
    check_note = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def counts(self) -> bool:
        return bool(self.accepted) and self.checked_at is not None
