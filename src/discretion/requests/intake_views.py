"""Request intake pages: one question per page (who asks, whom it is about, what and why), then
check the answers, with what the policy will say, before the request is logged. Thin: parse, call
a service, render; POST-redirect-GET."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from discretion import access
from discretion.errors import AccessDenied, InvalidInput, NotFound, NotPermitted
from discretion.requests import labels, services
from discretion.requests.forms import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    INFORMATION_LABELS,
    PURPOSE_LABELS,
    ChecksMadeForm,
    MediaQuestionForm,
    WhatForm,
    WhoForm,
    WhomForm,
)
from discretion.requests.models import Request, TaskKind
from discretion.requests.urgency import URGENT_REASONS
from discretion.staff.models import Role, Staff
from discretion.web import pages

SESSION_KEY = "request_intake"
# Intake: who is asking (and how it arrived), whom it is about, what and why, then check the
# answers before it is logged. A media enquiry asks only for the journalist's question (policy 1.5).
STEPS = ("who", "whom", "what", "check")
MEDIA_STEPS = ("who", "what", "check")
TITLES = {
    "who": "Who is asking?",
    "whom": "Who is the request about?",
    "what": "What are they asking for?",
    "check": "Check your answers before logging the request",
}
MEDIA_TITLES = {**TITLES, "what": "What did the journalist ask?"}
FORMS: dict[str, type[forms.Form]] = {"who": WhoForm, "what": WhatForm}
# The handler's own caseload is offered at the "whom" step when it is no longer than this.
CASELOAD_CHOICES = 30


def _draft(request: HttpRequest) -> dict[str, Any]:
    draft = request.session.get(SESSION_KEY)
    return draft if isinstance(draft, dict) else {}


def _save_draft(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = draft


def _is_media(draft: dict[str, Any]) -> bool:
    return bool(draft.get("who", {}).get("category") == "media")


def _steps(draft: dict[str, Any]) -> tuple[str, ...]:
    return MEDIA_STEPS if _is_media(draft) else STEPS


def _next_step(step: str, draft: dict[str, Any]) -> str:
    steps = _steps(draft)
    if draft.get("checking") and step != "who" and "check" in steps:
        return "check"  # changing an answer from the check page goes back to it
    index = steps.index(step)
    return steps[min(index + 1, len(steps) - 1)]


def _first_missing(draft: dict[str, Any]) -> str | None:
    """The first question not yet answered (a page reached out of order goes back to it)."""
    for name in _steps(draft)[:-1]:
        if name not in draft:
            return name
    return None


def may_log(actor: Staff) -> bool:
    return actor.role != Role.PRESS and not actor.is_supervised


@login_required
def start(request: HttpRequest) -> HttpResponse:
    if not may_log(pages.actor(request)):
        return pages.refused_page(request, "Your role cannot log requests for information.")
    _save_draft(request, {})
    return HttpResponseRedirect(reverse("requests:step", args=["who"]))


def _requester(draft: dict[str, Any]) -> services.RequesterDetails:
    who = draft.get("who", {})
    return services.RequesterDetails(
        name=who.get("name", ""),
        category=who.get("category", ""),
        organisation=who.get("organisation", ""),
        role=who.get("role", ""),
        contact=who.get("contact", ""),
        works_with_child=bool(who.get("works_with_child")),
        colleague=who.get("colleague", ""),
    )


def _facts(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft as the policy's facts, to show what will happen before it is logged."""
    who, what = draft.get("who", {}), draft.get("what", {})
    media = _is_media(draft)
    return {
        "requester": {
            "category": who.get("category", ""),
            "works_with_child": bool(who.get("works_with_child")),
        },
        "channel": who.get("channel", ""),
        "purpose": "media_story" if media else what.get("purpose", "other"),
        "information": [] if media else list(what.get("information", [])),
        "consent": "none",
        "claims_legal_right": bool(what.get("claims_legal_right")),
        "in_doubt": bool(what.get("in_doubt")),
    }


