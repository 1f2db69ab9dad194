"""Documents that come with a request, and the second person's check that makes them evidence.

A court order, written consent, a Children's Guardian's appointment or an inspector's authority
counts as a fact for the policy only once a second person with the right role has checked it:
Legal Services for a court order (policy 1.5), information governance for the rest (policy 1.4,
2.2, 2.4). The check is recorded with who, when and what they saw; until then the decision says
the document is missing.
"""

from __future__ import annotations

import hashlib
import io
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction

from discretion import access, second_check
from discretion.audit import services as audit
from discretion.errors import InvalidInput, NotPermitted
from discretion.policy import Document
from discretion.requests.fact_changes import without_approvals
from discretion.requests.models import RequestDocument, RequestEvent, State
from discretion.requests.permissions import handlers_of, lock_request, require_handler, require_undecided
from discretion.requests.workflow import redecide
from discretion.staff.models import Staff

FINISHED = {State.RELEASED, State.REFUSED, State.CLOSED}


checker_role = second_check.checker_role


@transaction.atomic
def add_document(
    actor: Staff, request_id: int, code: str, upload: IO[bytes], *, name: str, content_type: str, size: int
) -> RequestDocument:
    """The handler attaches a document that came with the request. It is not yet a fact: it waits
    for a second person's check (`check_document`)."""
    req = lock_request(request_id, actor)
    require_handler(actor, req)
    require_undecided(req)
    if code not in {d.value for d in Document}:
        raise InvalidInput("Select what the document is")
    content = upload.read()
    digest = hashlib.sha256(content).hexdigest()
    doc = RequestDocument(
        request=req,
        code=code,
        original_name=name[:200],
        content_type=content_type,
        size=size,
        sha256=digest,
        uploaded_by=actor,
    )
    doc.file.save(f"request-{req.pk}-{digest[:12]}", File(io.BytesIO(content)), save=False)
    doc.save()
    audit.record_for_people(
        actor.pk,
        "request.document_added",
        req.subject_links.values_list("person_id", flat=True),
        object_type="request",
        object_id=req.pk,
        details={"code": code, "sha256": digest, "document": doc.pk},
    )
    RequestEvent.objects.create(
        request=req,
        actor=actor,
        action="document_added",
        from_state=req.state,
        to_state=req.state,
        note=f"{_label(code)}: waiting for a check",
    )
    from discretion.requests import notify

    notify.document_to_check(req, doc, actor)
    return doc


def _label(code: str) -> str:
    from discretion.requests.forms import DOCUMENT_LABELS

    return DOCUMENT_LABELS.get(code, "Document")


@transaction.atomic
def check_document(
    actor: Staff, request_id: int, document_id: int, *, accept: bool, note: str
) -> RequestDocument:
    """A second person with the right role checks a document: accepted, it becomes a fact and the
    decision is made again; rejected, it stays on file and counts for nothing."""
    access._require_active(actor)
    req = lock_request(request_id, actor)
    doc = RequestDocument.objects.filter(pk=document_id, request=req).first()
    if doc is None:
        raise access.NotFound("No such document.")
    if doc.checked_at is None and req.state in FINISHED and checker_role(doc.code) == actor.role:
        raise NotPermitted("This request is finished.")
    second_check.check(
        actor,
        doc,
        accept=accept,
        note=note,
        involved=handlers_of(req) | {req.requester_staff_id},
        action="request.document_checked",
        refusal_action="request.document_check",
        object_type="request",
        object_id=req.pk,
        invalid=InvalidInput,
    )
    note = doc.check_note
    RequestEvent.objects.create(
        request=req,
        actor=actor,
        action="document_checked",
        from_state=req.state,
        to_state=req.state,
        note=f"{_label(doc.code)}: {'accepted' if accept else 'not accepted'}. {note}",
    )
    if accept and req.state not in FINISHED:
        _take_as_fact(actor, req, doc.code)
    return doc


def _take_as_fact(actor: Staff, req: Any, code: str) -> None:
    documents = sorted(set(req.facts.get("documents", [])) | {code})
    changes: dict[str, Any] = {"documents": documents}
    if code == Document.WRITTEN_CONSENT:
        changes["consent"] = "written"
    facts = {**req.facts, **changes}
    if req.state in {State.RECEIVED, State.NEED_MORE, State.REFERRED, State.APPROVED, State.PREPARING}:
        redecide(req, actor, without_approvals(req, actor, facts))
