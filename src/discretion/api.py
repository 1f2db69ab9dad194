"""The REST API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

Session (with CSRF) or personal bearer-token authentication; every endpoint calls the same
services and access functions as the pages, so the same need-to-know rules apply.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from discretion.errors import DiscretionError
from discretion.staff.models import Staff


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Staff | None:
        from discretion.staff.tokens import staff_for_token
        from discretion.web.middleware import BEARER_STAFF

        # The policy gate (web.middleware) has already looked the token up for this request.
        staff = getattr(request, BEARER_STAFF) if hasattr(request, BEARER_STAFF) else staff_for_token(token)
        if staff is not None:
            request.user = staff
        return staff


class Session(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if isinstance(user, Staff) else None


api = NinjaAPI(
    title="Discretion API",
    version="1",
    description="Information governance for Children's Services. Same rules as the web pages.",
    auth=[Session(), BearerToken()],
    urls_namespace="api",
    # The docs page and the schema only for signed-in staff (ninja serves the page from its own
    # static files: "ninja" is an installed app, so no CDN).
    docs_decorator=login_required,
)


def actor(request: HttpRequest) -> Staff:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, Staff):
        raise HttpError(401, "Sign in or send a bearer token.")
    return user


@api.exception_handler(DiscretionError)
def _refused(request: HttpRequest, exc: DiscretionError) -> HttpResponse:
    """Every service refusal: its own status, `detail` the message (errors.py)."""
    return api.create_response(request, {"detail": str(exc), **exc.extra()}, status=exc.http_status)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", []) if p not in ("body", "payload"))
        messages.append(
            f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid"))
        )
    return api.create_response(request, {"detail": "; ".join(messages) or "Invalid input."}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Sign in or send a bearer token."}, status=401)


# Each area adds its endpoints as a router in `<area>/api.py` (a `router` attribute).
ROUTERS: tuple[tuple[str, str], ...] = (
    ("/records/", "discretion.records.api"),
    ("/requests/", "discretion.requests.api"),
    ("/disclosures/", "discretion.disclosures.api"),
    ("/information-rights/", "discretion.information_rights.api"),
    ("/outbound/", "discretion.outbound.api"),
    ("/staff/", "discretion.staff.api"),
    ("/research/", "discretion.research.api"),
    ("/notifications/", "discretion.notifications.api"),
)
for prefix, module_name in ROUTERS:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        continue
    api.add_router(prefix, module.router)
