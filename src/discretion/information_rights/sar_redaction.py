"""Compiling a subject's records for subject access and deciding what is withheld: proposed and
added redactions, and attachments reviewed by hand."""

from __future__ import annotations

from django.db import transaction

from discretion import access
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.compile import CompiledSar, compile_sar
from discretion.information_rights.inputs import required_text
from discretion.information_rights.models import (
    AttachmentReview,
    Decision,
    Reason,
    Redaction,
    RedactionDecision,
    Requester,
    SarCase,
    SarStatus,
)
from discretion.information_rights.permissions import lock_sar, require_igo
from discretion.records.models import Attachment
from discretion.staff.models import Staff


@transaction.atomic
def compile_records(actor: Staff, sar_id: int) -> CompiledSar:
    """Collect everything held about the subject (through access) and propose redactions."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    if sar.status == SarStatus.AWAITING_ID or sar.subject_id is None:
        raise InvalidInput("Verify the requester's identity first")
    if sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    from discretion.information_rights.representation import require_entitled

    require_entitled(sar)  # a request made for someone else: entitlement shown and checked first
    compiled = compile_sar(actor, sar, propose=True)
    from discretion.information_rights.documents.pipeline import schedule

    schedule(sar, actor)  # the attachments are read page by page in the background
    return compiled


@transaction.atomic
def decide_redaction(actor: Staff, redaction_id: int, *, decision: str, note: str = "") -> Redaction:
    """The reviewer accepts or rejects a proposed redaction; every decision is kept."""
    require_igo(actor)
    red = Redaction.objects.select_for_update().filter(pk=redaction_id).select_related("sar").first()
    if red is None:
        raise access.NotFound("No such redaction.")
    if decision not in (Decision.ACCEPTED, Decision.REJECTED):
        raise InvalidInput("Select accept or reject")
    if red.sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    red.decision = decision
    red.save(update_fields=["decision"])
    RedactionDecision.objects.create(redaction=red, decision=decision, note=note[:300], decided_by=actor)
    audit.record(
        actor.pk,
        "ir.sar.redaction_decided",
        object_type="sar",
        object_id=red.sar_id,
        person_id=red.sar.subject_id,
        details={"redaction": red.pk, "decision": decision},
    )
    return red


@transaction.atomic
def add_redaction(
    actor: Staff, sar_id: int, *, entry_id: int, passage: str, reason: str, note: str = ""
) -> list[Redaction]:
    """The reviewer adds a redaction: every occurrence of `passage` in the entry's text."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    if sar.status not in (SarStatus.REVIEW, SarStatus.READY):
        raise InvalidInput("Compile the records before adding redactions")
    if reason not in Reason.values:
        raise InvalidInput("Select the reason for the redaction")
    if reason == Reason.SUBJECT_EXPECTATION and sar.requester_kind != Requester.PARENT:
        # DPA 2018 Sch 3 para 10: only a request made for the child by someone with parental
        # responsibility (or a court-appointed deputy) can be refused on the child's expectations.
        raise InvalidInput(
            "The child's expectations exemption applies only when a parent asks for a child's records"
        )
    if entry_id not in set(sar.entry_ids):
        raise InvalidInput("Select an entry in this bundle")
    passage = required_text(passage, "Enter the passage to redact", max_length=5000)
    entry, _ = access.get_entry_for(actor, entry_id)
    spans, start = [], entry.text.find(passage)
    while start != -1:
        spans.append(start)
        start = entry.text.find(passage, start + len(passage))
    if not spans:
        raise InvalidInput("Enter a passage that appears in the entry's text exactly")
    made = []
    for s in spans:
        red = Redaction.objects.create(
            sar=sar,
            entry_id=entry_id,
            start=s,
            end=s + len(passage),
            text=passage,
            reason=reason,
            proposed_by_system=False,
            decision=Decision.ACCEPTED,
        )
        RedactionDecision.objects.create(
            redaction=red, decision=Decision.ACCEPTED, note=note[:300], decided_by=actor
        )
        made.append(red)
    sar.status = SarStatus.REVIEW
    sar.save(update_fields=["status"])
    audit.record(
        actor.pk,
        "ir.sar.redaction_added",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"entry": entry_id, "redactions": [r.pk for r in made], "reason": reason},
    )
    return made


def attachment_reviews(sar: SarCase) -> dict[int, AttachmentReview]:
    """The reviewer's latest decision on each attachment of the bundle, by attachment id."""
    latest: dict[int, AttachmentReview] = {}
    for row in AttachmentReview.objects.filter(sar=sar).select_related("decided_by").order_by("id"):
        latest[row.attachment_id] = row
    return latest


@transaction.atomic
def decide_attachment(
    actor: Staff, sar_id: int, attachment_id: int, *, include: bool, note: str = ""
) -> AttachmentReview:
    """The reviewer marks an attachment reviewed by hand and to include, or withholds it. An
    attachment's text cannot be redacted automatically, so only one reviewed by hand goes in the
    bundle (ICO right of access: other people's data is withheld; policy 3). Every decision is kept."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    if sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    if sar.compiled_at is None:
        raise InvalidInput("Compile the records first")
    # Ids only: which attachments belong to the compiled entries (nothing is displayed from here).
    if not Attachment.objects.filter(pk=attachment_id, entry_id__in=sar.entry_ids).exists():
        raise InvalidInput("Select an attachment in this bundle")
    row = AttachmentReview.objects.create(
        sar=sar,
        attachment_id=attachment_id,
        include=include,
        note=(note or "").strip()[:300],
        decided_by=actor,
    )
    audit.record(
        actor.pk,
        "ir.sar.attachment_decided",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"attachment": attachment_id, "include": include},
    )
    return row
