"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """One audited action. Never updated or deleted (a PostgreSQL trigger refuses both), bar the
    one step that gives an accepted event (seq NULL) its place in the chain (audit.sequencer)."""

    seq = models.BigIntegerField(
        unique=True, null=True, help_text="Place in the chain; NULL until integrated."
    )
    at = models.CharField(max_length=40, help_text="ISO 8601 UTC time, as hashed.")
    actor_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.BigIntegerField(null=True, help_text="The person whose record this concerns.")
    ip = models.CharField(max_length=64, blank=True)
    session = models.CharField(max_length=64, blank=True, help_text="A digest of the session, never the key.")
    reason = models.TextField(blank=True)
    details = models.TextField(blank=True, help_text="Canonical JSON.")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["person_id", "seq"]),
            models.Index(fields=["actor_id", "seq"]),
            # An actor's events in accept order (a session's later sign-ins: staff.security).
            models.Index(fields=["actor_id", "id"], name="audit_actor_accepted_idx"),
            # The sequencer's queue: accepted events not yet in the chain, in accept order.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class ChainHead(models.Model):
    """The single row holding the chain's newest seq and hash; locking it serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
