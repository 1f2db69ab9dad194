"""What the FOI and subject-access pages share: a page with one form, the action forms of a case
page, and running one posted action (POST-redirect-GET, or the page again with a 400)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from discretion.errors import AccessDenied, InvalidInput, NotFound, NotPermitted
from discretion.staff.models import Staff
from discretion.web import pages


def forbidden_page(request: HttpRequest, exc: Exception) -> HttpResponse:
    return render(
        request,
        "information_rights/message.html",
        {"title": "You cannot do this", "message": str(exc)},
        status=403,
    )


def form_errors(form: django_forms.Form) -> str:
    return "; ".join(str(m) for errors in form.errors.values() for m in errors)


def field_at_fault(bound: django_forms.Form | None, failed: str) -> str:
    """Where the error summary's link goes: the first field in error of the action that failed, or
    the action's own form when the service refused it."""
    if bound is not None and bound.errors:
        name = next(iter(bound.errors))
        if name in bound.fields:
            return str(bound[name].id_for_label or bound[name].auto_id)
    return f"action-{failed}" if failed else ""


# A case-page action: its form (None: a bare button), its title, and the service call.
Action = tuple[type[django_forms.Form] | None, str, Callable[[Staff, int, dict[str, Any]], object]]

# What a service may refuse with: "missing" is a 404, anything else a 403.
REFUSALS = (NotFound, NotPermitted, AccessDenied)


def refused_page(request: HttpRequest, exc: Exception) -> HttpResponse:
    return pages.not_found_page(request) if isinstance(exc, NotFound) else forbidden_page(request, exc)


def form_page(
    request: HttpRequest,
    form: django_forms.Form,
    title: str,
    create: Callable[[Staff, dict[str, Any]], str],
) -> HttpResponse:
    """A page with one form: valid input goes to the service, which gives the page to go to;
    bad input, or a service's "Enter…", is a 400 with the error summary and nothing written."""
    error = ""
    if form.is_bound and form.is_valid():
        try:
            return HttpResponseRedirect(create(pages.actor(request), form.cleaned_data))
        except InvalidInput as exc:
            error = str(exc)
        except REFUSALS as exc:
            return refused_page(request, exc)
    return render(
        request,
        "information_rights/form_page.html",
        {"form": form, "error": error, "title": title},
        status=400 if (form.errors or error) else 200,
    )


def action_forms(
    actions: dict[str, Action], names: Iterable[str], failed: str, bound: django_forms.Form | None
) -> list[dict[str, Any]]:
    """The action forms of a case page, the one that failed still bound to what was typed."""
    shown = []
    for name in names:
        form_class, title, _ = actions[name]
        form = bound if name == failed else (form_class(prefix=name) if form_class else None)
        shown.append({"name": name, "title": title, "form": form})
    return shown


def post_action(
    request: HttpRequest,
    pk: int,
    action: Action,
    prefix: str,
    *,
    show_error: Callable[[django_forms.Form | None, str], HttpResponse],
    next_url: Callable[[object], str],
) -> HttpResponse:
    """Run one action posted from a case page: POST-redirect-GET, or the page again with a 400."""
    form_class, _, call = action
    form = form_class(request.POST, prefix=prefix) if form_class else None
    if form is not None and not form.is_valid():
        return show_error(form, form_errors(form))
    try:
        result = call(pages.actor(request), pk, form.cleaned_data if form is not None else {})
    except InvalidInput as exc:
        return show_error(form, str(exc))
    except REFUSALS as exc:
        return refused_page(request, exc)
    return HttpResponseRedirect(next_url(result))
