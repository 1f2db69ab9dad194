"""Every page, with an unknown id, a bad date or an unknown code, answers 4xx (or a page), never 500."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

BAD_QUERY = (
    "?q=%25&date_of_birth=2025-13-45&received_on=nope&released_from=31/02/2025&status=nope"
    "&kind=nope&page=x&format=csv&person=P0&basis=zzz&team=x&role=nope"
)


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    out: list[str] = []
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if text.startswith(("admin/", "api/")):
                continue
            out += _routes(pattern, text)
        elif isinstance(pattern, URLPattern):
            out.append(text)
    return out


def _concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<int:[^>]+>", "999999", route)
    route = re.sub(r"<(?:str|slug|uuid|path):?[^>]*>", "NOPE999", route)
    return "/" + route


@pytest.mark.parametrize("role", ["information_governance", "team_manager", "practitioner"])
def test_every_page_with_unknown_ids_and_bad_input_is_not_500(world: Any, role: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.staff(role))
    failures = []
    for route in _routes():
        if "(?P" in route or "\\" in route:
            continue
        path = _concrete(route)
        for response in (
            client.get(path),
            client.get(path + BAD_QUERY),
            client.post(path, {"received_on": "2025-02-30", "code": "nope", "reason": "", "decision": "x"}),
        ):
            if response.status_code >= 500:
                failures.append((path, response.status_code))
    assert failures == []


def test_every_page_with_real_ids_and_bad_input_is_not_500(world: Any) -> None:
    from tests.review.test_api_bad_input import _real_world

    igo = world.staff("information_governance")
    ids = _real_world(world, igo)
    from discretion.records.models import Entry

    ids["entry_id"] = str(Entry.objects.order_by("-id").values_list("id", flat=True).first())
    failures = []
    for actor in (igo, world.staff("practitioner")):
        client = Client(raise_request_exception=False)
        client.force_login(actor)
        for route in _routes():
            path = route
            if route.startswith("information-rights/requests/"):
                path = path.replace("<int:pk>", ids["info"])
            if route.startswith("information-rights/sar/"):
                path = path.replace("<int:pk>", ids["sar_id"])
            if route.startswith("research/"):
                path = path.replace("<int:request_id>", ids["research"])
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids.get(m.group(1), "999999"), path)
            path = "/" + path
            for response in (
                client.get(path + BAD_QUERY),
                client.post(
                    path,
                    {
                        "received_on": "2025-02-30",
                        "due_on": "nope",
                        "code": "nope",
                        "reason": "x",
                        "decision": "x",
                        "outcome": "nope",
                        "exemption": "s99",
                        "days": "x",
                        "channel": "pigeon",
                        "route": "nope",
                        "entries": ["x", "999999"],
                        "person": ["nope"],
                        "include": "maybe",
                    },
                ),
            ):
                if response.status_code >= 500:
                    failures.append((actor.role, path, response.status_code))
    assert failures == []


def test_every_case_page_action_with_bad_input_is_not_500(world: Any) -> None:
    from discretion.information_rights import foi_views, sar_views
    from tests.review.test_api_bad_input import _real_world

    igo = world.staff("information_governance")
    ids = _real_world(world, igo)
    client = Client(raise_request_exception=False)
    client.force_login(igo)
    bad = {
        "received_on": "2025-02-30",
        "due_on": "nope",
        "decision": "maybe",
        "outcome": "nope",
        "exemption": "s99",
        "days": "x",
        "redaction": "999999",
        "review": "999999",
        "attachment": "999999",
        "entry": "999999",
        "start": "-5",
        "end": "x",
        "reason": "nope",
        "include": "maybe",
        "note": "",
    }
    failures = []
    for prefix, names, pk in (
        ("requests", foi_views.REQUEST_ACTIONS, ids["info"]),
        ("sar", sar_views.SAR_ACTIONS, ids["sar_id"]),
    ):
        for name in names:
            path = f"/information-rights/{prefix}/{pk}/{name}/"
            for data in (bad, {f"{name}-{k}": v for k, v in bad.items()}, {}):
                response = client.post(path, data)
                if response.status_code >= 500:
                    failures.append((path, response.status_code))
    assert failures == []
