"""The compile of a bundle's documents, resumable: every page is stored (image, words, proposals)
in its own transaction, so a compile that stops, however it stops, resumes at the next page and
never stores a page twice. Attachments are read through `access` (audited); OCR runs on every core
while pages are rendered in order; duplicates are marked once every page is read."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from PIL import Image

from discretion import access, detect
from discretion.audit import services as audit
from discretion.information_rights.compile import THIRD_PARTY_LABELS, _index, compile_sar
from discretion.information_rights.documents import boxes, duplicates, extract, mail, ocr
from discretion.information_rights.documents.models import (
    DocumentStatus,
    PageBox,
    PageSource,
    SarDocument,
    SarPage,
)
from discretion.information_rights.models import Reason, SarCase
from discretion.records.models import Attachment
from discretion.staff.models import Staff

# A claim not renewed for this long belongs to a process that died: another run takes it over.
STALE_CLAIM = dt.timedelta(minutes=2)
OPEN = (DocumentStatus.PENDING, DocumentStatus.PROCESSING)


@dataclass(frozen=True)
class Progress:
    documents: int
    documents_done: int
    documents_failed: int
    pages_done: int
    pages_known: int  # pages of the documents opened so far
    low_confidence: int

    @property
    def finished(self) -> bool:
        return self.documents_done + self.documents_failed == self.documents

    def line(self) -> str:
        return (
            f"documents {self.documents_done + self.documents_failed}/{self.documents}"
            f" ({self.documents_failed} unreadable), pages {self.pages_done}/{self.pages_known} read,"
            f" {self.low_confidence} for a person first (low OCR confidence)"
        )


def progress(sar_id: int) -> Progress:
    docs = SarDocument.objects.filter(sar_id=sar_id).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=DocumentStatus.DONE)),
        failed=Count("id", filter=Q(status=DocumentStatus.FAILED)),
        pages=Sum("pages_done"),
        known=Sum("page_count"),
    )
    low = SarPage.objects.filter(sar_id=sar_id, low_confidence=True).count()
    return Progress(docs["total"], docs["done"], docs["failed"], docs["pages"] or 0, docs["known"] or 0, low)


def ensure_documents(sar: SarCase) -> int:
    """A document row for every attachment of the compiled entries (ids only; the files are read
    through access when processed). Returns how many were added."""
    have = set(SarDocument.objects.filter(sar=sar, part="").values_list("attachment_id", flat=True))
    rows = Attachment.objects.filter(entry_id__in=sar.entry_ids).values_list(
        "id", "entry_id", "entry__occurred_on"
    )
    new = [
        SarDocument(sar=sar, attachment_id=a, entry_id=e, occurred_on=on, name="")
        for a, e, on in rows
        if a not in have
    ]
    SarDocument.objects.bulk_create(new)
    return len(new)


def schedule(sar: SarCase, actor: Staff) -> None:
    """After a compile of the records: the documents are read by the background worker."""
    ensure_documents(sar)
    if SarDocument.objects.filter(sar=sar, status__in=OPEN).exists():
        from discretion.information_rights.documents.tasks import compile_documents

        transaction.on_commit(lambda: compile_documents.enqueue(sar.pk, actor.pk))


@dataclass
class _Context:
    index: detect.SubjectIndex
    third_refs: set[str]
    keys: boxes.NameKeys
    flags: dict[int, tuple[bool, bool, bool]]  # entry id → (confidential source, third party, special)
    workers: int


def _context(actor: Staff, sar: SarCase) -> _Context:
    compiled = compile_sar(actor, sar, propose=False)  # every read through access, audited
    asker = sar.requester_name if sar.requester_kind != "self" else ""
    index, third_refs = _index(actor, compiled.person, [c.case.pk for c in compiled.cases], asker)
    third_names = []
    for ref in third_refs:
        subject = index.get(ref)
        if subject is not None:
            third_names += [f"{subject.given_names} {subject.family_name}", *subject.aliases]
    own = [compiled.person.full_name, *compiled.aliases]
    flags = {
        e.pk: (e.confidential_source, e.third_party, e.special_category)
        for c in compiled.cases
        for e in c.entries
    }
    workers = int(getattr(settings, "DISCRETION_OCR_WORKERS", 0) or os.cpu_count() or 1)
    return _Context(index, third_refs, boxes.NameKeys.build(third_names, own), flags, workers)


def run(actor: Staff, sar: SarCase, *, on_progress: Callable[[Progress], None] | None = None) -> Progress:
    """Read every document of the bundle not yet read (the caller has checked the actor)."""
    ensure_documents(sar)
    context = _context(actor, sar)
    with ThreadPoolExecutor(max_workers=context.workers) as pool:
        while (doc := _claim_next(sar)) is not None:
            try:
                _process(actor, doc, context, pool)
            except BaseException:
                SarDocument.objects.filter(pk=doc.pk).update(status=DocumentStatus.PENDING, claimed_at=None)
                raise
            if on_progress is not None:
                on_progress(progress(sar.pk))
    mark_duplicates(sar)
    done = progress(sar.pk)
    audit.record(
        actor.pk,
        "ir.sar.documents_read",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"documents": done.documents, "pages": done.pages_done, "unreadable": done.documents_failed},
    )
    return done


def _claim_next(sar: SarCase) -> SarDocument | None:
    now = timezone.now()
    for doc_id in SarDocument.objects.filter(sar=sar, status__in=OPEN).values_list("id", flat=True):
        claimed = (
            SarDocument.objects.filter(pk=doc_id, status__in=OPEN)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM))
            .update(status=DocumentStatus.PROCESSING, claimed_at=now)
        )
        if claimed:
            return SarDocument.objects.get(pk=doc_id)
    return None


def _content(actor: Staff, doc: SarDocument) -> tuple[str, bytes]:
    """The document's name and bytes: the attachment opened through access; a part of an e-mail
    is found again in its parent, by position."""
    attachment = access.open_attachment_for(actor, doc.attachment_id)
    with attachment.file.open("rb") as handle:
        content = handle.read()
    name = attachment.original_name
    for step in [int(n) for n in doc.part.split("/") if n]:
        kind = extract.kind_of(content, name)
        message = mail.read_eml(content) if kind == "eml" else mail.read_msg(content)
        part = message.attachments[step - 1]
        name, content = part.name, part.content
    return name, content


def _process(actor: Staff, doc: SarDocument, context: _Context, pool: ThreadPoolExecutor) -> None:
    try:
        name, content = _content(actor, doc)
        doc.name = name[:200]
        opened = extract.open_document(content, name)
    except (extract.Unreadable, OSError, IndexError, mail.MailUnreadable) as exc:
        doc.status, doc.error = DocumentStatus.FAILED, str(exc)[:300] or "Could not be read."
        doc.save(update_fields=["name", "status", "error"])
        return
    doc.kind, doc.page_count = opened.kind, opened.page_count
    doc.save(update_fields=["name", "kind", "page_count"])
    _add_parts(doc, opened.parts)
    start = SarPage.objects.filter(document=doc).count()
    waiting: deque[tuple[int, extract.SourcePage, Future[ocr.PageReading] | None]] = deque()
    for number, source in enumerate(opened.pages(start), start=start + 1):
        reading: Future[ocr.PageReading] | None = None
        if source.words is None and source.ocr_image is not None:
            reading = pool.submit(ocr.read_page, source.ocr_image, dpi=source.ocr_dpi)
        source.ocr_image = None  # the worker holds it while it reads; nothing else needs it
        waiting.append((number, source, reading))
        while len(waiting) > context.workers * 2:
            _save_page(doc, *waiting.popleft(), context)
    while waiting:
        _save_page(doc, *waiting.popleft(), context)
    doc.status, doc.done_at = DocumentStatus.DONE, timezone.now()
    doc.save(update_fields=["status", "done_at"])


def _add_parts(doc: SarDocument, parts: list[mail.MailPart]) -> None:
    have = set(SarDocument.objects.filter(parent=doc).values_list("part", flat=True))
    new = []
    for n, part in enumerate(parts, start=1):
        path = f"{doc.part}/{n}" if doc.part else str(n)
        if path not in have:
            new.append(
                SarDocument(
                    sar_id=doc.sar_id,
                    attachment_id=doc.attachment_id,
                    entry_id=doc.entry_id,
                    part=path,
                    parent=doc,
                    name=part.name[:200],
                    occurred_on=doc.occurred_on,
                )
            )
    SarDocument.objects.bulk_create(new)


def _proposals(
    readings: list[list[ocr.Word]], context: _Context, entry_id: int, *, read_by_ocr: bool
) -> list[boxes.Proposal]:
    """As for an entry (compile._proposals): the entry's classification holds for its documents.
    `readings`: the page's words, then any further OCR readings of it (a name read only there)."""
    confidential, third_party, special = context.flags.get(entry_id, (False, False, False))
    if confidential:
        return [boxes.whole_page(Reason.CONFIDENTIAL_SOURCE.value)]  # policy 3: an anonymous referrer
    found = boxes.propose_readings(
        readings, context.index, context.third_refs, THIRD_PARTY_LABELS, keys=context.keys, fuzzy=read_by_ocr
    )
    if special and found:
        return [boxes.whole_page(Reason.THIRD_PARTY_SPECIAL.value)]
    if third_party:
        return [boxes.whole_page(Reason.THIRD_PARTY.value)]
    return found


