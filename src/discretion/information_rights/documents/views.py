"""Pages for the review of documents: the queue (with progress while the documents are read), a
page with its boxes (drawn over the image with JavaScript, or by coordinates or a list of words
without it), and the page image (personal data: no-store). Thin: each POST calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from discretion import access
from discretion.information_rights.documents import reads, services
from discretion.information_rights.models import Reason
from discretion.staff.models import Staff

REFUSALS = (access.NotFound, access.NotPermitted, access.AccessDenied, access.PolicyNotAcknowledged)


def _actor(request: HttpRequest) -> Staff:
    assert isinstance(request.user, Staff)
    return request.user


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "web/not_found.html", status=404)


class DrawForm(forms.Form):
    """A box by its edges, in per cent of the page (what the JavaScript fills in as you draw)."""

    left = forms.FloatField(min_value=0, max_value=100, error_messages={"required": "Enter the left edge"})
    top = forms.FloatField(min_value=0, max_value=100, error_messages={"required": "Enter the top edge"})
    right = forms.FloatField(min_value=0, max_value=100, error_messages={"required": "Enter the right edge"})
    bottom = forms.FloatField(
        min_value=0, max_value=100, error_messages={"required": "Enter the bottom edge"}
    )
    reason = forms.ChoiceField(choices=Reason.choices, initial=Reason.THIRD_PARTY, required=False)


class WordsForm(forms.Form):
    words = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], error_messages={"required": "Select the words to redact"}
    )
    reason = forms.ChoiceField(choices=Reason.choices, initial=Reason.THIRD_PARTY, required=False)

    def __init__(self, *args: Any, count: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["words"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(i, str(i)) for i in range(count)]


def _errors(form: forms.Form) -> str:
    return "; ".join(str(m) for errors in form.errors.values() for m in errors)


def _documents(request: HttpRequest, pk: int, *, error: str = "", status: int = 200) -> HttpResponse:
    try:
        sar, rows = reads.document_queue(_actor(request), pk)
        progress = reads.progress_for(_actor(request), pk)
    except REFUSALS:
        return _not_found(request)
    return render(
        request,
        "information_rights/sar_documents.html",
        {
            "sar": sar,
            "rows": rows,
            "progress": progress,
            "reading": rows and not progress.finished,
            "error": error,
        },
        status=status,
    )


@login_required
def documents_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _documents(request, pk)


@login_required
@require_POST
def start_reading(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        reads.start_reading(_actor(request), pk)
    except REFUSALS:
        return _not_found(request)
    except services.InvalidInput as exc:
        return _documents(request, pk, error=str(exc), status=400)
    return HttpResponseRedirect(reverse("information_rights:sar-documents", args=[pk]))


def _page(
    request: HttpRequest, page_id: int, *, error: str = "", status: int = 200, draw: forms.Form | None = None
) -> HttpResponse:
    try:
        view = reads.page_view(_actor(request), page_id)
    except REFUSALS:
        return _not_found(request)
    page = view.page
    words = [{"index": i, "text": w[4]} for i, w in enumerate(page.words)]
    return render(
        request,
        "information_rights/sar_page.html",
        {
            "view": view,
            "page": page,
            "document": page.document,
            "boxes": [
                {
                    "box": b,
                    "left": b.x0 * 100,
                    "top": b.y0 * 100,
                    "width": (b.x1 - b.x0) * 100,
                    "height": (b.y1 - b.y0) * 100,
                }
                for b in view.boxes
            ],
            "words": words,
            "draw": draw or DrawForm(initial={"reason": Reason.THIRD_PARTY}),
            "reasons": Reason.choices,
            "error": error,
        },
        status=status,
    )


@login_required
def page_detail(request: HttpRequest, page_id: int) -> HttpResponse:
    return _page(request, page_id)


@login_required
def page_image(request: HttpRequest, page_id: int) -> HttpResponse:
    try:
        content, media_type = reads.page_image(_actor(request), page_id)
    except REFUSALS:
        return _not_found(request)
    response = HttpResponse(content, content_type=media_type)
    response["Cache-Control"] = "no-store"  # personal data: never kept by a browser or proxy
    return response


def _run(
    request: HttpRequest, page_id: int, call: Callable[[Staff], object], draw: forms.Form | None = None
) -> HttpResponse:
    try:
        call(_actor(request))
    except REFUSALS:
        return _not_found(request)
    except services.InvalidInput as exc:
        return _page(request, page_id, error=str(exc), status=400, draw=draw)
    return HttpResponseRedirect(reverse("information_rights:sar-page", args=[page_id]))


@login_required
@require_POST
def page_action(request: HttpRequest, page_id: int, action: str) -> HttpResponse:
    if action == "draw":
        form = DrawForm(request.POST)
        if not form.is_valid():
            return _page(request, page_id, error=_errors(form), status=400, draw=form)
        d = form.cleaned_data
        return _run(
            request,
            page_id,
            lambda a: services.draw_box(
                a,
                page_id,
                x0=d["left"] / 100,
                y0=d["top"] / 100,
                x1=d["right"] / 100,
                y1=d["bottom"] / 100,
                reason=d["reason"] or Reason.THIRD_PARTY,
            ),
            draw=form,
        )
    if action == "words":
        chosen = WordsForm(request.POST, count=10_000)
        if not chosen.is_valid():
            return _page(request, page_id, error=_errors(chosen), status=400)
        d = chosen.cleaned_data
        return _run(
            request,
            page_id,
            lambda a: services.box_words(
                a, page_id, word_indexes=d["words"], reason=d["reason"] or Reason.THIRD_PARTY
            ),
        )
    if action == "check":
        return _run(request, page_id, lambda a: services.check_page(a, page_id))
    if action == "duplicates":
        return _run(request, page_id, lambda a: services.decide_duplicates(a, page_id))
    return _not_found(request)


@login_required
@require_POST
def box_action(request: HttpRequest, box_id: int, action: str) -> HttpResponse:
    page_id = int(request.POST.get("page", "0") or 0)
    decision = request.POST.get("decision", "")
    if action == "decide":
        return _run(request, page_id, lambda a: services.decide_box(a, box_id, decision=decision))
    if action == "apply-to-all":
        return _run(request, page_id, lambda a: services.apply_to_all(a, box_id, decision=decision))
    if action == "resize":
        form = DrawForm(request.POST)
        if not form.is_valid():
            return _page(request, page_id, error=_errors(form), status=400)
        d = form.cleaned_data
        return _run(
            request,
            page_id,
            lambda a: services.resize_box(
                a, box_id, x0=d["left"] / 100, y0=d["top"] / 100, x1=d["right"] / 100, y1=d["bottom"] / 100
            ),
        )
    return _not_found(request)
