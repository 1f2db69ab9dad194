"""Request pages: intake one question per page, the decision, queues, tasks, approvals,
minimisation and release. Thin: parse, call a service, render; POST-redirect-GET."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from discretion import access, keyed
from discretion.requests import documents as documents_
from discretion.requests import labels, services
from discretion.requests import record_access as record_access_
from discretion.requests.forms import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    DOCUMENT_LABELS,
    PURPOSE_LABELS,
    CloseForm,
    DocumentCheckForm,
    DocumentForm,
    HowForm,
    RecordAccessAskForm,
    ReferralForm,
    ReleaseForm,
    TaskForm,
    WhatForm,
    WhoForm,
    WhomForm,
    WhyForm,
)
from discretion.requests.models import InformOutcome, Request, State, TaskKind
from discretion.staff.models import Role, Staff
from discretion.web.views import not_found, refused

SESSION_KEY = "request_intake"
STEPS = ("who", "how", "whom", "what", "why")
TITLES = {
    "who": "Who is asking?",
    "how": "How did the request arrive?",
    "whom": "Who is the request about?",
    "what": "What are they asking for?",
    "why": "Why do they want it?",
}
FORMS: dict[str, type[forms.Form]] = {
    "who": WhoForm,
    "how": HowForm,
    "whom": WhomForm,
    "what": WhatForm,
    "why": WhyForm,
}


def _actor(request: HttpRequest) -> Staff:
    user = request.user
    assert isinstance(user, Staff)
    return user


def _draft(request: HttpRequest) -> dict[str, Any]:
    draft = request.session.get(SESSION_KEY)
    return draft if isinstance(draft, dict) else {}


def _save_draft(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = draft


def _is_media(draft: dict[str, Any]) -> bool:
    return bool(draft.get("who", {}).get("category") == "media")


def _next_step(step: str, draft: dict[str, Any]) -> str | None:
    if step == "how" and _is_media(draft):
        return None  # policy 1.5: a media enquiry is a press-office referral and nothing else
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/refused.html", {"message": message, "can_break_glass": False}, status=403)


def _may_log(actor: Staff) -> bool:
    return actor.role != Role.PRESS and not actor.is_supervised


@login_required
def start(request: HttpRequest) -> HttpResponse:
    if not _may_log(_actor(request)):
        return _forbidden(request, "Your role cannot log requests for information.")
    _save_draft(request, {})
    return HttpResponseRedirect(reverse("requests:step", args=["who"]))


def _create(request: HttpRequest, draft: dict[str, Any]) -> HttpResponse:
    who = draft.get("who", {})
    try:
        req = services.log_request(
            _actor(request),
            requester=services.Requester(
                name=who.get("name", ""),
                category=who.get("category", ""),
                organisation=who.get("organisation", ""),
                role=who.get("role", ""),
                contact=who.get("contact", ""),
                works_with_child=bool(who.get("works_with_child")),
                colleague=who.get("colleague", ""),
            ),
            channel=draft.get("how", {}).get("channel", ""),
            person_ids=draft.get("whom", {}).get("people", []),
            information=draft.get("what", {}).get("information", []),
            summary=draft.get("what", {}).get("summary", ""),
            purpose=draft.get("why", {}).get("purpose", "other"),
            claims_legal_right=bool(draft.get("why", {}).get("claims_legal_right")),
            in_doubt=bool(draft.get("why", {}).get("in_doubt")),
        )
    except access.AccessDenied as exc:
        return refused(request, exc)
    except access.NotPermitted as exc:
        return _forbidden(request, str(exc))
    except services.InvalidInput as exc:
        if "colleague" in str(exc):
            return _back_to_who(request, draft, str(exc))
        return HttpResponseRedirect(reverse("requests:step", args=["whom"]))
    except access.NotFound:
        # A person chosen earlier no longer exists, or an answer is no longer valid: start the
        # "who is it about" step again rather than fail.
        return HttpResponseRedirect(reverse("requests:step", args=["whom"]))
    _save_draft(request, {})
    if req.category == "media":
        return HttpResponseRedirect(reverse("requests:detail", args=[req.pk]))
    return HttpResponseRedirect(reverse("requests:documents", args=[req.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, name: str) -> HttpResponse:
    if name not in STEPS:
        return not_found(request)
    if not _may_log(_actor(request)):
        return _forbidden(request, "Your role cannot log requests for information.")
    draft = _draft(request)
    if name != "who" and "who" not in draft:
        return HttpResponseRedirect(reverse("requests:step", args=["who"]))
    if name == "whom":
        return _whom(request, draft)
    form_class = FORMS[name]
    form = form_class(request.POST if request.method == "POST" else None, initial=draft.get(name, {}))
    if request.method == "POST" and form.is_valid():
        draft[name] = form.cleaned_data
        _save_draft(request, draft)
        following = _next_step(name, draft)
        if following is None:
            return _create(request, draft)
        return HttpResponseRedirect(reverse("requests:step", args=[following]))
    return render(
        request,
        "requests/question.html",
        {"form": form, "title": TITLES[name], "step": name, "back": _back(name)},
        status=400 if form.errors else 200,
    )


def _back_to_who(request: HttpRequest, draft: dict[str, Any], error: str) -> HttpResponse:
    form = WhoForm(data=draft.get("who", {}))
    form.is_valid()
    form.add_error("colleague", error)
    return render(
        request,
        "requests/question.html",
        {"form": form, "title": TITLES["who"], "step": "who", "back": _back("who")},
        status=400,
    )


def _back(name: str) -> str:
    index = STEPS.index(name)
    return reverse("requests:step", args=[STEPS[index - 1]]) if index else reverse("requests:queue")


def _whom(request: HttpRequest, draft: dict[str, Any]) -> HttpResponse:
    actor = _actor(request)
    error = ""
    if request.method == "POST":
        if "none" in request.POST:
            draft["whom"] = {"people": []}
        else:
            try:
                ids = sorted({int(v) for v in request.POST.getlist("person")})
            except ValueError:
                ids = []
            if not ids:
                error = "Select the child or young person the request is about"
            draft["whom"] = {"people": ids}
        if not error:
            _save_draft(request, draft)
            return HttpResponseRedirect(reverse("requests:step", args=["what"]))
    form = WhomForm(request.GET or None)
    results = None
    if request.GET.get("q") and form.is_valid():
        results = access.search_people(actor, form.cleaned_data["q"])
    return render(
        request,
        "requests/whom.html",
        {
            "form": form,
            "results": results,
            "error": error,
            "title": TITLES["whom"],
            "back": _back("whom"),
            "chosen": draft.get("whom", {}).get("people", []),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except access.NotFound:
        return not_found(request)
    form = DocumentForm()
    status = 200
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                documents_.add_document(
                    actor,
                    req.pk,
                    form.cleaned_data["code"],
                    upload,
                    name=upload.name,
                    content_type=upload.detected_content_type,
                    size=upload.size,
                )
                return HttpResponseRedirect(reverse("requests:documents", args=[req.pk]))
            except (services.InvalidInput, services.NotPermitted) as exc:
                form.add_error("file", str(exc))
        status = 400
    docs = _documents(req)
    return render(request, "requests/documents.html", {"req": req, "form": form, "docs": docs}, status=status)


def _documents(req: Request) -> list[dict[str, Any]]:
    rows = []
    for d in req.documents.select_related("checked_by").order_by("uploaded_at", "id"):
        if d.checked_at is None:
            checker = labels.DOCUMENT_CHECKERS.get(d.code, labels.DEFAULT_DOCUMENT_CHECKER)
            status = f"Waiting for {checker} to check it"
        else:
            status = (
                f"{'Accepted' if d.accepted else 'Not accepted'} by {d.checked_by} on {d.checked_at:%d %b %Y}"
            )
        rows.append(
            {
                "id": d.pk,
                "code": d.code,
                "label": DOCUMENT_LABELS.get(d.code, d.code),
                "name": d.original_name,
                "at": d.uploaded_at,
                "status": status,
                "waiting": d.checked_at is None,
                "note": d.check_note,
                "checker_role": documents_.checker_role(d.code),
                "uploaded_by_id": d.uploaded_by_id,
            }
        )
    return rows


def _detail_context(actor: Staff, req: Request) -> dict[str, Any]:
    decision = req.decision
    unmet = services.unmet_conditions(req) if req.outcome != "refuse" else []
    return {
        "req": req,
        "decision": decision,
        "routes": [
            {"code": code, "label": labels.route_label(code)} for code in decision.get("route_to", [])
        ],
        "missing": labels.missing_labels(decision.get("missing", [])),
        "conditions": [
            {"code": code, "label": labels.condition_label(code), "unmet": code in unmet}
            for code in decision.get("conditions", [])
        ],
        "category": CATEGORY_LABELS.get(req.category, req.category),
        "channel": CHANNEL_LABELS.get(str(req.facts.get("channel")), "Not stated"),
        "purpose": PURPOSE_LABELS.get(str(req.facts.get("purpose")), ""),
        "subjects": services.subject_refs(actor, req),
        "open_tasks": [(k, TaskKind(k).label) for k in services.open_tasks(req)],
        "done_tasks": list(req.tasks.select_related("done_by")),
        "can_decide": req.state == State.REFERRED
        and any(services._may_act_for(actor, req, r) for r in decision.get("route_to", [])),
        "is_handler": actor.pk == req.handler_id,
        "events": services.history(req),
        "decisions": list(req.decisions.all()),
        "approvals": list(req.approvals.select_related("decided_by")),
        "inform_outcomes": InformOutcome.choices,
        "is_phone": req.facts.get("channel") == "phone",
        "documents": [dict(d, can_check=d["waiting"] and _may_check(actor, req, d)) for d in _documents(req)],
        "record_access": record_access_.status_of(req).value
        if req.state in (State.APPROVED, State.PREPARING)
        else "",
        "may_agree_access": record_access_.may_agree(actor, req),
    }


def _may_check(actor: Staff, req: Request, doc: dict[str, Any]) -> bool:
    return (
        not actor.is_supervised
        and actor.role == doc["checker_role"]
        and actor.pk not in {doc["uploaded_by_id"], req.handler_id, req.requester_staff_id}
    )


@login_required
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except access.NotFound:
        return not_found(request)
    context = _detail_context(actor, req)
    context["error"] = request.session.pop("request_error", "")
    return render(request, "requests/detail.html", context, status=400 if context["error"] else 200)


def _first_error(form: forms.Form) -> str:
    return str(next(iter(form.errors.values()))[0])


def _back_with_error(request: HttpRequest, request_id: int, error: str) -> HttpResponse:
    request.session["request_error"] = error
    return HttpResponseRedirect(reverse("requests:detail", args=[request_id]))


def _detail_action(
    request: HttpRequest,
    request_id: int,
    form: forms.Form,
    act: Callable[[Staff, dict[str, Any]], object],
) -> HttpResponse:
    """A form posted from the detail page: call the service, then back to the page, with the
    first error (kept in the session for one showing) when the input or the action is refused."""
    if not form.is_valid():
        return _back_with_error(request, request_id, _first_error(form))
    try:
        act(_actor(request), form.cleaned_data)
    except access.NotFound:
        return not_found(request)
    except (services.InvalidInput, access.NotPermitted) as exc:
        return _back_with_error(request, request_id, str(exc))
    return HttpResponseRedirect(reverse("requests:detail", args=[request_id]))


@login_required
@require_POST
def referral(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail_action(
        request,
        request_id,
        ReferralForm(request.POST),
        lambda actor, data: services.decide_referral(
            actor, request_id, approve=data["approve"] == "yes", reasoning=data["reasoning"]
        ),
    )


@login_required
@require_POST
def check_document(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail_action(
        request,
        request_id,
        DocumentCheckForm(request.POST),
        lambda actor, data: documents_.check_document(
            actor, request_id, data["document"], accept=data["accept"] == "yes", note=data["note"]
        ),
    )


@login_required
@require_POST
def ask_record_access(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail_action(
        request,
        request_id,
        RecordAccessAskForm(request.POST),
        lambda actor, data: services.ask_for_record_access(actor, request_id, reason=data["reason"]),
    )


@login_required
@require_POST
def decide_record_access(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail_action(
        request,
        request_id,
        ReferralForm(request.POST),
        lambda actor, data: services.decide_record_access(
            actor, request_id, approve=data["approve"] == "yes", reasoning=data["reasoning"]
        ),
    )


@login_required
@require_POST
def task(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail_action(
        request,
        request_id,
        TaskForm(request.POST),
        lambda actor, data: services.complete_task(
            actor,
            request_id,
            data["kind"],
            note=data["note"],
            callback_number=data["callback_number"],
            number_source=data["number_source"],
            outcome=data["outcome"] or "",
        ),
    )


@login_required
@require_POST
def close(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail_action(
        request,
        request_id,
        CloseForm(request.POST),
        lambda actor, data: services.close_request(actor, request_id, note=data["note"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entries(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        req = services.get_request_for(actor, request_id)
        error = ""
        if request.method == "POST":
            picks = {}
            for value in request.POST.getlist("entry"):
                if value.isdigit():
                    picks[int(value)] = request.POST.get(f"reason_{value}", "")
            try:
                services.select_entries(actor, req.pk, picks)
                return HttpResponseRedirect(reverse("requests:release", args=[req.pk]))
            except services.InvalidInput as exc:
                error = str(exc)
        candidates = services.candidates_for(actor, req)
    except access.NotFound:
        return not_found(request)
    except access.AccessDenied as exc:
        return refused(request, exc)
    except access.NotPermitted as exc:
        return _forbidden(request, str(exc))
    chosen = dict(req.selections.values_list("entry_id", "reason"))
    return render(
        request,
        "requests/entries.html",
        {"req": req, "candidates": candidates, "error": error, "chosen": chosen},
        status=400 if error else 200,
    )


RELEASED_KEY = "request_released"


@login_required
@require_http_methods(["GET", "POST"])
def release(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except access.NotFound:
        return not_found(request)
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = services.release_request(
                actor, req.pk, channel=form.cleaned_data["channel"], address=form.cleaned_data["address"]
            )
        except access.AccessDenied as exc:
            return refused(request, exc)
        except (services.InvalidInput, access.NotPermitted) as exc:
            error = str(exc)
        else:
            # Shown once on the next page, then gone (the link's code is stored only as a keyed
            # digest); sealed meanwhile, so the session table never holds it readable.
            request.session[RELEASED_KEY] = keyed.seal(
                {"id": req.pk, "token": result.link_token, "code": result.link_code}
            )
            return HttpResponseRedirect(reverse("requests:released", args=[req.pk]))
    return render(
        request,
        "requests/release.html",
        {
            "req": req,
            "form": form,
            "error": error,
            # A count only: the entries themselves are read through access when released.
            "selected": req.selections.count(),
            "unmet": labels.condition_labels(services.unmet_conditions(req)),
        },
        status=400 if (error or form.errors) else 200,
    )


@login_required
def released(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except access.NotFound:
        return not_found(request)
    shown = keyed.unseal(request.session.pop(RELEASED_KEY, None))
    once = shown if isinstance(shown, dict) and shown.get("id") == req.pk else None
    link = (
        request.build_absolute_uri(reverse("disclosures:download", args=[once["token"]]))
        if once and once.get("token")
        else ""
    )
    return render(request, "requests/released.html", {"req": req, "once": once, "link": link})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "requests/queue.html",
        {
            "to_decide": [
                (
                    r,
                    CATEGORY_LABELS.get(r.category, r.category),
                    labels.route_labels(r.decision.get("route_to", [])),
                )
                for r in services.queue_for(actor)
            ],
            "mine": services.my_requests(actor),
            "checks": services.checks_for(actor),
        },
    )
