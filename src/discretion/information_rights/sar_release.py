"""The subject-access bundle: built with true redactions, and released through the one door out
(`disclosures.services.disclose`) after a second officer's sign-off."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.compile import CompiledSar, compile_sar
from discretion.information_rights.models import (
    Requester,
    SarCase,
    SarStatus,
)
from discretion.information_rights.permissions import lock_sar, require_igo
from discretion.information_rights.sar_redaction import attachment_reviews
from discretion.staff.models import Staff


def _attachment_contents(actor: Staff, sar: SarCase, compiled: CompiledSar) -> dict[int, bytes]:
    """The files of attachments the reviewer included, each opened through access (audited)."""
    reviews = attachment_reviews(sar)
    contents: dict[int, bytes] = {}
    for attachments in compiled.attachments.values():
        for listed in attachments:
            review = reviews.get(listed.pk)
            if review is None or not review.include:
                continue
            attachment = access.open_attachment_for(actor, listed.pk)
            try:
                with attachment.file.open("rb") as handle:
                    contents[attachment.pk] = handle.read()
            except OSError:
                continue  # shown in the bundle as not reproduced
    return contents


def build_bundle(actor: Staff, sar_id: int) -> bytes:
    """Render the bundle (true redactions): compiled through `access`, accepted redactions removed
    before rendering. Proposed redactions still undecided count as accepted (withhold by default).
    Attachments go in only once reviewed by hand and marked to include."""
    from discretion.information_rights import pdf

    require_igo(actor)
    with transaction.atomic():
        sar = lock_sar(sar_id)
        if sar.status in (SarStatus.AWAITING_ID,) or sar.subject_id is None or sar.compiled_at is None:
            raise InvalidInput("Verify identity and compile the records first")
        from discretion.information_rights.representation import require_entitled

        require_entitled(sar)  # still entitled now (evidence, the child's view): checked at every build
        compiled = compile_sar(actor, sar, propose=False)
        if set(compiled.entry_ids) != set(sar.entry_ids):
            # Records written since the compile have had no redactions proposed or reviewed.
            raise InvalidInput("The records have changed since they were compiled: compile again and review")
        contents = _attachment_contents(actor, sar, compiled)
        from discretion.information_rights.documents import release
        from discretion.information_rights.review import signer_name

        try:  # documents read page by page go in as released pages, boxes burned in
            contents = release.released_documents(sar, contents)
        except release.StillReading as exc:
            raise InvalidInput(str(exc)) from None
        content = pdf.render_bundle(
            sar,
            compiled,
            council_name=settings.COUNCIL_NAME,
            attachment_contents=contents,
            signer=signer_name(sar),
            contact=settings.COUNCIL_IG_CONTACT,
        )
        sar.bundle_sha256 = pdf.sha256(content)
        if sar.status != SarStatus.RELEASED:
            sar.status = SarStatus.READY
        sar.save(update_fields=["bundle_sha256", "status"])
        audit.record(
            actor.pk,
            "ir.sar.bundle_built",
            object_type="sar",
            object_id=sar.pk,
            person_id=sar.subject_id,
            details={"sha256": sar.bundle_sha256, "bytes": len(content), "attachments": sorted(contents)},
        )
    return content


def release_bundle(actor: Staff, sar_id: int) -> tuple[SarCase, str, str]:
    """Release through the secure link, recorded in the disclosure register (the one door out)."""
    from discretion.disclosures.models import Channel
    from discretion.disclosures.services import Recipient, disclose

    content = build_bundle(actor, sar_id)
    with transaction.atomic():
        sar = lock_sar(sar_id)
        if sar.status == SarStatus.RELEASED:
            raise InvalidInput("This bundle has already been released")
        if sar.requester_kind == Requester.PARENT and sar.child_understands and sar.child_consents is False:
            # ICO: a child who understands holds the right of access; a parent acts for them only
            # with their authority (or where they cannot understand).
            raise InvalidInput(
                "The child understands the request and does not consent: respond to the child, not the parent"
            )
        from discretion.information_rights.review import require_signed_off

        require_signed_off(sar)  # four eyes: a second officer signed this review off
        release = disclose(
            actor,
            recipient=Recipient(
                name=sar.requester_name,
                category=f"subject access: {sar.requester_kind}",
                address=sar.requester_contact,
            ),
            channel=Channel.SECURE_LINK,
            content=content,
            content_name=f"{sar.ref}-bundle.pdf",
            source="information_rights.sar",
            source_id=str(sar.pk),
            person_ids=[sar.subject_id] if sar.subject_id else [],
            entry_ids=list(sar.entry_ids),
            purpose="Subject access request (UK GDPR Art 15)",
            legal_basis="UK GDPR Art 15; Data Protection Act 2018",
            rules=["3-sar"],
            summary=f"Subject-access bundle {sar.ref}",
            message_subject=f"Your subject access request {sar.ref}",
            message_body="Your records are available through the secure link; the code is sent separately.",
        )
        sar.status = SarStatus.RELEASED
        sar.disclosure_id = release.disclosure.pk
        sar.closed_on = timezone.localdate()
        sar.save(update_fields=["status", "disclosure_id", "closed_on"])
        audit.record(
            actor.pk,
            "ir.sar.released",
            object_type="sar",
            object_id=sar.pk,
            person_id=sar.subject_id,
            details={"disclosure": release.disclosure.pk, "in_time": sar.closed_on <= sar.due_on},
        )
    return sar, release.link_token, release.link_code
