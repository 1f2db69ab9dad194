"""Opening a subject-access case and verifying the requester's identity."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.inputs import next_ref, not_in_future, required_text
from discretion.information_rights.models import (
    InfoRequest,
    Requester,
    SarCase,
    SarStatus,
)
from discretion.information_rights.permissions import lock_sar, require_igo
from discretion.information_rights.sar_clock import compute_sar_due, save_sar_clock
from discretion.records.models import Person
from discretion.staff.models import Staff


def _subject(actor: Staff, subject_ref: str) -> Person | None:
    """The person a subject-access request is about, opened through access (audited)."""
    if not subject_ref.strip():
        return None
    try:
        return access.get_person_for(actor, ref=subject_ref.strip()).person
    except access.NotFound:
        raise InvalidInput("Enter the reference of a person on our records") from None


@transaction.atomic
def open_sar(
    actor: Staff,
    *,
    requester_name: str,
    requester_contact: str,
    requester_kind: str,
    received_on: dt.date | None = None,
    subject_ref: str = "",
    child_understands: bool | None = None,
    child_consents: bool | None = None,
    written_authority: bool = False,
    from_request: InfoRequest | None = None,
) -> SarCase:
    """Intake: who asks, for whom. A parent asking for a child: whether the child can understand and
    consents, if known yet (policy 2.3; ICO: a child who understands holds the right). A
    representative needs written authority (policy 2.2), shown and checked before anything is compiled."""
    require_igo(actor)
    if requester_kind not in Requester.values:
        raise InvalidInput("Select who is asking")
    # Whether the child understands, and their view, may be recorded now or later; nothing is compiled
    # or released until they are (information_rights.representation).
    if requester_kind == Requester.REPRESENTATIVE and not written_authority:
        raise InvalidInput(
            "A representative needs the person's written authority: confirm it has been received"
        )
    today = timezone.localdate()
    received = received_on or today
    if received > today:
        raise InvalidInput("Enter a date received that is today or in the past")
    subject = _subject(actor, subject_ref)
    sar = SarCase(
        ref=next_ref("SAR", SarCase),
        subject=subject,
        requester_name=required_text(requester_name, "Enter the requester's name", max_length=200),
        requester_contact=required_text(
            requester_contact, "Enter the requester's contact address", max_length=300
        ),
        requester_kind=requester_kind,
        child_understands=child_understands,
        child_consents=child_consents if child_understands else None,
        written_authority=written_authority,
        received_on=received,
        handler=actor,
        created_by=actor,
        from_request=from_request,
        due_on=today,
    )
    sar.due_on = compute_sar_due(sar).due_on
    sar.save()
    audit.record(
        actor.pk,
        "ir.sar.opened",
        object_type="sar",
        object_id=sar.pk,
        person_id=subject.pk if subject else None,
        details={
            "requester_kind": requester_kind,
            "child_understands": child_understands,
            "child_consents": sar.child_consents,
            "due_on": sar.due_on.isoformat(),
        },
    )
    return sar


@transaction.atomic
def verify_identity(
    actor: Staff, sar_id: int, *, evidence: str, received_on: dt.date | None = None, subject_ref: str = ""
) -> SarCase:
    """Identity verified: the clock starts from the day the evidence arrived (Art 12A)."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    if sar.status != SarStatus.AWAITING_ID:
        raise InvalidInput("Identity has already been verified")
    if subject_ref.strip():
        sar.subject = _subject(actor, subject_ref)
    elif sar.subject_id is not None:
        # The subject named at opening, read through access (audited), never by the foreign key.
        sar.subject = access.get_person_for(actor, sar.subject_id).person
    if sar.subject_id is None:
        raise InvalidInput("Enter the reference of the person the request is about")
    sar.id_evidence = required_text(evidence, "Enter the identity evidence seen", max_length=200)
    not_in_future(received_on, "The date the identity evidence arrived")
    sar.id_verified_on = received_on or timezone.localdate()
    sar.id_verified_by = actor
    sar.status = SarStatus.COMPILING
    return save_sar_clock(actor, sar, "ir.sar.identity_verified")
