"""Disclosure register pages (IGO and team managers), "who has this child's information been
shared with", and the public secure-download page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from discretion import access
from discretion.disclosures import files, letters, sent, services
from discretion.disclosures.models import Disclosure, OutboxMessage
from discretion.information_rights.dates import GovUKDateField, GovUKDateInput
from discretion.staff.models import Staff
from discretion.web.views import not_found, refused


class RegisterDateInput(GovUKDateInput):
    """Day, month and year boxes; a saved link with one ISO date (`released_from=2026-03-27`) still works."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if any(f"{name}_{part}" in data for part in ("day", "month", "year")) or name not in data:
            return super().value_from_datadict(data, files, name)
        text = str(data.get(name) or "").strip()
        if not text:
            return ["", "", ""]
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return [text, "?", "?"]  # not a date: the field says so
        return [str(day.day), str(day.month), str(day.year)]


class RegisterForm(forms.Form):
    person = forms.CharField(label="Person reference", max_length=16, required=False)
    recipient = forms.CharField(label="Recipient or organisation", max_length=200, required=False)
    released_from = GovUKDateField(label="Released from", required=False, widget=RegisterDateInput)
    released_to = GovUKDateField(label="Released to", required=False, widget=RegisterDateInput)
    basis = forms.CharField(label="Basis (policy rule, paragraph or purpose)", max_length=100, required=False)

    def query(self) -> services.RegisterQuery:
        data = self.cleaned_data
        return services.RegisterQuery(
            person_ref=data["person"],
            recipient=data["recipient"],
            released_from=data["released_from"],
            released_to=data["released_to"],
            basis=data["basis"],
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=12, error_messages={"required": "Enter the code we sent you"}
    )


def _actor(request: HttpRequest) -> Staff:
    user = request.user
    assert isinstance(user, Staff)
    return user


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/refused.html", {"message": message, "can_break_glass": False}, status=403)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.GET or None)
    rows: list[Disclosure] = []
    if form.is_bound and form.is_valid() and request.GET.get("format") == "csv":
        try:
            text = services.export_register(_actor(request), form.query())
        except access.NotPermitted as exc:
            return _forbidden(request, str(exc))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="disclosure-register-{timezone.localdate()}.csv"'
        )
        response["Cache-Control"] = "no-store"
        return response
    if not form.is_bound or form.is_valid():
        query = form.query() if form.is_bound else services.RegisterQuery()
        try:
            rows = services.read_register(_actor(request), query)
        except access.NotPermitted as exc:
            return _forbidden(request, str(exc))
    elif not services.can_read_register(_actor(request)):
        return _forbidden(
            request, "Only information governance officers and team managers can read the register."
        )
    return render(
        request, "disclosures/register.html", {"form": form, "rows": rows}, status=400 if form.errors else 200
    )


@login_required
def shared_with(request: HttpRequest, ref: str) -> HttpResponse:
    """Who has this child's information been shared with: anyone who may open the person."""
    try:
        person, rows = services.shared_with(_actor(request), ref)
    except access.NotFound:
        return not_found(request)
    except access.AccessDenied as exc:
        return refused(request, exc)
    except access.NotPermitted as exc:
        return _forbidden(request, str(exc))
    return render(request, "disclosures/shared_with.html", {"person": person, "rows": rows})


@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the recipient sees who sent the link and until when it works, and enters the code
    sent separately; every attempt is audited."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    error = ""
    status = 200
    about = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.redeem_link(token, form.cleaned_data["code"])
        except services.LinkRefused as exc:
            error = str(exc)
            status = 429 if isinstance(exc, services.LinkThrottled) else 400
        else:
            return files.attachment(result.content, result.name, result.content_type)
    elif request.method == "GET":
        about = sent.for_recipient(token)
        if about is None:
            error, status = services.NOT_VALID, 404
    response = render(
        request,
        "disclosures/download.html",
        {"form": form, "error": error, "about": about, "error_anchor": "id_code"},
        status=status if error else (400 if form.errors else 200),
    )
    # The page's address holds the link's token: never sent on as a referrer, never cached.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the print queue ------------------------------------------------------------------


class PostedForm(forms.Form):
    posted_on = GovUKDateField(label="Date posted")
    reference = forms.CharField(
        label="Tracking or recorded delivery number (optional)",
        max_length=40,
        required=False,
        error_messages={"max_length": "Tracking number must be 40 characters or fewer"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )


def letter_download(message: OutboxMessage) -> HttpResponse:
    """A letter to print, served with the type recorded when it was released."""
    return files.attachment(
        bytes(message.payload), message.payload_name or f"letter-{message.pk}", message.payload_type
    )


@login_required
def print_queue(request: HttpRequest) -> HttpResponse:
    """Letters released by post waiting to be printed and posted."""
    try:
        letters = services.print_queue(_actor(request))
    except access.NotPermitted as exc:
        return _forbidden(request, str(exc))
    return render(
        request, "disclosures/print_queue.html", {"letters": letters, "posted": request.GET.get("posted", "")}
    )


@login_required
def print_letter(request: HttpRequest, message_id: int) -> HttpResponse:
    """The released content, to print: read through the access module and audited."""
    try:
        message = letters.open_letter_for(_actor(request), message_id)
    except access.NotFound:
        return not_found(request)
    return letter_download(message)


@login_required
@require_http_methods(["GET", "POST"])
def letter_posted(request: HttpRequest, message_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        letter = next((m for m in services.print_queue(actor) if m.pk == message_id), None)
    except access.NotPermitted:
        letter = None  # the same answer as for a letter that does not exist
    if letter is None:
        return not_found(request)
    form = PostedForm(request.POST or None, initial={"posted_on": timezone.localdate()})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_posted(
                actor,
                message_id,
                posted_on=form.cleaned_data["posted_on"],
                reference=form.cleaned_data["reference"],
            )
        except services.InvalidInput as exc:
            error = str(exc)
            form.add_error("posted_on", error)
        except access.NotFound:
            return not_found(request)
        else:
            return HttpResponseRedirect(
                reverse("disclosures:print-queue") + f"?posted={letter.disclosure_id}"
            )
    return render(
        request,
        "disclosures/letter_posted.html",
        {"form": form, "letter": letter},
        status=400 if form.errors else 200,
    )


# --- secure links sent -------------------------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why are you revoking it?",
        help_text="For example: sent to the wrong address, or no longer needed.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are revoking the link"},
    )


@login_required
def links(request: HttpRequest) -> HttpResponse:
    """The secure links the member of staff sent (an IGO: every one), with where each has got to."""
    try:
        rows = sent.links_sent(_actor(request))
    except access.NotPermitted as exc:
        return _forbidden(request, str(exc))
    return render(
        request, "disclosures/links.html", {"rows": rows, "revoked": request.GET.get("revoked", "")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke_link(request: HttpRequest, link_id: int) -> HttpResponse:
    """Confirm, with a reason, that a link is to be revoked (GOV.UK: a destructive action is
    confirmed on its own page)."""
    actor = _actor(request)
    try:
        row = sent.get_link_for(actor, link_id)
    except access.NotFound:
        return not_found(request)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent.revoke_link(actor, link_id, reason=form.cleaned_data["reason"])
        except sent.InvalidInput as exc:
            form.add_error("reason", str(exc))
        except access.NotFound:
            return not_found(request)
        else:
            return HttpResponseRedirect(reverse("disclosures:links") + f"?revoked={link_id}")
    return render(
        request,
        "disclosures/revoke_link.html",
        {"form": form, "row": row},
        status=400 if form.errors else 200,
    )