def _create(request: HttpRequest, draft: dict[str, Any], checks: ChecksMadeForm | None) -> HttpResponse:
    actor = pages.actor(request)
    facts = _facts(draft)
    what = draft.get("what", {})
    try:
        req = services.log_request(
            actor,
            requester=_requester(draft),
            channel=facts["channel"],
            person_ids=[] if _is_media(draft) else draft.get("whom", {}).get("people", []),
            information=facts["information"],
            summary=what.get("summary", ""),
            purpose=facts["purpose"],
            claims_legal_right=facts["claims_legal_right"],
            in_doubt=facts["in_doubt"],
        )
    except AccessDenied as exc:
        return pages.error_page(request, exc)
    except NotPermitted as exc:
        return pages.refused_page(request, str(exc))
    except InvalidInput as exc:
        if "colleague" in str(exc):
            return _back_to_who(request, draft, str(exc))
        return HttpResponseRedirect(reverse("requests:step", args=["whom"]))
    except NotFound:
        # A person chosen earlier no longer exists, or an answer is no longer valid: start the
        # "who is it about" step again rather than fail.
        return HttpResponseRedirect(reverse("requests:step", args=["whom"]))
    _save_draft(request, {})
    if checks is not None:
        error = _record_checks(actor, req, checks.cleaned_data)
        if error:
            request.session["request_error"] = error
    return HttpResponseRedirect(reverse("requests:detail", args=[req.pk]) + "?logged=1")


def _record_checks(actor: Staff, req: Request, data: dict[str, Any]) -> str:
    """The checks made while taking the request, as its tasks (each one audited and in the
    history); the first error, if one could not be recorded (the request is logged regardless)."""
    for kind, note in (
        (TaskKind.VERIFY_IDENTITY, data.get("identity_note", "")),
        (TaskKind.VERIFY_ENTITLEMENT, data.get("entitlement_note", "")),
    ):
        if not note.strip():
            continue
        try:
            services.complete_task(
                actor,
                req.pk,
                kind,
                note=note,
                callback_number=data.get("callback_number", ""),
                number_source=data.get("number_source", ""),
            )
        except (InvalidInput, NotPermitted) as exc:
            return str(exc)
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, name: str) -> HttpResponse:
    if name not in STEPS:
        return pages.not_found_page(request)
    if not may_log(pages.actor(request)):
        return pages.refused_page(request, "Your role cannot log requests for information.")
    draft = _draft(request)
    if name != "who" and "who" not in draft:
        return HttpResponseRedirect(reverse("requests:step", args=["who"]))
    if name not in _steps(draft):
        return HttpResponseRedirect(reverse("requests:step", args=[_steps(draft)[1]]))
    missing = _first_missing(draft)
    if name == "check" and missing is not None:
        return HttpResponseRedirect(reverse("requests:step", args=[missing]))
    if name == "whom":
        return _whom(request, draft)
    if name == "check":
        return _check(request, draft)
    form_class: type[forms.Form] = MediaQuestionForm if name == "what" and _is_media(draft) else FORMS[name]
    form = form_class(request.POST if request.method == "POST" else None, initial=draft.get(name, {}))
    if request.method == "POST" and form.is_valid():
        was_media = _is_media(draft)
        draft[name] = form.cleaned_data
        if name == "who" and _is_media(draft) != was_media:
            draft.pop("what", None)  # a media enquiry asks different questions
            draft.pop("checking", None)
        _save_draft(request, draft)
        return HttpResponseRedirect(reverse("requests:step", args=[_next_step(name, draft)]))
    return _question(request, draft, name, form)


def _question(request: HttpRequest, draft: dict[str, Any], name: str, form: forms.Form) -> HttpResponse:
    titles = MEDIA_TITLES if _is_media(draft) else TITLES
    return render(
        request,
        "requests/question.html",
        {"form": form, "title": titles[name], "step": name, "back": _back(name, draft)},
        status=400 if form.errors else 200,
    )


def _back_to_who(request: HttpRequest, draft: dict[str, Any], error: str) -> HttpResponse:
    form = WhoForm(data=draft.get("who", {}))
    form.is_valid()
    form.add_error("colleague", error)
    return _question(request, draft, "who", form)


def _back(name: str, draft: dict[str, Any]) -> str:
    steps = _steps(draft)
    index = steps.index(name) if name in steps else 0
    if draft.get("checking") and name != "check" and "check" in steps:
        return reverse("requests:step", args=["check"])
    return reverse("requests:step", args=[steps[index - 1]]) if index else reverse("web:home")


