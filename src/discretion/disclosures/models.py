"""The disclosure register (policy 1.1: the Council records what it has disclosed) and the
transactional outbox through which every release is actually sent."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    SECURE_LINK = "secure_link", "Secure download link"
    SECURE_EMAIL = "secure_email", "Secure e-mail (TLS-enforced secure domain)"
    ENCRYPTED_EMAIL = "encrypted_email", "E-mail encrypted to the recipient's key"
    POST = "post", "Print and post"
    IN_PERSON = "in_person", "Handed over in person"
    INTERNAL = "internal", "Internal (colleague within the council)"
    EMAIL = "email", "E-mail (no personal data)"
    PUBLICATION = "publication", "Published (FOI disclosure log)"


class Disclosure(models.Model):
    """One release of information: exactly what, to whom, when, on what basis, approved by whom."""

    released_at = models.DateTimeField(default=timezone.now, db_index=True)
    released_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_name = models.CharField(max_length=200)
    recipient_organisation = models.CharField(max_length=200, blank=True)
    recipient_category = models.CharField(max_length=40, blank=True)
    recipient_address = models.CharField(max_length=254, blank=True, help_text="E-mail or postal address.")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    purpose = models.CharField(max_length=60, blank=True)
    legal_basis = models.TextField(blank=True)
    rules = models.JSONField(default=list, blank=True, help_text="Policy rule ids the decision cited.")
    source = models.CharField(max_length=40, help_text="request, subject_access, foi, outbound, research…")
    source_id = models.CharField(max_length=40, blank=True)
    entry_ids = models.JSONField(default=list, blank=True)
    content_sha256 = models.CharField(max_length=64)
    content_bytes = models.PositiveBigIntegerField(default=0)
    summary = models.CharField(max_length=300, blank=True)
    people: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "records.Person", through="DisclosedPerson", related_name="disclosures"
    )

    class Meta:
        ordering = ["-released_at", "-id"]

    def __str__(self) -> str:
        return f"Disclosure {self.pk} to {self.recipient_organisation or self.recipient_name}"


class DisclosedPerson(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="subjects")
    person = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "person"], name="one_person_per_disclosure")
        ]
        indexes = [models.Index(fields=["person", "disclosure"])]


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will retry)"


class OutboxMessage(models.Model):
    """A send queued in the same transaction as its register entry (transactional outbox)."""

    disclosure = models.OneToOneField(
        Disclosure, null=True, blank=True, on_delete=models.PROTECT, related_name="outbox"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    recipient_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    payload = models.BinaryField(blank=True, default=b"")
    payload_name = models.CharField(max_length=200, blank=True)
    # The type recorded at release (files.content_type_for): what the download is served as.
    payload_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Post only: the letter waits in the print queue until someone records that it was posted.
    posted_on = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    postal_reference = models.CharField(
        max_length=40, blank=True, help_text="Tracked or recorded delivery number."
    )


class SecureLink(models.Model):
    """An expiring download link. Neither its token nor its separately-sent code is stored: only
    a salt and digests keyed by DISCRETION_LINK_KEY, which is held outside the database (links.py)."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.PROTECT, related_name="links")
    salt = models.CharField(max_length=64, blank=True)
    token_digest = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    max_downloads = models.PositiveIntegerField(default=3)
    downloads = models.PositiveIntegerField(default=0)
    failed_codes = models.PositiveIntegerField(default=0)
    revoked = models.BooleanField(default=False)