def _store_image(doc: SarDocument, number: int, image: Image.Image, *, scan: bool) -> str:
    buffer = io.BytesIO()
    if scan:
        image.save(buffer, format="JPEG", quality=80)
    else:
        image.save(buffer, format="PNG", optimize=False)
    path = f"sar-documents/{doc.sar_id}/{doc.pk}/{number}.{'jpg' if scan else 'png'}"
    if default_storage.exists(path):  # left by a compile that stopped before storing the page
        default_storage.delete(path)
    return str(default_storage.save(path, ContentFile(buffer.getvalue())))


def _save_page(
    doc: SarDocument,
    number: int,
    source: extract.SourcePage,
    reading: Future[ocr.PageReading] | None,
    context: _Context,
) -> None:
    others: list[ocr.Reading] = []
    if reading is not None:
        result = reading.result()
        words, confidence, kind, others = (
            result.main.words,
            result.main.confidence,
            PageSource.OCR,
            result.others,
        )
    else:
        words, confidence, kind = source.words or [], None, PageSource.TEXT
    readings = [words, *(other.words for other in others)]
    proposals = _proposals(readings, context, doc.entry_id, read_by_ocr=reading is not None)
    text, _ = boxes.page_text(words)
    signature = duplicates.signature([boxes.fold(w.text) for w in words])
    with transaction.atomic():
        page = SarPage.objects.create(
            document=doc,
            sar_id=doc.sar_id,
            number=number,
            source=kind,
            image=_store_image(doc, number, source.image, scan=kind == PageSource.OCR),
            width=source.image.width,
            height=source.image.height,
            text=text,
            words=[
                [round(w.x0, 5), round(w.y0, 5), round(w.x1, 5), round(w.y1, 5), w.text, w.line]
                for w in words
            ],
            confidence=confidence,
            low_confidence=kind == PageSource.OCR and (confidence is None or confidence < ocr.LOW_CONFIDENCE),
            signature=signature,
        )
        PageBox.objects.bulk_create(
            PageBox(
                sar_id=doc.sar_id,
                page=page,
                x0=p.x0,
                y0=p.y0,
                x1=p.x1,
                y1=p.y1,
                text=p.text[:500],
                match_key=p.match_key[:200],
                reason=p.reason,
            )
            for p in proposals
        )
        SarDocument.objects.filter(pk=doc.pk).update(pages_done=number, claimed_at=timezone.now())


def mark_duplicates(sar: SarCase) -> int:
    """Each page that repeats an earlier one (in file order) points at it. Returns how many."""
    rows = SarPage.objects.filter(sar=sar).order_by("document__occurred_on", "document_id", "number")
    found = duplicates.group(rows.values_list("id", "signature"))
    current = dict(rows.filter(duplicate_of__isnull=False).values_list("id", "duplicate_of_id"))
    for page_id, original in found.items():
        if current.get(page_id) != original:
            SarPage.objects.filter(pk=page_id).update(duplicate_of_id=original)
    return len(found)
