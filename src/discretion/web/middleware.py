"""Request plumbing: who and where for the audit log; the policy acknowledgement gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from discretion.audit.context import AuditContext, reset_context, set_context
from discretion.audit.services import session_digest
from discretion.staff.tokens import BEARER_STAFF as BEARER_STAFF


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path_info.startswith("/api/") else "web"
        session_key = request.session.session_key if hasattr(request, "session") else None
        token = set_context(
            AuditContext(
                ip=request.META.get("REMOTE_ADDR", ""), session=session_digest(session_key), channel=channel
            )
        )
        try:
            return self.get_response(request)
        finally:
            from discretion.access import flush_pending_refusals

            flush_pending_refusals()
            reset_context(token)


class PolicyAcknowledgementMiddleware:
    """The one policy gate in front of every page and every API operation (policy 1.2: staff see no
    personal data until they acknowledge the current policy). A session or a bearer token whose
    member of staff has not acknowledged the current version reaches only signing in and out, the
    policy itself and static files: a page redirects to the policy, an API call gets 403 (audited).
    Checked on every request, so a version published mid-session is asked for at once. Views and
    endpoints need not (and do not) repeat it: a new one cannot forget it."""

    OPEN_PREFIXES = (
        "/sign-in",
        "/sign-out",
        "/policy",
        "/static",
        "/health",
        "/admin/login",
        "/disclosures/download/",  # the recipient's public page, behind its own link and code
        "/api/staff/policy/",  # reading and acknowledging the policy itself
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.OPEN_PREFIXES):
            return self.get_response(request)
        staff = _signed_in_staff(request)
        if staff is not None:
            from discretion.access import has_acknowledged_current_policy

            if not has_acknowledged_current_policy(staff):
                return self._refuse(request, staff)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, staff: Any) -> HttpResponse:
        if not _wants_json(request):
            return HttpResponseRedirect(reverse("web:acknowledge-policy") + f"?next={request.path}")
        from django.http import JsonResponse

        from discretion.access import refusal

        refusal(
            staff,
            "policy.gate",
            "The current policy is not acknowledged.",
            details={"path": request.path[:200]},
        )
        return JsonResponse(
            {"detail": "Read and acknowledge the current Confidentiality Policy first (policy 1.2)."},
            status=403,
        )


def _signed_in_staff(request: HttpRequest) -> Any:
    """The member of staff behind this request: the session's, or for the API a bearer token's
    (remembered on the request so the API's own authentication does not look it up twice)."""
    if _wants_json(request):
        # Parsed exactly as the API's own authentication parses it (any case of "Bearer"), so the
        # gate never lets through a token the API would then accept.
        parts = request.headers.get("Authorization", "").split(" ")
        if parts[0].lower() == "bearer" and len(parts) > 1:
            from discretion.staff.tokens import staff_for_token

            staff = staff_for_token(" ".join(parts[1:]).strip())
            setattr(request, BEARER_STAFF, staff)
            return staff
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class SessionLimitsMiddleware:
    """Idle sessions end, and a new complete sign-in (second factor passed) ends the account's
    older session (policy 1.2: an account is one person's; an unattended or forgotten session is
    someone else's way in). A password alone ends nothing: it may be the stolen one.

    Installed after AuditContextMiddleware, so the ending is audited with its address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib.auth import SESSION_KEY

        from discretion.staff import security

        session = getattr(request, "session", None)
        key_before = session.session_key if session is not None else None
        staff_id = session.get(SESSION_KEY) if session is not None else None
        if session is not None and staff_id is not None:
            now = security.now_seconds()
            last_seen = session.get(security.LAST_SEEN_KEY)
            sign_in_seq = session.get(security.SIGN_IN_SEQ_KEY)
            if security.is_idle(last_seen, now):
                return self._end(request, int(staff_id), "idle")
            if sign_in_seq is not None and self._superseded(request, int(staff_id), int(sign_in_seq)):
                return self._end(request, int(staff_id), "elsewhere")
            if last_seen is None or now - last_seen >= security.LAST_SEEN_GRANULARITY_SECONDS:
                session[security.LAST_SEEN_KEY] = now
        response = self.get_response(request)
        # A session the sign-in sequence did not mark (staff.security marks each step) gets the
        # account's latest complete sign-in; later complete sign-ins supersede it.
        session = getattr(request, "session", None)
        if session is not None and not getattr(request, security.MARKED_ATTR, False):
            staff_id = session.get(SESSION_KEY)
            fresh = session.session_key != key_before or security.SIGN_IN_SEQ_KEY not in session
            if staff_id is not None and fresh:
                session[security.SIGN_IN_SEQ_KEY] = security.latest_sign_in_seq(int(staff_id))
                session[security.LAST_SEEN_KEY] = security.now_seconds()
        return response

    @staticmethod
    def _superseded(request: HttpRequest, staff_id: int, sign_in_seq: int) -> bool:
        from discretion.staff import security, signed_in

        # The account as the session loads it carries the answer (staff.signed_in: one query).
        known = signed_in.superseded(getattr(request, "user", None), staff_id, sign_in_seq)
        return security.is_superseded(staff_id, sign_in_seq) if known is None else known

    def _end(self, request: HttpRequest, staff_id: int, why: str) -> HttpResponse:
        from urllib.parse import urlencode

        from django.contrib.auth import logout
        from django.http import JsonResponse

        from discretion.staff import security

        security.record_session_ended(staff_id, why)
        logout(request)
        if _wants_json(request):
            return JsonResponse({"detail": "Your session has ended. Sign in again."}, status=401)
        query = {"signed_out": why}
        if request.method == "GET" and not request.path_info.startswith("/sign-"):
            query["next"] = request.get_full_path()
        return HttpResponseRedirect(reverse("web:sign-in") + "?" + urlencode(query))


class TwoFactorMiddleware:
    """A signed-in session that has not passed the two-factor step reaches only that step,
    sign-out and static files; the API refuses it (bearer tokens are checked separately).
    UK GDPR Art 32; policy 1.2 (a password alone can be shared or guessed)."""

    OPEN_PREFIXES = ("/sign-in/two-factor", "/sign-out", "/static", "/health")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from urllib.parse import urlencode

        from discretion.staff import security

        user = getattr(request, "user", None)
        if user is None or not security.needs_two_factor(user):
            return self.get_response(request)
        if _wants_json(request):
            if request.headers.get("Authorization", "").split(" ")[0].lower() == "bearer":
                from django.contrib.auth.models import AnonymousUser

                # The unverified session does not count; the bearer token must stand alone.
                request.user = AnonymousUser()
                return self.get_response(request)
            from django.http import JsonResponse

            return JsonResponse(
                {"detail": "Enter your two-factor code in the web sign-in first, or send a bearer token."},
                status=401,
            )
        if request.path_info.startswith(self.OPEN_PREFIXES):
            return self.get_response(request)
        next_url = request.get_full_path() if request.method == "GET" else reverse("web:home")
        return HttpResponseRedirect(reverse("web:two-factor") + "?" + urlencode({"next": next_url}))
