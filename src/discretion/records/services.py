"""Actions on records: one function per user action (permission, rule, write, audit)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import IO

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.records.identifiers import nhs_number_is_valid, normalise_nhs_number
from discretion.records.models import Attachment, Person, PersonName
from discretion.records.search import name_rows
from discretion.staff.models import Staff

WRITE_BASES = {access.Basis.ALLOCATED, access.Basis.TEAM_MANAGER, access.Basis.BREAK_GLASS}


def add_attachment(
    actor: Staff, entry_id: int, upload: IO[bytes], *, name: str, content_type: str, size: int
) -> Attachment:
    """An allocated worker or their manager attaches a file to an entry. Checked types only."""
    entry, grant = access.get_entry_for(actor, entry_id)
    if grant.basis not in WRITE_BASES:
        raise access.NotPermitted("Only staff working on this case can add attachments.")
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        attachment = Attachment(
            entry=entry,
            original_name=name[:200],
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        attachment.file.save(f"{entry.pk}-{digest.hexdigest()[:16]}", File(upload), save=False)
        try:
            attachment.save()
            audit.record(
                actor.pk,
                "attachment.added",
                object_type="attachment",
                object_id=attachment.pk,
                person_id=entry.case.subject_id,
                details={"entry": entry.pk, "size": size},
            )
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def update_identifiers(
    actor: Staff, person_ref: str, *, nhs_number: str | None = None, date_of_birth: dt.date | None = None
) -> Person:
    """A worker on the child's case corrects the NHS number or date of birth."""
    view = access.get_person_for(actor, ref=person_ref)
    if view.grant.basis not in WRITE_BASES:
        raise access.NotPermitted("Only staff working on this case can change a person's details.")
    person = view.person
    changed: list[str] = []
    if nhs_number is not None:
        if nhs_number.strip() and not nhs_number_is_valid(nhs_number):
            raise InvalidInput("Enter a valid NHS number: 10 digits with a correct check digit")
        person.nhs_number = normalise_nhs_number(nhs_number.strip())
        changed.append("nhs_number")
    if date_of_birth is not None:
        if date_of_birth > timezone.localdate():
            raise InvalidInput("Date of birth must be in the past")
        person.date_of_birth = date_of_birth
        changed.append("date_of_birth")
    with transaction.atomic():
        person.save(update_fields=changed or None)
        audit.record(
            actor.pk,
            "person.updated",
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            details={"fields": changed},
        )
    return person


def index_names(person: Person, aliases: Sequence[tuple[str, str, str]] = ()) -> None:
    """Rebuild a person's searchable names: the legal name plus (given, family, kind) aliases."""
    PersonName.objects.filter(person=person).delete()
    rows = [name_rows(person.given_names, person.family_name, "legal")]
    rows += [name_rows(g, f, k) for g, f, k in aliases]
    PersonName.objects.bulk_create([PersonName(person=person, **row) for row in rows])
