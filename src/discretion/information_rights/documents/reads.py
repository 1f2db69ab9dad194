"""Reads for the review of documents: progress, the queue of documents and pages, one page with
its boxes, its image. Every look at a page opens its attachment through `access` (audited), so
a page image is read by the same door as the file it came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Count, Q

from discretion import access
from discretion.audit import services as audit
from discretion.information_rights.documents import pipeline
from discretion.information_rights.documents.models import PageBox, SarDocument, SarPage
from discretion.information_rights.documents.services import (
    InvalidInput,
    is_igo,
    page_for_action,
    refuse,
    sar_for,
)
from discretion.information_rights.models import SarCase
from discretion.staff.models import Staff


def read_documents(
    actor_id: int, sar_id: int, *, on_progress: Callable[[pipeline.Progress], None] | None = None
) -> pipeline.Progress:
    """Read the bundle's documents (the background task, or `discretion sar compile --wait`)."""
    actor = Staff.objects.get(pk=actor_id)
    sar = sar_for(actor, sar_id)
    if sar.compiled_at is None:
        raise InvalidInput("Compile the records first")
    return pipeline.run(actor, sar, on_progress=on_progress)


def start_reading(actor: Staff, sar_id: int) -> pipeline.Progress:
    """Queue the reading of the documents (it runs in the background worker)."""
    sar = sar_for(actor, sar_id)
    if sar.compiled_at is None:
        raise InvalidInput("Compile the records first")
    pipeline.schedule(sar, actor)
    return pipeline.progress(sar.pk)


def progress_for(actor: Staff, sar_id: int) -> pipeline.Progress:
    return pipeline.progress(sar_for(actor, sar_id).pk)


@dataclass(frozen=True)
class DocumentRow:
    document: SarDocument
    pages: list[SarPage]
    low_confidence: int
    boxes: int


def document_queue(actor: Staff, sar_id: int) -> tuple[SarCase, list[DocumentRow]]:
    """The documents and their pages, pages OCR read poorly first (a person reads them first)."""
    sar = sar_for(actor, sar_id)
    docs = list(
        SarDocument.objects.filter(sar=sar).annotate(
            low=Count(
                "pages", filter=Q(pages__low_confidence=True, pages__checked_at__isnull=True), distinct=True
            ),
        )
    )
    counts = dict(
        PageBox.objects.filter(sar=sar)
        .exclude(decision="rejected")
        .values("page__document")
        .annotate(n=Count("id"))
        .values_list("page__document", "n")
    )
    pages: dict[int, list[SarPage]] = {}
    for page in SarPage.objects.filter(sar=sar).only(
        "id",
        "document_id",
        "number",
        "low_confidence",
        "checked_at",
        "duplicate_of_id",
        "confidence",
        "source",
    ):
        pages.setdefault(page.document_id, []).append(page)
    rows = [DocumentRow(d, pages.get(d.pk, []), getattr(d, "low", 0), counts.get(d.pk, 0)) for d in docs]
    rows.sort(key=lambda r: (r.low_confidence == 0, r.document.occurred_on, r.document.pk))
    audit.record(
        actor.pk,
        "ir.sar.documents_listed",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"documents": [r.document.pk for r in rows]},
    )
    return sar, rows


@dataclass(frozen=True)
class PageView:
    page: SarPage
    boxes: list[PageBox]
    duplicates: list[int]
    previous_id: int | None
    next_id: int | None


def _open_page(actor: Staff, page_id: int) -> SarPage:
    """The page, once its attachment has been opened through access (the check and the audit)."""
    if not is_igo(actor):
        raise refuse(actor, "sar_page", page_id, "page")
    page = page_for_action(actor, page_id)
    access.open_attachment_for(actor, page.document.attachment_id)
    return page


def page_view(actor: Staff, page_id: int) -> PageView:
    page = _open_page(actor, page_id)
    siblings = list(
        SarPage.objects.filter(sar_id=page.sar_id)
        .order_by("document__occurred_on", "document_id", "number")
        .values_list("id", flat=True)
    )
    at = siblings.index(page.pk)
    return PageView(
        page,
        list(page.boxes.all()),
        list(SarPage.objects.filter(duplicate_of=page).values_list("id", flat=True)),
        siblings[at - 1] if at > 0 else None,
        siblings[at + 1] if at + 1 < len(siblings) else None,
    )


def page_image(actor: Staff, page_id: int) -> tuple[bytes, str]:
    """The page image and its media type (personal data: the caller sends it with no-store)."""
    page = _open_page(actor, page_id)
    with default_storage.open(page.image, "rb") as handle:
        content = handle.read()
    return content, "image/jpeg" if page.image.endswith(".jpg") else "image/png"
