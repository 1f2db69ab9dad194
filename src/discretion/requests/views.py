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
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from discretion import access, keyed
from discretion.requests import documents as documents_
from discretion.requests import labels, services
from discretion.requests import record_access as record_access_
from discretion.requests.forms import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    DOCUMENT_LABELS,
    INFORMATION_LABELS,
    PURPOSE_LABELS,
    ChecksMadeForm,
    CloseForm,
    DocumentCheckForm,
    DocumentForm,
    MediaQuestionForm,
    RecordAccessAskForm,
    ReferralForm,
    ReleaseForm,
    TaskForm,
    WhatForm,
    WhoForm,
    WhomForm,
)
from discretion.requests.models import InformOutcome, Request, State, TaskKind
from discretion.requests.urgency import URGENT_REASONS, is_urgent, urgent_reason
from discretion.staff.models import Role, Staff
from discretion.web.views import not_found, refused

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


def _requester(draft: dict[str, Any]) -> services.Requester:
    who = draft.get("who", {})
    return services.Requester(
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
    actor = _actor(request)
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
        except (services.InvalidInput, access.NotPermitted) as exc:
            return str(exc)
    return ""


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

    actor = _actor(request)
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
        except (access.NotFound, access.AccessDenied):
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

    actor = _actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except access.NotFound:
        return not_found(request)
    mark_read_about(actor, "request", req.pk)
    context = _detail_context(actor, req)
    context["error"] = request.session.pop(ERROR_KEY, "")
    context["error_anchor"] = request.session.pop(ERROR_ANCHOR_KEY, "")
    context["done"] = request.session.pop(DONE_KEY, "")
    if request.GET.get("logged") and not context["done"]:
        context["done"] = f"Request {req.pk} is logged."
    return render(request, "requests/detail.html", context, status=400 if context["error"] else 200)


def _first_error(form: forms.Form) -> str:
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
        return _back_with_error(request, request_id, _first_error(form), anchor)
    try:
        act(_actor(request), form.cleaned_data)
    except access.NotFound:
        return not_found(request)
    except (services.InvalidInput, access.NotPermitted) as exc:
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
@require_http_methods(["GET", "POST"])
def entries(request: HttpRequest, request_id: int) -> HttpResponse:
    """Choose what to release and send it, on one page: the entries with why each is needed,
    telling the child (policy 2.3) where that is still to do, and how it goes. A form without
    `send` only saves the choice and goes on to the release page."""
    actor = _actor(request)
    release_form = ReleaseForm(request.POST if request.POST.get("send") else None)
    task_form = TaskForm(request.POST if request.POST.get("send") else None)
    error, anchor = "", ""
    try:
        req = services.get_request_for(actor, request_id)
        inform_open = TaskKind.INFORM_SUBJECT.value in services.open_tasks(req)
        if request.method == "POST":
            picks = {}
            for value in request.POST.getlist("entry"):
                if value.isdigit():
                    picks[int(value)] = request.POST.get(f"reason_{value}", "")
            sending = bool(request.POST.get("send"))
            if sending and not release_form.is_valid():
                error, anchor = _first_error(release_form), _release_anchor(release_form)
            else:
                try:
                    services.select_entries(actor, req.pk, picks)
                except services.InvalidInput as exc:
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
    except access.NotFound:
        return not_found(request)
    except access.AccessDenied as exc:
        return refused(request, exc)
    except access.NotPermitted as exc:
        return _forbidden(request, str(exc))
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
    except services.InvalidInput as exc:
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
    except access.AccessDenied as exc:
        return refused(request, exc)
    except (services.InvalidInput, access.NotPermitted) as exc:
        return str(exc), "id_address" if "address" in str(exc) else "channel-secure_link"
    request.session[RELEASED_KEY] = keyed.seal(
        {"id": req.pk, "token": result.link_token, "code": result.link_code}
    )
    return HttpResponseRedirect(reverse("requests:released", args=[req.pk]))


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
    documents, asking = services.checks_for(actor)
    return render(
        request,
        "requests/queue.html",
        {
            "to_decide": [_row(r) for r in services.queue_for(actor)],
            "mine": [_row(r) for r in services.my_requests(actor)],
            "documents": documents,
            "asking": [_row(r) for r in asking],
            "may_log": _may_log(actor),
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
