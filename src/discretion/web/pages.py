"""What every page view shares: the signed-in actor, and one page for each refusal.

`error_page` is the page front of `discretion.errors`: a view that catches a service's refusal
renders it here; one it does not catch is rendered here by `RefusalMiddleware`, so a page never
shows a refusal as a server error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from discretion.errors import AccessDenied, DiscretionError, NotFound
from discretion.staff.models import Staff


def actor(request: HttpRequest) -> Staff:
    """The signed-in member of staff (views are behind `login_required` and the policy gate)."""
    user = request.user
    assert isinstance(user, Staff)
    return user


def not_found_page(request: HttpRequest) -> HttpResponse:
    """The same dull 404 for "missing" and "forbidden"."""
    return render(request, "web/not_found.html", status=404)


def refused_page(
    request: HttpRequest, message: str, *, case_ref: str | None = None, can_break_glass: bool = False
) -> HttpResponse:
    """403: the refusal in the users' words (it has been audited by the service)."""
    return render(
        request,
        "web/refused.html",
        {"message": message, "case_ref": case_ref, "can_break_glass": can_break_glass},
        status=403,
    )


def error_page(request: HttpRequest, exc: DiscretionError, *, case_ref: str | None = None) -> HttpResponse:
    """The page for a service's refusal: 404 for NotFound, 403 with break-glass where it could
    open the record, 403 for anything else refused, 400 for bad input that reached no form."""
    if isinstance(exc, NotFound):
        return not_found_page(request)
    if isinstance(exc, AccessDenied):
        return refused_page(request, str(exc), case_ref=case_ref, can_break_glass=exc.can_break_glass)
    if exc.http_status == 403:
        return refused_page(request, str(exc))
    return render(
        request,
        "web/bad_request.html",
        {"message": str(exc)},
        status=exc.http_status,
    )


class RefusalMiddleware:
    """Renders a refusal no page view caught (the API answers its own through django-ninja)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DiscretionError) or request.path.startswith("/api/"):
            return None
        return error_page(request, exception)
