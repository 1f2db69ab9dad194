"""Notifications: the work that finds the worker. A line in the app, and an e-mail that says only
that something is waiting (never what or about whom) with a link into the app."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    REFERRED = "referred", "Waiting for your decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    RELEASED = "released", "Released"
    DUE_SOON = "due_soon", "Due soon"
    RECORD_ACCESS_ASKED = "record_access_asked", "Asking to open records"
    RECORD_ACCESS_DECIDED = "record_access_decided", "Opening records decided"
    DOCUMENT_TO_CHECK = "document_to_check", "A document to check"
    SIGN_OFF = "sign_off", "Waiting for your sign-off"
    SIGNED_OFF = "signed_off", "Signed off"


class Notification(models.Model):
    """One member of staff told of one thing. `text` names ids and kinds only (a request number, a
    case reference), never a child or a requester, so it may be shown and e-mailed as it is."""

    recipient = models.ForeignKey("staff.Staff", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, help_text="A path in the app.")
    urgent = models.BooleanField(default=False)
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The member of staff whose action caused it; none for the daily reminders (the system).
    triggered_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        "disclosures.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Once only: the daily reminder of a case for a recipient on a day.
    key = models.CharField(max_length=160, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"Notification {self.pk}"
