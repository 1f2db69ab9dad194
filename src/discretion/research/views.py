"""Thin views for research requests and extracts (policy 1.4)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from discretion.access import AccessDenied, NotFound, NotPermitted
from discretion.research import commercial, services
from discretion.research.anonymise import FIELDS
from discretion.research.forms import DecisionForm, ExtractForm, SubmissionForm
from discretion.research.models import QueryStatus, RequestStatus
from discretion.staff.models import Staff


def _actor(request: HttpRequest) -> Staff:
    user = request.user
    assert isinstance(user, Staff)
    return user


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/refused.html", {"message": message, "can_break_glass": False}, status=403)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    items = list(services.requests_for(_actor(request))[:500])
    return render(
        request,
        "research/list.html",
        {"items": items, "governance": services.is_research_governance(_actor(request))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if _actor(request).is_supervised:
        return _refused(request, "Volunteers and students cannot submit research requests.")
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.submit_request(_actor(request), form.submission(form.cleaned_data))
            return HttpResponseRedirect(reverse("research:detail", args=[req.pk]))
        except services.InvalidInput as exc:
            form.add_error(None, str(exc))
        except NotPermitted as exc:
            return _refused(request, str(exc))
    return render(
        request, "research/submit.html", {"form": form, "fields": FIELDS}, status=400 if form.errors else 200
    )


def _detail(
    request: HttpRequest,
    request_id: int,
    *,
    decision_form: DecisionForm | None = None,
    extract_form: ExtractForm | None = None,
    error: str | None = None,
    report: dict[str, object] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    try:
        req = services.get_request_for(actor, request_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    governance = services.is_research_governance(actor)
    context = {
        "req": req,
        "fields": [FIELDS[f] for f in req.fields if f in FIELDS],
        "governance": governance,
        "can_decide": governance
        and req.status == RequestStatus.SUBMITTED
        and req.submitted_by_id != actor.pk,
        "can_extract": governance and req.status == RequestStatus.APPROVED,
        "decision_form": decision_form or DecisionForm(),
        "extract_form": extract_form or ExtractForm(),
        "extracts": list(req.extracts.select_related("made_by", "disclosure")),
        "error": error,
        "refusal_report": report,
        "form": decision_form,  # drives the error summary in the layout
    }
    return render(request, "research/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, request_id)


@login_required
@require_http_methods(["POST"])
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_request(
                _actor(request),
                request_id,
                approve=form.cleaned_data["decision"] == "approve",
                reasons=form.cleaned_data["reasons"],
                approve_pseudonyms=form.cleaned_data["approve_pseudonyms"],
                k=form.cleaned_data["k"],
            )
            return HttpResponseRedirect(reverse("research:detail", args=[request_id]))
        except services.InvalidInput as exc:
            form.add_error("reasons", str(exc))
        except NotPermitted as exc:
            return _refused(request, str(exc))
        except NotFound:
            return render(request, "web/not_found.html", status=404)
    return _detail(request, request_id, decision_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def extract(request: HttpRequest, request_id: int) -> HttpResponse:
    form = ExtractForm(request.POST)
    form.is_valid()
    pseudonymised = bool(form.cleaned_data.get("pseudonymised"))
    try:
        result = services.make_extract(_actor(request), request_id, pseudonymised=pseudonymised)
    except services.ExtractRefused as exc:
        return _detail(request, request_id, error=str(exc), report=exc.report.as_dict(), status=400)
    except services.InvalidInput as exc:
        return _detail(request, request_id, error=str(exc), status=400)
    except NotPermitted as exc:
        return _refused(request, str(exc))
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    # The link token and code are shown once and never stored in clear, so this page is the
    # response to the POST itself rather than a redirect.
    return render(request, "research/released.html", {"result": result, "req": result.extract.request})


# --- commercial records (policy 1.3) ---------------------------------------------------------


@login_required
def commercial_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        records = list(commercial.records_for(actor))
    except NotPermitted as exc:
        return _refused(request, str(exc))
    queries = list(commercial.queries_for(actor).filter(status=QueryStatus.OPEN))
    return render(request, "research/commercial_list.html", {"records": records, "queries": queries})


@login_required
@require_http_methods(["GET", "POST"])
def commercial_record(request: HttpRequest, record_id: int) -> HttpResponse:
    actor = _actor(request)
    error = None
    if request.method == "POST":
        try:
            commercial.ask_manager(actor, record_id, reason=request.POST.get("reason", ""))
            return HttpResponseRedirect(reverse("research:commercial-record", args=[record_id]) + "?asked=1")
        except commercial.InvalidInput as exc:
            error = str(exc)
        except NotPermitted as exc:
            return _refused(request, str(exc))
        except NotFound:
            return render(request, "web/not_found.html", status=404)
    try:
        record = commercial.get_record_for(actor, record_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    except (AccessDenied, NotPermitted) as exc:
        status = 400 if error else 403
        return render(
            request,
            "research/commercial_refused.html",
            {
                "message": str(exc),
                "record_id": record_id,
                "error": error,
                "asked": request.GET.get("asked") == "1",
            },
            status=status,
        )
    return render(request, "research/commercial_record.html", {"record": record})


@login_required
@require_http_methods(["POST"])
def commercial_answer(request: HttpRequest, query_id: int) -> HttpResponse:
    try:
        commercial.answer_query(
            _actor(request),
            query_id,
            allow=request.POST.get("allow") == "yes",
            answer=request.POST.get("answer", ""),
        )
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    except commercial.InvalidInput as exc:
        actor = _actor(request)
        return render(
            request,
            "research/commercial_list.html",
            {
                "records": list(commercial.records_for(actor)),
                "error": str(exc),
                "queries": list(commercial.queries_for(actor).filter(status=QueryStatus.OPEN)),
            },
            status=400,
        )
    return HttpResponseRedirect(reverse("research:commercial"))