def _whom(request: HttpRequest, draft: dict[str, Any]) -> HttpResponse:
    actor = pages.actor(request)
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
            return HttpResponseRedirect(reverse("requests:step", args=[_next_step("whom", draft)]))
    form = WhomForm(request.GET or None)
    results = None
    if request.GET.get("q") and form.is_valid():
        results = access.search_people(actor, form.cleaned_data["q"])
    # The handler's own caseload first (already theirs to know; the read is audited).
    caseload = []
    if results is None:
        cases = access.my_cases(actor)
        if len(cases) <= CASELOAD_CHOICES:
            caseload = list({c.subject_id: c.subject for c in cases}.values())
    return render(
        request,
        "requests/whom.html",
        {
            "form": form,
            "results": results,
            "caseload": caseload,
            "error": error,
            "error_anchor": _first_choice(results, caseload),
            "title": TITLES["whom"],
            "back": _back("whom", draft),
            "chosen": draft.get("whom", {}).get("people", []),
        },
        status=400 if error else 200,
    )


def _first_choice(results: Any, caseload: list[Any]) -> str:
    """Where the "whom" error links: the first child offered, else the search box."""
    people = list(results.people) if results is not None else caseload
    return f"person-{people[0].pk}" if people else "id_q"


def _check(request: HttpRequest, draft: dict[str, Any]) -> HttpResponse:
    """Check your answers (GOV.UK pattern), with what the policy will say, and the identity and
    entitlement checks already made while taking the request, recorded with it."""
    from discretion.policy import FactsError, decide, decision_to_json, parse_facts

    actor = pages.actor(request)
    draft["checking"] = True
    _save_draft(request, draft)
    facts = _facts(draft)
    try:
        preview = decision_to_json(decide(parse_facts(facts)))
    except FactsError:
        return HttpResponseRedirect(reverse("requests:step", args=["who"]))
    asks_checks = bool({"verify_identity", "verify_entitlement"} & set(preview.get("conditions", [])))
    by_phone = facts["channel"] == "phone"
    checks = ChecksMadeForm(request.POST if request.method == "POST" else None, by_phone=by_phone)
    if request.method == "POST" and checks.is_valid():
        return _create(request, draft, checks if asks_checks else None)
    people = []
    for pid in draft.get("whom", {}).get("people", []):
        try:
            people.append(access.get_person_for(actor, pid).person)
        except (NotFound, AccessDenied):
            return HttpResponseRedirect(reverse("requests:step", args=["whom"]))
    who, what = draft.get("who", {}), draft.get("what", {})
    return render(
        request,
        "requests/check.html",
        {
            "form": checks,
            "title": TITLES["check"],
            "back": reverse("requests:step", args=[_steps(draft)[-2]]),
            "media": _is_media(draft),
            "who": who,
            "what": what,
            "people": people,
            "category": CATEGORY_LABELS.get(who.get("category", ""), ""),
            "channel": CHANNEL_LABELS.get(who.get("channel", ""), ""),
            "information": [INFORMATION_LABELS.get(i, i) for i in what.get("information", [])],
            "purpose": PURPOSE_LABELS.get(what.get("purpose", ""), ""),
            "preview": _preview(preview),
            "asks_checks": asks_checks,
            "by_phone": by_phone,
            "urgent": facts["purpose"] in URGENT_REASONS,
            "urgent_reason": URGENT_REASONS.get(facts["purpose"], ""),
        },
        status=400 if checks.errors else 200,
    )


def _preview(decision: dict[str, Any]) -> dict[str, Any]:
    return {
        "outcome": labels.OUTCOME_LABELS.get(decision.get("outcome", ""), ""),
        "routes": labels.route_labels(decision.get("route_to", [])),
        "conditions": labels.condition_labels(
            [c for c in decision.get("conditions", []) if c in PRE_RELEASE_CONDITIONS]
        ),
        "missing": labels.missing_labels(decision.get("missing", [])),
    }


# Conditions worth saying before the request is logged (the rest apply at release).
PRE_RELEASE_CONDITIONS = {
    "verify_identity",
    "verify_entitlement",
    "request_in_writing",
    "manager_approval",
    "obtain_consent",
    "court_order",
}
