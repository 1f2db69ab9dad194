"""Document review endpoints (added to the information-rights router): the same services as the
pages. Fractions of the page (0–1) for box edges."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from discretion.api import actor
from discretion.information_rights.documents import reads, services
from discretion.information_rights.documents.models import PageBox
from discretion.information_rights.documents.pipeline import Progress

router = Router(tags=["information rights: documents"])
T = TypeVar("T")


def _call(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except services.InvalidInput as exc:
        raise HttpError(400, str(exc)) from None


class ProgressOut(Schema):
    documents: int
    documents_done: int
    documents_failed: int
    pages_done: int
    pages_known: int
    low_confidence: int
    finished: bool


class BoxOut(Schema):
    id: int
    page_id: int
    x0: float
    y0: float
    x1: float
    y1: float
    reason: str
    decision: str
    proposed_by_system: bool


class PageOut(Schema):
    id: int
    document_id: int
    number: int
    source: str
    confidence: float | None
    low_confidence: bool
    duplicate_of: int | None
    duplicates: list[int]
    text: str
    boxes: list[BoxOut]


class BoxDecisionIn(Schema):
    decision: str
    note: str = ""


class GeometryIn(Schema):
    x0: float
    y0: float
    x1: float
    y1: float
    note: str = ""


class DrawIn(GeometryIn):
    reason: str = "third_party"


class WordsIn(Schema):
    words: list[int]
    reason: str = "third_party"


def _box(b: PageBox) -> BoxOut:
    return BoxOut(
        id=b.pk,
        page_id=b.page_id,
        x0=b.x0,
        y0=b.y0,
        x1=b.x1,
        y1=b.y1,
        reason=b.reason,
        decision=b.decision,
        proposed_by_system=b.proposed_by_system,
    )


def _progress(p: Progress) -> ProgressOut:
    return ProgressOut(**{k: getattr(p, k) for k in ProgressOut.model_fields})


@router.get("/sar/{sar_id}/documents", response=ProgressOut)
def documents_progress(request: HttpRequest, sar_id: int) -> ProgressOut:
    return _progress(_call(lambda: reads.progress_for(actor(request), sar_id)))


@router.post("/sar/{sar_id}/documents/read", response={202: ProgressOut})
def read_documents(request: HttpRequest, sar_id: int) -> Status[ProgressOut]:
    """Queue the reading of the documents (the background worker runs it; resumable)."""
    return Status(202, _progress(_call(lambda: reads.start_reading(actor(request), sar_id))))


@router.get("/pages/{page_id}", response=PageOut)
def page(request: HttpRequest, page_id: int) -> PageOut:
    view = _call(lambda: reads.page_view(actor(request), page_id))
    p = view.page
    return PageOut(
        id=p.pk,
        document_id=p.document_id,
        number=p.number,
        source=p.source,
        confidence=p.confidence,
        low_confidence=p.low_confidence,
        duplicate_of=p.duplicate_of_id,
        duplicates=view.duplicates,
        text=p.text,
        boxes=[_box(b) for b in view.boxes],
    )


@router.get("/pages/{page_id}/image")
def page_image(request: HttpRequest, page_id: int) -> HttpResponse:
    content, media_type = _call(lambda: reads.page_image(actor(request), page_id))
    response = HttpResponse(content, content_type=media_type)
    response["Cache-Control"] = "no-store"
    return response


@router.post("/pages/{page_id}/boxes", response={201: BoxOut})
def draw_box(request: HttpRequest, page_id: int, payload: DrawIn) -> Status[BoxOut]:
    box = _call(lambda: services.draw_box(actor(request), page_id, **payload.dict()))
    return Status(201, _box(box))


@router.post("/pages/{page_id}/words", response={201: list[BoxOut]})
def box_words(request: HttpRequest, page_id: int, payload: WordsIn) -> Status[list[BoxOut]]:
    made = _call(
        lambda: services.box_words(actor(request), page_id, word_indexes=payload.words, reason=payload.reason)
    )
    return Status(201, [_box(b) for b in made])


@router.post("/pages/{page_id}/check", response=dict[str, int])
def check_page(request: HttpRequest, page_id: int) -> dict[str, int]:
    page = _call(lambda: services.check_page(actor(request), page_id))
    return {"page": page.pk}


@router.post("/pages/{page_id}/duplicates/decision", response=dict[str, int])
def decide_duplicates(request: HttpRequest, page_id: int) -> dict[str, int]:
    return {"duplicates": _call(lambda: services.decide_duplicates(actor(request), page_id))}


@router.post("/boxes/{box_id}/decision", response=BoxOut)
def decide_box(request: HttpRequest, box_id: int, payload: BoxDecisionIn) -> BoxOut:
    return _box(
        _call(
            lambda: services.decide_box(actor(request), box_id, decision=payload.decision, note=payload.note)
        )
    )


@router.post("/boxes/{box_id}/geometry", response=BoxOut)
def resize_box(request: HttpRequest, box_id: int, payload: GeometryIn) -> BoxOut:
    return _box(_call(lambda: services.resize_box(actor(request), box_id, **payload.dict())))


@router.post("/boxes/{box_id}/apply-to-all", response=dict[str, int])
def apply_to_all(request: HttpRequest, box_id: int, payload: BoxDecisionIn) -> dict[str, int]:
    return {
        "changed": _call(lambda: services.apply_to_all(actor(request), box_id, decision=payload.decision))
    }
