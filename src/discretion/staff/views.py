"""Thin views for staff duties and misuse alerts (policy 1.2)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from discretion.access import break_glass_trail
from discretion.errors import InvalidInput, NotFound, NotPermitted
from discretion.staff import services
from discretion.staff.forms import InductionForm, PublishPolicyForm, ReviewAlertForm
from discretion.staff.models import AlertKind, Briefing, Staff
from discretion.web.pages import actor as _actor
from discretion.web.pages import refused_page


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    rows = services.compliance(_actor(request))  # NotPermitted: the refused page
    if request.GET.get("format") == "csv":
        response = HttpResponse(services.compliance_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="staff-compliance.csv"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "staff/compliance.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def record_induction(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    starters = services.overseen_staff(actor).filter(is_active=True).order_by("last_name", "username")
    form = InductionForm(request.POST or None, starters=starters)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_induction(
                actor,
                form.cleaned_data["staff"].pk,
                discussed_on=form.cleaned_data["discussed_on"],
                notes=form.cleaned_data["notes"],
            )
            return HttpResponseRedirect(reverse("staff:compliance"))
        except InvalidInput as exc:
            form.add_error("discussed_day", str(exc))
        except NotPermitted as exc:
            form.add_error("staff", str(exc))
    return render(request, "staff/induction.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def supervisees(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    people = list(Staff.objects.filter(responsible_staff=actor).order_by("last_name", "username"))
    briefed = set(Briefing.objects.filter(staff__in=people).values_list("staff_id", flat=True))
    rows = [{"staff": p, "briefed": p.pk in briefed} for p in people]
    return render(request, "staff/supervisees.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def activate_supervised(request: HttpRequest, staff_id: int) -> HttpResponse:
    actor = _actor(request)
    member = Staff.objects.filter(pk=staff_id, responsible_staff=actor).first()
    if member is None:
        return refused_page(request, "Only the named responsible member of staff can confirm the briefing.")
    error = None
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = "Confirm that you have briefed them on confidentiality"
        else:
            try:
                services.activate_supervised(actor, staff_id)
                return HttpResponseRedirect(reverse("staff:supervisees"))
            except (InvalidInput, NotPermitted) as exc:
                error = str(exc)
    return render(
        request, "staff/activate.html", {"member": member, "error": error}, status=400 if error else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish_policy(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not services.is_governance(actor):
        return refused_page(
            request, "Only information governance or an administrator can publish the policy."
        )
    form = PublishPolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_policy_version(actor, **form.cleaned_data)
            return HttpResponseRedirect(reverse("staff:compliance"))
        except InvalidInput as exc:
            form.add_error("version", str(exc))
    return render(request, "staff/publish_policy.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    items = list(services.alerts_for(actor, open_only=request.GET.get("show") != "all")[:500])
    return render(
        request, "staff/alerts.html", {"alerts": items, "show_all": request.GET.get("show") == "all"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    actor = _actor(request)
    form = ReviewAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_alert(
                actor, alert_id, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
            )
            return HttpResponseRedirect(reverse("staff:alert", args=[alert_id]))
        except InvalidInput as exc:
            form.add_error("outcome", str(exc))
        except NotPermitted as exc:
            form.add_error(None, str(exc))
    item = services.get_alert_for(actor, alert_id)  # NotFound, NotPermitted: their pages
    history = services.alert_history(item)
    names = Staff.objects.in_bulk({e.actor_id for e in history if e.actor_id})
    rows = [
        {
            "event": e,
            "staff": names.get(e.actor_id) if e.actor_id else None,
            "what": HISTORY_LABELS.get(e.action, e.action),
        }
        for e in history
    ]
    trail = None
    if item.kind == AlertKind.BREAK_GLASS:
        try:
            trail = break_glass_trail(actor, item.pk)
        except NotFound:
            trail = None
    return render(
        request,
        "staff/alert.html",
        {"alert": item, "form": form, "history": rows, "evidence": _evidence(item), "trail": trail},
        status=400 if form.errors else 200,
    )


HISTORY_LABELS = {
    "alert.raised": "Raised",
    "alert.read": "Read",
    "alert.reviewed": "Reviewed",
}
EVIDENCE_LABELS = {
    "reason": "Reason given",
    "request": "Request",
    "cases": "Cases opened",
    "agreed_by": "Agreed by",
    "category": "Who was asking",
    "people": "People concerned",
    "what": "What",
    "events": "Audit events",
    "count": "How many",
    "date": "Date",
    "end_on": "Account end date",
    "from": "From",
    "local_time": "Local time",
    "role": "Role",
    "sessions": "Sessions",
    "addresses": "Network addresses",
}


def _evidence(alert: Any) -> list[tuple[str, str]]:
    """The alert's evidence in plain words: references and counts, not internal ids."""
    from discretion.records.models import Case
    from discretion.requests.forms import CATEGORY_LABELS

    rows: list[tuple[str, str]] = []
    for key, value in alert.evidence.items():
        if key == "break_glass":
            continue  # shown as the access itself, with what was opened
        label = EVIDENCE_LABELS.get(key, key.replace("_", " ").capitalize())
        if key == "cases" and isinstance(value, list):
            text = ", ".join(Case.objects.filter(pk__in=value).order_by("ref").values_list("ref", flat=True))
        elif key == "agreed_by":
            text = str(Staff.objects.filter(pk=value).first() or "")
        elif key == "request":
            text = f"Request {value}"
        elif key == "category":
            text = CATEGORY_LABELS.get(str(value), str(value))
        elif key in ("people", "events", "sessions") and isinstance(value, list):
            text = f"{len(value)}"
        elif isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        rows.append((label, text))
    return rows
