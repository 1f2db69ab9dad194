"""Release pages: the handler picks the entries (each with its reason), tells the child where
possible, and releases them by secure link or post (policy 2.2-2.4). Thin: parse, call a service,
render; POST-redirect-GET."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from discretion import keyed
from discretion.errors import AccessDenied, InvalidInput, NotFound, NotPermitted
from discretion.requests import labels, services
from discretion.requests.forms import (
    ReleaseForm,
    TaskForm,
)
from discretion.requests.models import InformOutcome, Request, TaskKind
from discretion.requests.urgency import is_urgent, urgent_reason
from discretion.requests.views import first_error
from discretion.staff.models import Staff
from discretion.web import pages


@login_required
@require_http_methods(["GET", "POST"])
def entries(request: HttpRequest, request_id: int) -> HttpResponse:
    """Choose what to release and send it, on one page: the entries with why each is needed,
    telling the child (policy 2.3) where that is still to do, and how it goes. A form without
    `send` only saves the choice and goes on to the release page."""
    actor = pages.actor(request)
    release_form = ReleaseForm(request.POST if request.POST.get("send") else None)
    task_form = TaskForm(request.POST if request.POST.get("send") else None)
    error, anchor = "", ""
    try:
        req = services.get_request_for(actor, request_id)
        if not release_form.is_bound:
            # A release goes only to the contact recorded (and checked) with the request.
            release_form = ReleaseForm(initial={"address": req.requester_contact})
        inform_open = TaskKind.INFORM_SUBJECT.value in services.open_tasks(req)
        if request.method == "POST":
            picks = {}
            for value in request.POST.getlist("entry"):
                if value.isdigit():
                    picks[int(value)] = request.POST.get(f"reason_{value}", "")
            sending = bool(request.POST.get("send"))
            if sending and not release_form.is_valid():
                error, anchor = first_error(release_form), _release_anchor(release_form)
            else:
                try:
                    services.select_entries(actor, req.pk, picks)
                except InvalidInput as exc:
                    error, anchor = str(exc), _entry_anchor(str(exc), picks)
            if not error and not sending:
                return HttpResponseRedirect(reverse("requests:release", args=[req.pk]))
            if not error and inform_open:
                error, anchor = _tell_the_child(actor, req, request.POST)
            if not error:
                released = _release(request, actor, req, release_form)
                if isinstance(released, HttpResponse):
                    return released
                error, anchor = released
        req.refresh_from_db()
        candidates = services.candidates_for(actor, req)
        inform_open = TaskKind.INFORM_SUBJECT.value in services.open_tasks(req)
    except NotFound:
        return pages.not_found_page(request)
    except AccessDenied as exc:
        return pages.error_page(request, exc)
    except NotPermitted as exc:
        return pages.refused_page(request, str(exc))
    if request.method == "POST":
        chosen = {
            int(v): request.POST.get(f"reason_{v}", "") for v in request.POST.getlist("entry") if v.isdigit()
        }
    else:
        chosen = dict(req.selections.values_list("entry_id", "reason"))
    unmet = [c for c in services.unmet_conditions(req) if c != "inform_subject"]
    return render(
        request,
        "requests/entries.html",
        {
            "req": req,
            "candidates": candidates,
            "error": error,
            "error_anchor": anchor,
            "chosen": chosen,
            "release_form": release_form,
            "task_form": task_form,
            "inform_open": inform_open,
            "inform_outcomes": InformOutcome.choices,
            "unmet": labels.condition_labels(unmet),
            "urgent": is_urgent(req),
            "urgent_reason": urgent_reason(req),
        },
        status=400 if error else 200,
    )


def _release_anchor(form: forms.Form) -> str:
    name = next(iter(form.errors))
    return "channel-secure_link" if name == "channel" else f"id_{name}"


def _entry_anchor(message: str, picks: dict[int, str]) -> str:
    for entry_id in picks:
        if f"entry {entry_id}" in message:
            return f"reason-{entry_id}"
    return "entries"


def _tell_the_child(actor: Staff, req: Request, data: Any) -> tuple[str, str]:
    """Record whether the child was told (policy 2.3) as part of the release; an error and where."""
    try:
        services.complete_task(
            actor,
            req.pk,
            TaskKind.INFORM_SUBJECT,
            note=data.get("inform_note", ""),
            outcome=data.get("outcome", ""),
            reason=data.get("inform_reason", ""),
        )
    except InvalidInput as exc:
        anchor = (
            "inform-told"
            if "Select" in str(exc)
            else "id_inform_reason"
            if "why" in str(exc)
            else "id_inform_note"
        )
        return str(exc), anchor
    return "", ""


def _release(
    request: HttpRequest, actor: Staff, req: Request, form: ReleaseForm
) -> HttpResponse | tuple[str, str]:
    try:
        result = services.release_request(
            actor, req.pk, channel=form.cleaned_data["channel"], address=form.cleaned_data["address"]
        )
    except AccessDenied as exc:
        return pages.error_page(request, exc)
    except (InvalidInput, NotPermitted) as exc:
        return str(exc), "id_address" if "address" in str(exc) else "channel-secure_link"
    request.session[RELEASED_KEY] = keyed.seal(
        {"id": req.pk, "token": result.link_token, "code": result.link_code}
    )
    return HttpResponseRedirect(reverse("requests:released", args=[req.pk]))


RELEASED_KEY = "request_released"


@login_required
@require_http_methods(["GET", "POST"])
def release(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = pages.actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except NotFound:
        return pages.not_found_page(request)
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = services.release_request(
                actor, req.pk, channel=form.cleaned_data["channel"], address=form.cleaned_data["address"]
            )
        except AccessDenied as exc:
            return pages.error_page(request, exc)
        except (InvalidInput, NotPermitted) as exc:
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
    actor = pages.actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except NotFound:
        return pages.not_found_page(request)
    shown = keyed.unseal(request.session.pop(RELEASED_KEY, None))
    once = shown if isinstance(shown, dict) and shown.get("id") == req.pk else None
    link = (
        request.build_absolute_uri(reverse("disclosures:download", args=[once["token"]]))
        if once and once.get("token")
        else ""
    )
    return render(request, "requests/released.html", {"req": req, "once": once, "link": link})
