"""Thin views: parse the form, call a service, render a GOV.UK page (POST-redirect-GET)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import Any

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from discretion import access
from discretion.csv_cells import safe_row
from discretion.information_rights import (
    exemptions,
    foi_letters,
    forms,
    pdf,
    representation,
    review,
    review_page,
    services,
)
from discretion.information_rights.compile import redacted
from discretion.information_rights.dates import GovUKDateField
from discretion.information_rights.models import SarCase, SarStatus
from discretion.staff.models import Staff


def _actor(request: HttpRequest) -> Staff:
    user = request.user
    assert isinstance(user, Staff)
    return user


def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return render(
        request,
        "information_rights/message.html",
        {"title": "You cannot do this", "message": str(exc)},
        status=403,
    )


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "web/not_found.html", status=404)


def _errors(form: django_forms.Form) -> str:
    return "; ".join(str(m) for errors in form.errors.values() for m in errors)


def _field_at_fault(bound: django_forms.Form | None, failed: str) -> str:
    """Where the error summary's link goes: the first field in error of the action that failed, or
    the action's own form when the service refused it."""
    if bound is not None and bound.errors:
        name = next(iter(bound.errors))
        if name in bound.fields:
            return str(bound[name].id_for_label or bound[name].auto_id)
    return f"action-{failed}" if failed else ""


# A case-page action: its form (None: a bare button), its title, and the service call.
Action = tuple[type[django_forms.Form] | None, str, Callable[[Staff, int, dict[str, Any]], object]]

# What a service may refuse with: "missing" is a 404, anything else a 403.
REFUSALS = (access.NotFound, access.NotPermitted, access.AccessDenied)


def _refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _not_found(request) if isinstance(exc, access.NotFound) else _forbidden(request, exc)


def _form_page(
    request: HttpRequest,
    form: django_forms.Form,
    title: str,
    create: Callable[[Staff, dict[str, Any]], str],
) -> HttpResponse:
    """A page with one form: valid input goes to the service, which gives the page to go to;
    bad input, or a service's "Enter…", is a 400 with the error summary and nothing written."""
    error = ""
    if form.is_bound and form.is_valid():
        try:
            return HttpResponseRedirect(create(_actor(request), form.cleaned_data))
        except services.InvalidInput as exc:
            error = str(exc)
        except REFUSALS as exc:
            return _refused(request, exc)
    return render(
        request,
        "information_rights/form_page.html",
        {"form": form, "error": error, "title": title},
        status=400 if (form.errors or error) else 200,
    )


def _action_forms(
    actions: dict[str, Action], names: Iterable[str], failed: str, bound: django_forms.Form | None
) -> list[dict[str, Any]]:
    """The action forms of a case page, the one that failed still bound to what was typed."""
    shown = []
    for name in names:
        form_class, title, _ = actions[name]
        form = bound if name == failed else (form_class(prefix=name) if form_class else None)
        shown.append({"name": name, "title": title, "form": form})
    return shown


def _post_action(
    request: HttpRequest,
    pk: int,
    action: Action,
    prefix: str,
    *,
    show_error: Callable[[django_forms.Form | None, str], HttpResponse],
    next_url: Callable[[object], str],
) -> HttpResponse:
    """Run one action posted from a case page: POST-redirect-GET, or the page again with a 400."""
    form_class, _, call = action
    form = form_class(request.POST, prefix=prefix) if form_class else None
    if form is not None and not form.is_valid():
        return show_error(form, _errors(form))
    try:
        result = call(_actor(request), pk, form.cleaned_data if form is not None else {})
    except services.InvalidInput as exc:
        return show_error(form, str(exc))
    except REFUSALS as exc:
        return _refused(request, exc)
    return HttpResponseRedirect(next_url(result))


# --- FOI / EIR ---------------------------------------------------------------------------


