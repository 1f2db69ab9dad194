"""A document counts as evidence only once a second person with the right role has checked it.

One pattern for every document that stands as a fact: a request's court order or written consent
(`requests.documents`), a subject-access requester's evidence of parental responsibility or written
authority (`information_rights.evidence`), a research extract's consent, court order or legal gateway
(`research.basis`). Legal Services checks a court order (policy 1.5), information governance the rest
(policy 1.4, 2.2, 2.4); nobody who handled the matter or added the document checks it; what the
checker saw is recorded, and the check is audited.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from typing import IO, Any

from django.core.files.base import File
from django.db import models
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.policy import Document
from discretion.staff.models import Role, Staff

MAX_NOTE = 4000


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


def checker_role(code: str) -> str:
    """Who checks a document before it counts: Legal Services a court order, otherwise the IGO."""
    return Role.LEGAL if code == Document.COURT_ORDER else Role.IGO


def store(doc: Any, upload: IO[bytes] | None, *, name: str, content_type: str, stem: str) -> None:
    """Keep the uploaded file (if any) with its digest on `doc` (not yet saved)."""
    if upload is None:
        return
    content = upload.read()
    digest = hashlib.sha256(content).hexdigest()
    doc.original_name, doc.content_type, doc.size, doc.sha256 = (
        name[:200],
        content_type[:100],
        len(content),
        digest,
    )
    doc.file.save(f"{stem}-{digest[:12]}", File(io.BytesIO(content)), save=False)


def check(
    actor: Staff,
    doc: Any,
    *,
    accept: bool,
    note: str,
    involved: Iterable[int | None],
    action: str,
    refusal_action: str,
    object_type: str,
    object_id: object,
    invalid: type[Exception],
    person_ids: Iterable[int] = (),
) -> Any:
    """A second person with the right role checks `doc`: their decision and what they saw are kept,
    and the check is audited as `<action>` (a refusal as `<action>.refused`). `involved`: the people
    who handled the matter, who may not check its documents; `invalid` is raised for input the
    checker can correct."""
    person_ids = list(person_ids)
    access._require_active(actor)
    role = checker_role(doc.code)
    if actor.is_supervised or actor.role != role:
        raise access.refusal(
            actor,
            refusal_action,
            "Only Legal Services can check a court order."
            if role == Role.LEGAL
            else "Only information governance can check this document.",
            object_type=object_type,
            object_id=object_id,
            person_ids=person_ids,
        )
    if actor.pk in set(involved) | {doc.uploaded_by_id}:
        raise access.refusal(
            actor,
            refusal_action,
            "Someone other than the people handling the request must check its documents.",
            object_type=object_type,
            object_id=object_id,
            person_ids=person_ids,
        )
    if doc.checked_at is not None:
        raise access.NotPermitted("This document has already been checked.")
    note = note.strip()
    if not note:
        raise invalid("Enter what you checked (for example, the court, case number and date)")
    if len(note) > MAX_NOTE:
        raise invalid(f"What you checked must be {MAX_NOTE} characters or fewer")
    doc.checked_by = actor
    doc.checked_at = timezone.now()
    doc.accepted = accept
    doc.check_note = note
    doc.save(update_fields=["checked_by", "checked_at", "accepted", "check_note"])
    audit.record_for_people(
        actor.pk,
        action,
        person_ids,
        object_type=object_type,
        object_id=object_id,
        reason=note,
        details={"document": doc.pk, "code": doc.code, "accepted": accept},
    )
    return doc
