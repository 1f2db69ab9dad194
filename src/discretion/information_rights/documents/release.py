"""The released form of the documents in a bundle: each page burned (burn.py) and cached until its
boxes change; the pages of an attachment (an e-mail's attachments after it) made one PDF that the
bundle merges in place of the file. Proposed boxes still undecided are burned (withhold by
default), as for entries."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Sum
from PIL import Image

from discretion.information_rights.documents import burn
from discretion.information_rights.documents.models import DocumentStatus, SarDocument, SarPage
from discretion.information_rights.documents.pipeline import OPEN
from discretion.information_rights.models import Decision, SarCase


class StillReading(ValueError):
    """Documents of the bundle are still being read; the message says how far it has got."""


def _part_order(doc: SarDocument) -> tuple[int, ...]:
    return tuple(int(n) for n in doc.part.split("/") if n)


def _boxes(page: SarPage) -> list[burn.Box]:
    return [(b.x0, b.y0, b.x1, b.y1) for b in page.boxes.all() if b.decision != Decision.REJECTED]


def _burn_one(image_path: str, boxes: list[burn.Box]) -> bytes:
    with default_storage.open(image_path, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return burn.release_page(image, boxes)


def burned_pages(pages: list[SarPage], on_burned: Callable[[int], None] | None = None) -> dict[int, bytes]:
    """Each page's released PDF (page id → bytes), burning only pages whose boxes have changed."""
    out: dict[int, bytes] = {}
    todo: list[tuple[SarPage, list[burn.Box], str]] = []
    for page in pages:
        boxes = _boxes(page)
        key = burn.boxes_key(boxes)
        if page.burned and page.burned_key == key and default_storage.exists(page.burned):
            with default_storage.open(page.burned, "rb") as handle:
                out[page.pk] = handle.read()
        else:
            todo.append((page, boxes, key))
    workers = int(getattr(settings, "DISCRETION_OCR_WORKERS", 0) or 2)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda item: _burn_one(item[0].image, item[1]), todo)
        for (page, _, key), content in zip(todo, results, strict=True):
            path = page.image.rsplit(".", 1)[0] + "-released.pdf"
            if default_storage.exists(path):
                default_storage.delete(path)
            page.burned, page.burned_key = default_storage.save(path, ContentFile(content)), key
            SarPage.objects.filter(pk=page.pk).update(burned=page.burned, burned_key=key)
            out[page.pk] = content
            if on_burned is not None:
                on_burned(page.pk)
    return out


def _join(parts: Iterable[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for content in parts:
        for page in PdfReader(io.BytesIO(content)).pages:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def check_read(sar: SarCase, attachment_ids: Iterable[int]) -> None:
    """Once reading has begun, a bundle waits for every included document to be read. Before it
    begins (no worker has picked it up), attachments follow the by-hand rule: included whole only
    once a reviewer has read one and marked it to include."""
    begun = SarDocument.objects.filter(sar=sar).exclude(
        status=DocumentStatus.PENDING, claimed_at__isnull=True
    )
    if not begun.exists():
        return
    docs = SarDocument.objects.filter(sar=sar, attachment_id__in=list(attachment_ids))
    if docs.filter(status__in=OPEN).exists():
        totals = SarDocument.objects.filter(sar=sar).aggregate(
            done=Sum("pages_done"), known=Sum("page_count")
        )
        raise StillReading(
            f"The documents are still being read ({totals['done'] or 0} of {totals['known'] or 0} pages so far): "
            "build the bundle once they are all read"
        )


def released_documents(sar: SarCase, contents: dict[int, bytes]) -> dict[int, bytes]:
    """`contents` (the attachments the reviewer included, by id) with every attachment whose
    document was read replaced by its released pages. An attachment that could not be read stays
    as it was (it went in only once reviewed by hand)."""
    check_read(sar, contents)
    docs = [
        d
        for d in SarDocument.objects.filter(sar=sar, attachment_id__in=list(contents))
        if d.status == DocumentStatus.DONE
    ]
    by_attachment: dict[int, list[SarDocument]] = {}
    for doc in docs:
        by_attachment.setdefault(doc.attachment_id, []).append(doc)
    out = dict(contents)
    for attachment_id, group in by_attachment.items():
        group.sort(key=_part_order)
        pages = [
            page
            for doc in group
            for page in SarPage.objects.filter(document=doc).prefetch_related("boxes").order_by("number")
        ]
        burned = burned_pages(pages)
        if pages:
            out[attachment_id] = _join(burned[p.pk] for p in pages)
    return out
