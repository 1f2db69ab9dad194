"""FOI/EIR pages: the request list, logging a request, a request's page and its actions, its
letters, and the public disclosure log. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from discretion.errors import NotPermitted
from discretion.information_rights import exemptions, foi_letters, forms, review, services
from discretion.information_rights.models import SarCase
from discretion.information_rights.page_actions import (
    REFUSALS,
    Action,
    action_forms,
    field_at_fault,
    forbidden_page,
    form_page,
    post_action,
    refused_page,
)
from discretion.staff.models import Staff
from discretion.web import pages

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
        req = services.get_request_for(pages.actor(request), pk)
    except REFUSALS as exc:
        return refused_page(request, exc)
    names = _request_action_names(req, pages.actor(request))
    if failed and failed not in names:
        names.append(failed)
    actions = action_forms(REQUEST_ACTIONS, names, failed, bound)
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
            "error_anchor": field_at_fault(bound, failed),
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
        rows = services.list_requests(pages.actor(request))
    except REFUSALS as exc:
        return refused_page(request, exc)
    return render(request, "information_rights/request_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    if not services.is_igo(pages.actor(request)):
        return forbidden_page(request, NotPermitted("Only an information governance officer can do this."))

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
    return form_page(request, form, "Log an FOI or EIR request", create)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, pk)


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in REQUEST_ACTIONS:
        return pages.not_found_page(request)

    def next_url(result: object) -> str:
        if isinstance(result, SarCase):  # handled as subject access from here on (FOIA s40(1))
            return reverse("information_rights:sar", args=[result.pk])
        return reverse("information_rights:request", args=[pk])

    return post_action(
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
        req = services.get_request_for(pages.actor(request), pk)
    except REFUSALS as exc:
        return refused_page(request, exc)
    text = {
        "acknowledgement": services.acknowledgement_letter(req) if req.acknowledged_on else "",
        "refusal-notice": req.refusal_notice,
        "response": req.response_text,
        "letter": foi_letters.closing_letter(req),
    }.get(kind, "")
    if not text:
        return pages.not_found_page(request)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{req.ref}-{kind}.txt"'
    return response


def disclosure_log(request: HttpRequest) -> HttpResponse:
    """Public: answers released under FOI/EIR (no sign-in; no requester identity)."""
    return render(
        request, "information_rights/disclosure_log.html", {"rows": services.public_disclosure_log()}
    )
