"""Request plumbing: who and where for the audit log; the policy acknowledgement gate."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from discretion.audit.services import AuditContext, reset_context, session_digest, set_context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
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
    """policy 1.2: staff see no personal data until they acknowledge the current policy."""

    OPEN_PREFIXES = ("/sign-in", "/sign-out", "/policy", "/static", "/api/", "/admin/login", "/health")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.OPEN_PREFIXES):
            from discretion.access import has_acknowledged_current_policy

            # Checked on every request, so a version published mid-session is asked for at once.
            if not has_acknowledged_current_policy(user):
                return HttpResponseRedirect(reverse("web:acknowledge-policy") + f"?next={request.path}")
        return self.get_response(request)