REQUEST_ACTIONS: dict[str, Action] = {
    "acknowledge": (None, "Acknowledge", lambda a, pk, d: services.acknowledge(a, pk)),
    "assign": (
        forms.AssignForm,
        "Assign to a service area",
        lambda a, pk, d: services.assign(a, pk, service_area=d["service_area"], handler_id=d["handler"]),
    ),
    "regime": (forms.RegimeForm, "FOI or EIR", lambda a, pk, d: services.set_regime(a, pk, d["regime"])),
    "search": (
        forms.SearchForm,
        "Record a search",
        lambda a, pk, d: services.add_search(a, pk, place=d["place"], hours=d["hours"], found=d["found"]),
    ),
    "estimate": (
        forms.EstimateForm,
        "Estimate the cost (FOIA s12)",
        lambda a, pk, d: services.set_estimate(a, pk, d["hours"]),
    ),
    "clarification": (
        forms.ClarificationForm,
        "Clarification (FOIA s1(3), EIR reg 9)",
        lambda a, pk, d: services.record_clarification(
            a, pk, requested_on=d["requested_on"], received_on=d["received_on"]
        ),
    ),
    "fee": (
        forms.FeeForm,
        "Fees notice (FOIA s9)",
        lambda a, pk, d: services.record_fee(a, pk, notice_on=d["notice_on"], received_on=d["received_on"]),
    ),
    "extend": (
        forms.ExtendForm,
        "Extend (FOIA s10(3), EIR reg 7)",
        lambda a, pk, d: services.extend(a, pk, new_due_on=d["new_due_on"], reason=d["reason"]),
    ),
    "exemption": (
        forms.ExemptionForm,
        "Rely on an exemption or exception",
        lambda a, pk, d: services.add_exemption(
            a,
            pk,
            code=d["code"],
            why_applies=d["why_applies"],
            prejudice=d["prejudice"],
            public_interest=d["public_interest"],
        ),
    ),
    "outcome": (
        forms.OutcomeForm,
        "Record the outcome",
        lambda a, pk, d: services.record_outcome(
            a, pk, outcome=d["outcome"], response_text=d["response_text"], publish=d["publish"]
        ),
    ),
    "transfer": (
        forms.TransferForm,
        "Personal data: handle as subject access (FOIA s40(1))",
        lambda a, pk, d: services.transfer_to_sar(a, pk, requester_kind=d["requester_kind"]),
    ),
    "review": (
        forms.ReviewForm,
        "Internal review asked for",
        lambda a, pk, d: services.request_review(a, pk, received_on=d["received_on"], extended=d["extended"]),
    ),
    "decide-review": (
        forms.DecideReviewForm,
        "Decide the internal review",
        lambda a, pk, d: services.decide_review(a, d["review"], outcome=d["outcome"], notes=d["notes"]),
    ),
    "sign-off": (None, "Sign off the answer", lambda a, pk, d: foi_letters.sign_off_answer(a, pk)),
    "send-letter": (None, "Send the letter by e-mail", lambda a, pk, d: foi_letters.send_letter(a, pk)),
    "posted": (None, "Record that the letter was posted", lambda a, pk, d: foi_letters.record_posted(a, pk)),
}
# While the request is open: the casework. Once it is closed: only what still makes sense.
OPEN_REQUEST_ACTIONS = (
    "acknowledge", "assign", "regime", "search", "estimate", "clarification", "fee", "extend",
    "exemption", "outcome", "transfer",
)  # fmt: skip


def _request_action_names(req: Any, actor: Staff) -> list[str]:
    if req.is_open:
        names = list(OPEN_REQUEST_ACTIONS)
        return [n for n in names if n != "acknowledge"] if req.acknowledged_on else names
    names = []
    if foi_letters.needs_sign_off(req) and req.answer_prepared_by_id != actor.pk:
        names.append("sign-off")
    if req.answer_signed_off_by_id and req.letter_sent_at is None:
        names.append("send-letter" if foi_letters.is_email(req.requester_contact) else "posted")
    reviews = list(req.reviews.all())
    if any(r.decided_on is None for r in reviews):
        names.append("decide-review")
    elif req.outcome != "transferred":
        names.append("review")
    return names


