"""The lawful basis for giving an outside body pseudonymised data (red-team probe 18).

A pseudonymised extract is still personal data (UK GDPR recital 26; the ICO's guidance on
anonymisation and pseudonymisation), and policy 2.2 lets external researchers have personal
information only with the written consent of the people concerned or a court order (or where a
statute gives them a right, policy 2.2/1.4: a legal gateway, checked with Information Governance).
So an extract for an outside body is anonymised only, unless such a basis is on file and a second
person has checked it (`discretion.second_check`: Legal Services a court order, information
governance the rest). Research governance's approval is still needed as well. Internal analysts
are unchanged: pseudonyms need research governance's recorded approval, as before.
"""

from __future__ import annotations

from django.db import transaction

from discretion import access, second_check
from discretion.access import NotFound
from discretion.audit import services as audit
from discretion.research.models import BasisKind, ResearchBasisDocument, ResearchRequest
from discretion.research.services import InvalidInput, is_research_governance
from discretion.staff.models import Staff


def has_checked_basis(req: ResearchRequest) -> bool:
    return ResearchBasisDocument.objects.filter(request=req, accepted=True, checked_at__isnull=False).exists()


def require_basis_for_outside_body(actor: Staff, req: ResearchRequest, *, pseudonymised: bool) -> None:
    """Refuse (audited) a pseudonymised extract for an outside body with no checked lawful basis."""
    if pseudonymised and req.is_external and not has_checked_basis(req):
        raise access.refusal(
            actor,
            "research.extract",
            "An outside body gets an anonymised extract only: pseudonymised data is personal data, so it "
            "needs the people's written consent, a court order or a legal gateway on file, checked by a "
            "second person (policy 2.2).",
            object_type="research_request",
            object_id=req.pk,
        )


@transaction.atomic
def add_basis_document(
    actor: Staff, request_id: int, *, code: str, description: str
) -> ResearchBasisDocument:
    """Research governance records the consent, court order or legal gateway an outside body relies on."""
    if not is_research_governance(actor):
        raise access.refusal(
            actor, "research.basis", "Only research governance can record the basis for an extract."
        )
    req = ResearchRequest.objects.select_for_update().filter(pk=request_id).first()
    if req is None:
        raise NotFound("No such research request.")
    if code not in BasisKind.values:
        raise InvalidInput("Select what the document is")
    if not description.strip():
        raise InvalidInput("Enter what was received (issuer, date, reference)")
    doc = ResearchBasisDocument.objects.create(
        request=req, code=code, description=description.strip()[:2000], uploaded_by=actor
    )
    audit.record(
        actor.pk,
        "research.basis_added",
        object_type="research_request",
        object_id=req.pk,
        details={"document": doc.pk, "code": code},
    )
    return doc


@transaction.atomic
def check_basis_document(
    actor: Staff, request_id: int, document_id: int, *, accept: bool, note: str
) -> ResearchBasisDocument:
    """A second person checks it: Legal Services a court order, information governance the rest;
    never whoever submitted, decided or recorded it."""
    req = ResearchRequest.objects.select_for_update().filter(pk=request_id).first()
    doc = ResearchBasisDocument.objects.filter(pk=document_id, request_id=request_id).first()
    if req is None or doc is None:
        raise NotFound("No such document.")
    checked: ResearchBasisDocument = second_check.check(
        actor,
        doc,
        accept=accept,
        note=note,
        involved={req.submitted_by_id, req.decided_by_id},
        action="research.basis_checked",
        refusal_action="research.basis_check",
        object_type="research_request",
        object_id=req.pk,
        invalid=InvalidInput,
    )
    return checked


__all__ = ["add_basis_document", "check_basis_document", "require_basis_for_outside_body"]
