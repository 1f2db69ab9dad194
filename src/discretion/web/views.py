"""Thin views: parse the request, call access or a service, render a GOV.UK page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from discretion import access
from discretion.errors import InvalidInput
from discretion.records import services as records
from discretion.staff import security
from discretion.staff.models import PolicyVersion, Staff
from discretion.web.forms import (
    AcknowledgeForm,
    AttachmentForm,
    BreakGlassForm,
    SearchForm,
    SignInForm,
    TwoFactorForm,
)
from discretion.web.pages import actor as _actor
from discretion.web.pages import error_page, not_found_page

# Old names, kept while the pages of requests/ and disclosures/ still import them from here.
refused = error_page
not_found = not_found_page


SIGNED_OUT_NOTICES = {
    "idle": "You were signed out because you had not used Discretion for {minutes} minutes.",
    "elsewhere": "You were signed out because your account signed in somewhere else. "
    "If that was not you, tell your manager and the IT service desk now.",
}


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if security.two_factor_required():
            return reverse("web:two-factor") + "?" + urlencode({"next": url})
        return url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        notice = SIGNED_OUT_NOTICES.get(self.request.GET.get("signed_out", ""))
        context["notice"] = notice.format(minutes=security.idle_seconds() // 60) if notice else None
        return context


def _next_url(request: HttpRequest) -> str:
    next_url = request.GET.get("next") or request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return reverse("web:home")
    return next_url


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Sign-in step 2: a code from the authenticator app (UK GDPR Art 32; policy 1.2)."""
    actor = _actor(request)
    next_url = _next_url(request)
    if security.is_verified(actor):
        return HttpResponseRedirect(next_url)
    if security.is_locked_out(request, actor):
        return security.end_locked_sign_in(request, actor)
    if not security.has_device(actor):
        return HttpResponseRedirect(reverse("web:two-factor-set-up") + "?" + urlencode({"next": next_url}))
    form = TwoFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = security.verify_code(actor, form.cleaned_data["code"])
        except security.InvalidCode as exc:
            if security.second_factor_failed(request, actor):
                return security.end_locked_sign_in(request, actor)
            form.add_error("code", str(exc))
        else:
            otp_login(request, device)
            # Only now does the sign-in count (and end the account's older session).
            security.complete_sign_in(request, actor, second_factor="authenticator")
            return HttpResponseRedirect(next_url)
    return render(
        request, "web/two_factor.html", {"form": form, "next": next_url}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """First sign-in: add an authenticator app, confirmed with a code from it."""
    actor = _actor(request)
    next_url = _next_url(request)
    if security.has_device(actor):
        # A second device needs its own journey from a verified session; never from here.
        return HttpResponseRedirect(reverse("web:two-factor") + "?" + urlencode({"next": next_url}))
    if security.is_locked_out(request, actor):
        return security.end_locked_sign_in(request, actor)
    form = TwoFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = security.confirm_device(actor, form.cleaned_data["code"])
        except security.InvalidCode as exc:
            if security.second_factor_failed(request, actor):
                return security.end_locked_sign_in(request, actor)
            form.add_error("code", str(exc))
        else:
            otp_login(request, device)
            security.complete_sign_in(request, actor, second_factor="authenticator")
            return HttpResponseRedirect(next_url)
    device = security.pending_device(actor)
    context = {
        "form": form,
        "next": next_url,
        "secret": security.secret_for_display(device),
        "otpauth_uri": device.config_url,
        "qr_svg": mark_safe(security.qr_code_svg(device)),  # noqa: S308  (drawn by segno from our own URI)
    }
    response = render(request, "web/two_factor_set_up.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    logout(request)
    return HttpResponseRedirect(reverse("web:sign-in"))


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge_policy(request: HttpRequest) -> HttpResponse:
    policy = PolicyVersion.current()
    next_url = request.GET.get("next") or request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("web:home")
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and policy is not None:
        from discretion.staff.services import acknowledge_current_policy

        acknowledge_current_policy(_actor(request))
        return HttpResponseRedirect(next_url)
    return render(
        request,
        "web/acknowledge.html",
        {"policy": policy, "form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home is their work: the queues it owns, urgent first (web.worklist)."""
    from discretion.web.worklist import work_for

    return render(request, "web/home.html", {"work": work_for(_actor(request))})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        results = access.search_people(
            _actor(request),
            form.cleaned_data.get("q") or "",
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
    return render(
        request, "web/search.html", {"form": form, "results": results}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, ref: str) -> HttpResponse:
    actor = _actor(request)
    error: str | None = None
    if request.method == "POST":
        try:
            records.update_identifiers(actor, ref, nhs_number=request.POST.get("nhs_number", ""))
            return HttpResponseRedirect(reverse("web:person", args=[ref]))
        except (InvalidInput, access.NotPermitted) as exc:
            error = str(exc)
    try:
        view = access.get_person_for(actor, ref=ref)
    except access.AccessDenied as exc:
        case_ref = None
        if exc.case_id is not None:
            from discretion.records.models import Case

            case_ref = Case.objects.filter(pk=exc.case_id).values_list("ref", flat=True).first()
        return error_page(request, exc, case_ref=case_ref)
    return render(request, "web/person.html", {"view": view, "error": error}, status=400 if error else 200)


@login_required
def case(request: HttpRequest, ref: str) -> HttpResponse:
    from discretion.records import sharing

    actor = _actor(request)
    try:
        view = access.get_case_for(actor, ref=ref)
    except access.AccessDenied as exc:
        return error_page(request, exc, case_ref=ref)
    supervisees = sharing.supervisees_of(actor) if view.grant.basis == access.Basis.ALLOCATED else []
    shares = sharing.shares_on(actor, view.case.pk) if supervisees else []
    shared_with = {share.supervisee_id for share in shares}
    return render(
        request,
        "web/case.html",
        {
            "view": view,
            "shares": shares,
            "can_share": [s for s in supervisees if s.pk not in shared_with],
            "error": request.session.pop("share_error", ""),
        },
    )


@login_required
@require_http_methods(["POST"])
def case_shares(request: HttpRequest, ref: str) -> HttpResponse:
    """The responsible member of staff shares this case with a volunteer or student, or stops."""
    from discretion.records import sharing

    actor = _actor(request)
    username = request.POST.get("supervisee", "")
    try:
        if request.POST.get("action") == "stop":
            sharing.stop_sharing(actor, ref=ref, supervisee_username=username)
        else:
            sharing.share_case(actor, ref=ref, supervisee_username=username)
    except access.AccessDenied as exc:
        return error_page(request, exc, case_ref=ref)
    except access.NotPermitted as exc:
        request.session["share_error"] = str(exc)
    return HttpResponseRedirect(reverse("web:case", args=[ref]) + "#sharing")


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = _actor(request)
    form = AttachmentForm()
    status = 200
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                records.add_attachment(
                    actor,
                    entry_id,
                    upload,
                    name=upload.name,
                    content_type=upload.detected_content_type,
                    size=upload.size,
                )
                return HttpResponseRedirect(reverse("web:entry", args=[entry_id]))
            except access.NotPermitted as exc:
                form.add_error("file", str(exc))
        status = 400
    item, grant = access.get_entry_for(actor, entry_id)
    context: dict[str, Any] = {
        "entry": item,
        "grant": grant,
        "form": form,
        "attachments": list(item.attachments.all()),
    }
    return render(request, "web/entry.html", context, status=status)


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse | FileResponse:
    item = access.open_attachment_for(_actor(request), attachment_id)
    response = FileResponse(
        item.file.open("rb"), content_type=item.content_type, as_attachment=True, filename=item.original_name
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, ref: str) -> HttpResponse:
    from discretion.records.models import Case

    actor = _actor(request)
    # The role is checked before the reference is looked up, so a refused role cannot probe refs.
    if not access.can_break_glass(actor):
        return error_page(
            request, access.refusal(actor, "access.break_glass", "Your role cannot use break-glass access.")
        )
    case_id = Case.objects.filter(ref=ref).values_list("pk", flat=True).first()
    if case_id is None:
        return not_found_page(request)
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        access.break_glass(actor, case_id, form.cleaned_data["reason"])
        return HttpResponseRedirect(reverse("web:case", args=[ref]))
    return render(
        request, "web/break_glass.html", {"form": form, "ref": ref}, status=400 if form.errors else 200
    )


@login_required
def who_has_viewed(request: HttpRequest, ref: str) -> HttpResponse:
    subject, events = access.who_has_viewed(_actor(request), ref)
    staff = Staff.objects.in_bulk({e.actor_id for e in events if e.actor_id})
    rows = [{"event": e, "staff": staff.get(e.actor_id) if e.actor_id else None} for e in events]
    return render(request, "web/who_has_viewed.html", {"subject": subject, "rows": rows})


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