def _request_page(
    request: HttpRequest,
    pk: int,
    *,
    failed: str = "",
    bound: django_forms.Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        req = services.get_request_for(_actor(request), pk)
    except REFUSALS as exc:
        return _refused(request, exc)
    names = _request_action_names(req, _actor(request))
    if failed and failed not in names:
        names.append(failed)
    actions = _action_forms(REQUEST_ACTIONS, names, failed, bound)
    for action in actions:
        if action["name"] == "decide-review" and not action["form"].is_bound:
            open_review = next((r for r in req.reviews.all() if r.decided_on is None), None)
            if open_review is not None:
                action["form"] = forms.DecideReviewForm(
                    prefix="decide-review", initial={"review": open_review.pk}
                )
    claims = [(c, exemptions.get(c.code)) for c in req.exemptions.all().order_by("id")]
    return render(
        request,
        "information_rights/request.html",
        {
            "req": req,
            "actions": actions,
            "error": error,
            "error_anchor": _field_at_fault(bound, failed),
            "failed_action": failed,
            "claims": claims,
            "searches": req.searches.all(),
            "reviews": req.reviews.all(),
            "sar_cases": req.sar_cases.all(),
            "letter": services.acknowledgement_letter(req) if req.acknowledged_on else "",
            "closing_letter": foi_letters.closing_letter(req),
            "due": foi_letters.explain_due(req) if req.is_open else None,
            "sign_off_waits": foi_letters.needs_sign_off(req),
            "can_sign": review.who_can_sign_off(req.answer_prepared_by_id),
            "is_email": foi_letters.is_email(req.requester_contact),
        },
        status=status,
    )


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    try:
        rows = services.list_requests(_actor(request))
    except REFUSALS as exc:
        return _refused(request, exc)
    return render(request, "information_rights/request_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    if not services.is_igo(_actor(request)):
        return _forbidden(request, access.NotPermitted("Only an information governance officer can do this."))

    def create(actor: Staff, d: dict[str, Any]) -> str:
        req = services.log_request(
            actor,
            requester_name=d["requester_name"],
            requester_contact=d["requester_contact"],
            channel=d["channel"],
            wording=d["wording"],
            regime=d["regime"],
            received_on=d["received_on"],
            received_on_reason=d["received_on_reason"],
        )
        return reverse("information_rights:request", args=[req.pk])

    form = forms.LogRequestForm(request.POST if request.method == "POST" else None)
    return _form_page(request, form, "Log an FOI or EIR request", create)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, pk)


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in REQUEST_ACTIONS:
        return _not_found(request)

    def next_url(result: object) -> str:
        if isinstance(result, SarCase):  # handled as subject access from here on (FOIA s40(1))
            return reverse("information_rights:sar", args=[result.pk])
        return reverse("information_rights:request", args=[pk])

    return _post_action(
        request,
        pk,
        REQUEST_ACTIONS[action],
        action,
        show_error=lambda form, error: _request_page(
            request, pk, failed=action, bound=form, error=error, status=400
        ),
        next_url=next_url,
    )


@login_required
def request_letter(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    try:
        req = services.get_request_for(_actor(request), pk)
    except REFUSALS as exc:
        return _refused(request, exc)
    text = {
        "acknowledgement": services.acknowledgement_letter(req) if req.acknowledged_on else "",
        "refusal-notice": req.refusal_notice,
        "response": req.response_text,
        "letter": foi_letters.closing_letter(req),
    }.get(kind, "")
    if not text:
        return _not_found(request)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{req.ref}-{kind}.txt"'
    return response


def disclosure_log(request: HttpRequest) -> HttpResponse:
    """Public: answers released under FOI/EIR (no sign-in; no requester identity)."""
    return render(
        request, "information_rights/disclosure_log.html", {"rows": services.public_disclosure_log()}
    )


# --- dashboard ---------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        board = services.dashboard(_actor(request))
    except REFUSALS as exc:
        return _refused(request, exc)
    bar_width = 40
    bars = [
        {
            "row": m,
            "x": 40 + i * (bar_width + 12),
            "height": m.percent * 2,
            "y": 210 - m.percent * 2,
            "label_x": 40 + i * (bar_width + 12) + bar_width // 2,
        }
        for i, m in enumerate(board.compliance)
    ]
    return render(
        request,
        "information_rights/dashboard.html",
        {
            "board": board,
            "bars": bars,
            "bar_width": bar_width,
            "chart_width": 60 + len(bars) * (bar_width + 12),
        },
    )


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    try:
        board = services.dashboard(_actor(request))
    except REFUSALS as exc:
        return _refused(request, exc)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="information-rights-open-cases.csv"'
    writer = csv.writer(response)
    for row in services.dashboard_csv_rows(board):
        writer.writerow(safe_row(row))
    return response


# --- subject access ----------------------------------------------------------------------


class AttachmentDecisionForm(django_forms.Form):
    """The redaction review's decision on one attachment (reviewed by hand: include, or withhold)."""

    attachment = django_forms.IntegerField(widget=django_forms.HiddenInput)
    include = django_forms.ChoiceField(
        choices=[("yes", "Reviewed by hand: include"), ("no", "Withhold")],
        error_messages={
            "required": "Select include or withhold",
            "invalid_choice": "Select include or withhold",
        },
    )
    note = django_forms.CharField(required=False, max_length=300)


class SarReviewForm(django_forms.Form):
    received_on = GovUKDateField(
        label="Date review asked for",
        required=False,
        help_text="For example, 27 11 2026. Leave blank for today",
    )


SAR_ACTIONS: dict[str, Action] = {
    "verify": (
        forms.VerifyForm,
        "Identity verified",
        lambda a, pk, d: services.verify_identity(
            a, pk, evidence=d["evidence"], received_on=d["received_on"], subject_ref=d["subject_ref"]
        ),
    ),
    "clarification": (
        forms.ClarificationForm,
        "Clarification (Art 12A: the clock stops)",
        lambda a, pk, d: services.sar_clarification(
            a, pk, requested_on=d["requested_on"], received_on=d["received_on"]
        ),
    ),
    "extend": (
        forms.SarExtendForm,
        "Extend by two months (Art 12(3))",
        lambda a, pk, d: services.extend_sar(a, pk, reason=d["reason"]),
    ),
    "add-evidence": (
        forms.AddEvidenceForm,
        "Add evidence that the requester may act for the person",
        lambda a, pk, d: representation.add_evidence(a, pk, code=d["code"], description=d["description"]),
    ),
    "check-evidence": (
        forms.CheckEvidenceForm,
        "Check evidence (a second information governance officer)",
        lambda a, pk, d: representation.check_evidence(
            a, pk, d["evidence"], accept=d["accept"] == "yes", note=d["note"]
        ),
    ),
    "record-child": (
        forms.ChildViewForm,
        "Record the child's understanding and view",
        lambda a, pk, d: representation.record_child(
            a,
            pk,
            understands=d["understands"] == "yes",
            reason=d["reason"],
            consents=None if not d["consents"] else d["consents"] == "yes",
            child_view=d["child_view"],
            best_interests=d["best_interests"],
        ),
    ),
    "compile": (
        None,
        "Compile the records and propose redactions",
        lambda a, pk, d: services.compile_records(a, pk),
    ),
    "decide": (
        forms.DecideRedactionForm,
        "Decide a redaction",
        lambda a, pk, d: services.decide_redaction(a, d["redaction"], decision=d["decision"], note=d["note"]),
    ),
    "add-redaction": (
        forms.AddRedactionForm,
        "Add a redaction",
        lambda a, pk, d: services.add_redaction(
            a, pk, entry_id=d["entry"], passage=d["passage"], reason=d["reason"], note=d["note"]
        ),
    ),
    "attachment": (
        AttachmentDecisionForm,
        "Decide an attachment",
        lambda a, pk, d: services.decide_attachment(
            a, pk, d["attachment"], include=d["include"] == "yes", note=d["note"]
        ),
    ),
    "internal-review": (
        SarReviewForm,
        "Internal review asked for",
        lambda a, pk, d: services.request_sar_review(a, pk, received_on=d["received_on"]),
    ),
    "decide-internal-review": (
        forms.DecideReviewForm,
        "Decide the internal review",
        lambda a, pk, d: services.decide_sar_review(
            a, pk, d["review"], outcome=d["outcome"], notes=d["notes"]
        ),
    ),
    "redact-selection": (
        review_page.SelectionForm,
        "Withhold the selected text",
        lambda a, pk, d: review.redact_selection(
            a,
            pk,
            entry_id=d["entry"],
            start=d["start"],
            end=d["end"],
            passage=d["passage"],
            reason=d["reason"],
            note=d["note"],
        ),
    ),
    "redact-choices": (
        review_page.ChoicesForm,
        "Withhold the sentences or words chosen",
        lambda a, pk, d: review.redact_choices(
            a,
            pk,
            entry_id=d["entry"],
            sentence_numbers=d["sentence"],
            first_word=d["first_word"],
            last_word=d["last_word"],
            reason=d["reason"],
            note=d["note"],
        ),
    ),
    "extent": (
        review_page.ExtentForm,
        "Change what is withheld",
        lambda a, pk, d: review.change_extent(
            a, pk, d["redaction"], first_word=d["first_word"], last_word=d["last_word"], note=d["note"]
        ),
    ),
    "accept-all": (
        review_page.AcceptAllForm,
        "Accept the proposed redactions",
        lambda a, pk, d: review.accept_proposed(a, pk, entry_id=d["entry"]),
    ),
    "ask-sign-off": (None, "Ask for sign-off", lambda a, pk, d: review.ask_for_sign_off(a, pk)),
    "sign-off": (None, "Sign off the bundle", lambda a, pk, d: review.sign_off(a, pk)),
}
SAR_PAGE_ACTIONS = (
    "verify",
    "clarification",
    "extend",
    "add-evidence",
    "check-evidence",
    "record-child",
    "compile",
)
ACTING_FOR_OTHERS_ACTIONS = ("add-evidence", "check-evidence", "record-child")


def _sar_page(
    request: HttpRequest,
    pk: int,
    *,
    failed: str = "",
    bound: django_forms.Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        sar = services.get_sar_for(_actor(request), pk)
    except REFUSALS as exc:
        return _refused(request, exc)
    reviews = list(sar.reviews.order_by("id"))
    open_review = next((r for r in reviews if r.decided_on is None), None)
    names = list(SAR_PAGE_ACTIONS)
    if sar.status == SarStatus.RELEASED:
        names = ["internal-review"] + (["decide-internal-review"] if open_review else [])
    elif sar.compiled_at is not None:
        names = [n for n in names if n != "verify"]
    if sar.requester_kind not in representation.ACTING_FOR_OTHERS:
        names = [n for n in names if n not in ACTING_FOR_OTHERS_ACTIONS]
    elif sar.requester_kind != "parent":
        names = [n for n in names if n != "record-child"]
    actions = _action_forms(SAR_ACTIONS, names, failed, bound)
    for action in actions:
        if action["name"] == "decide-internal-review" and open_review and not action["form"].is_bound:
            action["form"] = forms.DecideReviewForm(prefix=action["name"], initial={"review": open_review.pk})
    return render(
        request,
        "information_rights/sar.html",
        {
            "sar": sar,
            "actions": actions,
            "error": error,
            "error_anchor": _field_at_fault(bound, failed),
            "failed_action": failed,
            "reviews": reviews,
            "signed_off": review.is_signed_off(sar),
            "prepared_current": bool(sar.prepared_state) and sar.prepared_state == review.state_digest(sar),
            "can_sign": review.who_can_sign_off(sar.prepared_by_id),
            "due": _sar_due(sar),
            "evidence": list(sar.evidence.select_related("uploaded_by", "checked_by")),
            "still_needed": representation.unmet(sar) if sar.status != SarStatus.RELEASED else [],
        },
        status=status,
    )


def _sar_due(sar: SarCase) -> foi_letters.DueExplained | None:
    if sar.on_hold or sar.status == SarStatus.RELEASED:
        return None
    try:
        return foi_letters.explain(services.compute_sar_due(sar))
    except services.InvalidInput:
        return None


@login_required
def sar_list(request: HttpRequest) -> HttpResponse:
    try:
        rows = services.list_sars(_actor(request))
    except REFUSALS as exc:
        return _refused(request, exc)
    return render(request, "information_rights/sar_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def sar_new(request: HttpRequest) -> HttpResponse:
    if not services.is_igo(_actor(request)):
        return _forbidden(request, access.NotPermitted("Only an information governance officer can do this."))
    form = forms.OpenSarForm(request.POST if request.method == "POST" else None)

    def create(actor: Staff, d: dict[str, Any]) -> str:
        sar = services.open_sar(
            actor,
            requester_name=d["requester_name"],
            requester_contact=d["requester_contact"],
            requester_kind=d["requester_kind"],
            received_on=d["received_on"],
            subject_ref=d["subject_ref"],
            child_understands=form.tristate("child_understands"),
            child_consents=form.tristate("child_consents"),
            written_authority=d["written_authority"],
        )
        return reverse("information_rights:sar", args=[sar.pk])

    return _form_page(request, form, "Log a subject access request", create)


@login_required
def sar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _sar_page(request, pk)


# Actions posted from the redaction review page, which they return to (at the entry acted on).
REVIEW_ACTIONS = (
    "decide",
    "add-redaction",
    "attachment",
    "redact-selection",
    "redact-choices",
    "extent",
    "accept-all",
)


@login_required
@require_POST
def sar_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in SAR_ACTIONS:
        return _not_found(request)

    def show_error(form: django_forms.Form | None, error: str) -> HttpResponse:
        if action in REVIEW_ACTIONS:
            entry = request.POST.get(f"{action}-entry", "")
            anchor = f"entry-{entry}" if entry.isdigit() else ""
            return _review_page(request, pk, error=error, status=400, error_anchor=anchor)
        return _sar_page(request, pk, failed=action, bound=form, error=error, status=400)

    after = "sar-review" if action in REVIEW_ACTIONS or action == "compile" else "sar"

    def next_url(result: object) -> str:
        url = reverse(f"information_rights:{after}", args=[pk])
        if action in REVIEW_ACTIONS:
            return url + (review_page.anchor_for(result) or _posted_anchor(request, action))
        return url

    return _post_action(request, pk, SAR_ACTIONS[action], action, show_error=show_error, next_url=next_url)


def _posted_anchor(request: HttpRequest, action: str) -> str:
    """Back to the entry the form was on (an attachment's, or the whole bundle's bulk accept)."""
    entry = request.POST.get(f"{action}-entry", "")
    return f"#entry-{entry}" if entry.isdigit() else ""


def _review_page(
    request: HttpRequest, pk: int, *, error: str = "", status: int = 200, error_anchor: str = ""
) -> HttpResponse:
    try:
        sar, compiled, redactions = services.review_view(_actor(request), pk)
    except REFUSALS as exc:
        return _refused(request, exc)
    except services.InvalidInput as exc:
        return _sar_page(request, pk, error=str(exc), status=400)
    by_entry: dict[int, list[Any]] = {}
    for red in redactions:
        by_entry.setdefault(red.entry_id, []).append(red)
    reviews = services.attachment_reviews(sar)
    # Every entry for a small bundle; for a large one, the entries with a redaction to decide.
    show_all = len(compiled.entry_ids) <= 500
    word_lists = len(compiled.entry_ids) <= review_page.WORD_LISTS_UP_TO
    entries = [
        {
            "entry": e,
            "case": c.case,
            "redactions": by_entry.get(e.pk, []),
            "preview": redacted(e.text, compiled.withheld.get(e.pk, [])),
            "text": review_page.entry_text(e.text, by_entry.get(e.pk, []), word_lists=word_lists),
            # Attachments cannot be redacted automatically: each is withheld until reviewed by hand.
            "attachments": [
                {"attachment": att, "review": reviews.get(att.pk)}
                for att in compiled.attachments.get(e.pk, [])
            ],
        }
        for c in compiled.cases
        for e in c.entries
        if show_all or e.pk in by_entry or e.pk in compiled.attachments
    ]
    return render(
        request,
        "information_rights/sar_review.html",
        {
            "sar": sar,
            "entries": entries,
            "error": error,
            "reasons": review_page.reasons_for(sar),
            "error_anchor": error_anchor,
            "open_proposals": sum(1 for r in redactions if r.decision == "proposed"),
        },
        status=status,
    )


@login_required
def sar_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, pk)


@login_required
def sar_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        content = services.build_bundle(_actor(request), pk)
        sar = services.get_sar_for(_actor(request), pk)
    except REFUSALS as exc:
        return _refused(request, exc)
    except services.InvalidInput as exc:
        return _sar_page(request, pk, error=str(exc), status=400)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{sar.ref}-bundle.pdf"'
    return response


@login_required
def sar_redaction_log(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        sar = services.get_sar_for(_actor(request), pk)
    except REFUSALS as exc:
        return _refused(request, exc)
    response = HttpResponse(pdf.redaction_log_csv(sar), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{sar.ref}-redaction-log.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sar_release(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: check before releasing (who gets what, how, and who signed it off). POST: release; the
    link and its one-time code are shown once (never stored in clear), so no redirect here."""
    if request.method == "GET":
        try:
            sar = services.get_sar_for(_actor(request), pk)
        except REFUSALS as exc:
            return _refused(request, exc)
        if sar.compiled_at is None or sar.status == SarStatus.RELEASED:
            return _sar_page(request, pk, error="There is no bundle to release", status=400)
        return render(
            request,
            "information_rights/sar_release_confirm.html",
            {
                "sar": sar,
                "signed_off": review.is_signed_off(sar),
                "redactions": sar.redactions.exclude(decision="rejected").count(),
                "entries": len(sar.entry_ids),
            },
        )
    try:
        sar, token, code = services.release_bundle(_actor(request), pk)
    except REFUSALS as exc:
        return _refused(request, exc)
    except services.InvalidInput as exc:
        return _sar_page(request, pk, error=str(exc), status=400)
    return render(request, "information_rights/released.html", {"sar": sar, "token": token, "code": code})
