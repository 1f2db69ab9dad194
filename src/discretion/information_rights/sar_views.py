"""Subject-access pages: the case list, opening a case, a case's page and its actions, the redaction
review, the bundle, the redaction log and the release. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from discretion.errors import InvalidInput, NotPermitted
from discretion.information_rights import (
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
        sar = services.get_sar_for(pages.actor(request), pk)
    except REFUSALS as exc:
        return refused_page(request, exc)
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
    actions = action_forms(SAR_ACTIONS, names, failed, bound)
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
            "error_anchor": field_at_fault(bound, failed),
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
    except InvalidInput:
        return None


@login_required
def sar_list(request: HttpRequest) -> HttpResponse:
    try:
        rows = services.list_sars(pages.actor(request))
    except REFUSALS as exc:
        return refused_page(request, exc)
    return render(request, "information_rights/sar_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def sar_new(request: HttpRequest) -> HttpResponse:
    if not services.is_igo(pages.actor(request)):
        return forbidden_page(request, NotPermitted("Only an information governance officer can do this."))
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

    return form_page(request, form, "Log a subject access request", create)


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
        return pages.not_found_page(request)

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

    return post_action(request, pk, SAR_ACTIONS[action], action, show_error=show_error, next_url=next_url)


def _posted_anchor(request: HttpRequest, action: str) -> str:
    """Back to the entry the form was on (an attachment's, or the whole bundle's bulk accept)."""
    entry = request.POST.get(f"{action}-entry", "")
    return f"#entry-{entry}" if entry.isdigit() else ""


def _review_page(
    request: HttpRequest, pk: int, *, error: str = "", status: int = 200, error_anchor: str = ""
) -> HttpResponse:
    try:
        sar, compiled, redactions = services.review_view(pages.actor(request), pk)
    except REFUSALS as exc:
        return refused_page(request, exc)
    except InvalidInput as exc:
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
@require_POST
def sar_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    """Build the bundle and download it: a POST, since building it records the bundle's digest,
    marks the case ready and is audited."""
    try:
        content = services.build_bundle(pages.actor(request), pk)
        sar = services.get_sar_for(pages.actor(request), pk)
    except REFUSALS as exc:
        return refused_page(request, exc)
    except InvalidInput as exc:
        return _sar_page(request, pk, error=str(exc), status=400)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{sar.ref}-bundle.pdf"'
    return response


@login_required
def sar_redaction_log(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        sar = services.get_sar_for(pages.actor(request), pk)
    except REFUSALS as exc:
        return refused_page(request, exc)
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
            sar = services.get_sar_for(pages.actor(request), pk)
        except REFUSALS as exc:
            return refused_page(request, exc)
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
        sar, token, code = services.release_bundle(pages.actor(request), pk)
    except REFUSALS as exc:
        return refused_page(request, exc)
    except InvalidInput as exc:
        return _sar_page(request, pk, error=str(exc), status=400)
    return render(request, "information_rights/released.html", {"sar": sar, "token": token, "code": code})
