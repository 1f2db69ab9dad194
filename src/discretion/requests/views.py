"""Request pages: the request and its documents, the decision, referrals, checks, tasks and
closing, and the queue. Intake is in `intake_views`, choosing and releasing entries in
`release_views`. Thin: parse, call a service, render; POST-redirect-GET."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from discretion.errors import InvalidInput, NotFound, NotPermitted
from discretion.requests import documents as documents_
from discretion.requests import labels, services
from discretion.requests import record_access as record_access_
from discretion.requests.forms import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    DOCUMENT_LABELS,
    INFORMATION_LABELS,
    PURPOSE_LABELS,
    CloseForm,
    DocumentCheckForm,
    DocumentForm,
    RecordAccessAskForm,
    ReferralForm,
    TaskForm,
)
from discretion.requests.intake_views import may_log
from discretion.requests.models import InformOutcome, Request, State, TaskKind
from discretion.requests.urgency import is_urgent, urgent_reason
from discretion.staff.models import Staff
from discretion.web import pages


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = pages.actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except NotFound:
        return pages.not_found_page(request)
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
            except (InvalidInput, NotPermitted) as exc:
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
                f"{'Accepted' if d.accepted else 'Not accepted'} by {d.checked_by} "
                f"on {timezone.localtime(d.checked_at):%-d %b %Y}"
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
    tasks = list(req.tasks.select_related("done_by").order_by("done_at", "id"))
    return {
        "req": req,
        "decision": decision,
        "outcome_label": labels.OUTCOME_LABELS.get(req.outcome, "Not yet decided"),
        "urgent": is_urgent(req),
        "urgent_reason": urgent_reason(req),
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
        "information": [INFORMATION_LABELS.get(i, i) for i in req.facts.get("information", [])],
        "subjects": services.subject_refs(actor, req),
        "open_tasks": [(k, TaskKind(k).label) for k in services.open_tasks(req)],
        "checks": _checks_made(req, tasks),
        "informed": (informed := next((t for t in tasks if t.kind == TaskKind.INFORM_SUBJECT), None)),
        "informed_label": InformOutcome(informed.outcome).label
        if informed is not None and informed.outcome in InformOutcome.values
        else "",
        "can_decide": req.state == State.REFERRED
        and actor.pk not in services.handlers_of(req) | {req.requester_staff_id}
        and any(services.may_act_for(actor, req, r) for r in decision.get("route_to", [])),
        "is_handler": actor.pk == req.handler_id,
        "events": [
            {"event": e, "label": labels.event_label(e.action), "state": _state_change(e)}
            for e in services.history(req)
        ],
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


def _checks_made(req: Request, tasks: list[Any]) -> list[dict[str, Any]]:
    """How identity, entitlement and "in writing" were checked (the evidence an approver reads),
    each with who did it, when, how, and for a call back the number and where it came from."""
    done = {t.kind: t for t in tasks}
    asked = set(req.decision.get("conditions", [])) | set(req.decision.get("missing", []))
    rows = []
    for kind, fact in (
        (TaskKind.VERIFY_IDENTITY, "identity_verified"),
        (TaskKind.VERIFY_ENTITLEMENT, "entitlement_verified"),
        (TaskKind.REQUEST_IN_WRITING, "in_writing"),
    ):
        task = done.get(kind)
        if task is None and kind.value not in asked and fact not in asked:
            continue
        rows.append({"kind": kind.value, "label": kind.label, "task": task})
    return rows


def _state_change(event: Any) -> str:
    if event.from_state == event.to_state or not event.to_state:
        return ""
    names = dict(State.choices)
    before = names.get(event.from_state, "")
    after = names.get(event.to_state, event.to_state)
    return f"{before} to {after.lower()}" if before else after


def _may_check(actor: Staff, req: Request, doc: dict[str, Any]) -> bool:
    return (
        not actor.is_supervised
        and actor.role == doc["checker_role"]
        and actor.pk not in services.handlers_of(req) | {req.requester_staff_id}
    )


DONE_KEY = "request_done"
ERROR_KEY = "request_error"
ERROR_ANCHOR_KEY = "request_error_anchor"


@login_required
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    from discretion.notifications.services import mark_read_about

    actor = pages.actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except NotFound:
        return pages.not_found_page(request)
    mark_read_about(actor, "request", req.pk)
    context = _detail_context(actor, req)
    context["error"] = request.session.pop(ERROR_KEY, "")
    context["error_anchor"] = request.session.pop(ERROR_ANCHOR_KEY, "")
    context["done"] = request.session.pop(DONE_KEY, "")
    if request.GET.get("logged") and not context["done"]:
        context["done"] = f"Request {req.pk} is logged."
    return render(request, "requests/detail.html", context, status=400 if context["error"] else 200)


def first_error(form: forms.Form) -> str:
    return str(next(iter(form.errors.values()))[0])


def _back_with_error(request: HttpRequest, request_id: int, error: str, anchor: str = "") -> HttpResponse:
    request.session[ERROR_KEY] = error
    request.session[ERROR_ANCHOR_KEY] = anchor
    return HttpResponseRedirect(reverse("requests:detail", args=[request_id]))


def _detail_action(
    request: HttpRequest,
    request_id: int,
    form: forms.Form,
    act: Callable[[Staff, dict[str, Any]], object],
    *,
    anchor: str = "",
    done: str = "",
) -> HttpResponse:
    """A form posted from the detail page: call the service, then back to the page, with the
    first error (kept in the session for one showing, linking to the form at fault) when the input
    or the action is refused, or a line saying it is done."""
    if not form.is_valid():
        return _back_with_error(request, request_id, first_error(form), anchor)
    try:
        act(pages.actor(request), form.cleaned_data)
    except NotFound:
        return pages.not_found_page(request)
    except (InvalidInput, NotPermitted) as exc:
        return _back_with_error(request, request_id, str(exc), anchor)
    if done:
        request.session[DONE_KEY] = done
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
        anchor="approve-yes",
        done="Your decision is recorded. The member of staff handling the request has been told.",
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
        anchor=f"accept-yes-{request.POST.get('document', '')}",
        done="Your check of the document is recorded.",
    )


@login_required
@require_POST
def ask_record_access(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail_action(
        request,
        request_id,
        RecordAccessAskForm(request.POST),
        lambda actor, data: services.ask_for_record_access(actor, request_id, reason=data["reason"]),
        anchor="id_access_reason",
        done="You have asked. You will be told when someone has decided.",
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
        anchor="access-yes",
        done="Your decision is recorded. The member of staff handling the request has been told.",
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
            reason=data["reason"],
        ),
        anchor=f"note-{request.POST.get('kind', '')}",
        done="The task is recorded.",
    )


@login_required
@require_POST
def close(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail_action(
        request,
        request_id,
        CloseForm(request.POST),
        lambda actor, data: services.close_request(actor, request_id, note=data["note"]),
        anchor="id_note",
        done="The request is closed.",
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    actor = pages.actor(request)
    documents, asking = services.checks_for(actor)
    return render(
        request,
        "requests/queue.html",
        {
            "to_decide": [_row(r) for r in services.queue_for(actor)],
            "mine": [_row(r) for r in services.my_requests(actor)],
            "documents": documents,
            "asking": [_row(r) for r in asking],
            "may_log": may_log(actor),
        },
    )


def _row(req: Request) -> dict[str, Any]:
    """A request as a line in a queue: its number, who asked (by kind), why, its state, urgency."""
    return {
        "req": req,
        "category": CATEGORY_LABELS.get(req.category, req.category),
        "purpose": PURPOSE_LABELS.get(str(req.facts.get("purpose", "")), ""),
        "routes": labels.route_labels(req.decision.get("route_to", [])),
        "urgent": urgent_reason(req),
    }
