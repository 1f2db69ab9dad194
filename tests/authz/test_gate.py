"""One policy gate for pages and API alike (policy 1.2; issue "Close every door", finding 5), and the
same answer for forbidden and missing (finding 7). Every URL pattern and every operation in the
OpenAPI document is walked, so a new one cannot forget the gate."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from discretion.audit.models import AuditEvent

from .test_matrix import _api_operations, _page_routes

pytestmark = pytest.mark.django_db

# What a member of staff who has not acknowledged the current policy may still reach.
OPEN_PAGES = {
    "web:sign-in",
    "web:two-factor",
    "web:two-factor-set-up",
    "web:sign-out",
    "web:oidc-sign-in",
    "web:oidc-callback",
    "web:acknowledge-policy",
    "web:health",
    "disclosures:download",
}
OPEN_API = {("get", "/api/staff/policy/current"), ("post", "/api/staff/policy/acknowledge")}


def _concrete(route: str) -> str:
    route = re.sub(r"<int:\w+>|\{\w*_id\}|\{pk\}", "1", route)
    return re.sub(r"<(?:\w+:)?\w+>|\{\w+\}", "x", route)


@pytest.fixture
def newcomer(world: Any) -> Any:
    """A practitioner allocated to a case, who has not acknowledged the current policy."""
    team = world.team()
    member = world.staff("practitioner", team=team, acknowledged=False)
    world.case(world.person(), team, workers=(member,))
    return member


def test_every_page_waits_for_the_policy(newcomer: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(newcomer)
    leaks = []
    for name, route in _page_routes().items():
        if name in OPEN_PAGES:
            continue
        path = _concrete(route)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if response.status_code != 302 or not response["Location"].startswith("/policy/acknowledge/"):
                leaks.append((method, path, response.status_code))
    assert leaks == []


def test_every_api_operation_waits_for_the_policy_by_session_and_by_token(newcomer: Any) -> None:
    from discretion.staff.tokens import issue_api_token

    session = Client(raise_request_exception=False)
    session.force_login(newcomer)
    token = issue_api_token(newcomer, name="a system")
    bearer = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})
    leaks = []
    for method, path in _api_operations():
        if (method, path) in OPEN_API:
            continue
        url = _concrete(path)
        for client in (session, bearer):
            response = getattr(client, method)(url, {}, content_type="application/json")
            if response.status_code != 403 or "Confidentiality Policy" not in response.json()["detail"]:
                leaks.append((method, url, response.status_code))
    assert leaks == []
    assert AuditEvent.objects.filter(action="policy.gate.refused", actor_id=newcomer.pk).exists()
    # Acknowledging through the API opens the door.
    assert session.post("/api/staff/policy/acknowledge").json()["acknowledged"] is True
    assert session.get("/api/records/people?q=x").status_code == 200


def _page(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)  # masked per response


@pytest.mark.parametrize("role", ["press_office", "administrator", "volunteer", "student"])
def test_a_role_that_cannot_break_glass_cannot_tell_forbidden_from_missing(world: Any, role: str) -> None:
    team = world.team()
    sponsor = world.staff(team=team)
    member = (
        world.staff(employment_type=role, responsible=sponsor, team=team)
        if role in ("volunteer", "student")
        else world.staff(role)
    )
    child = world.person("Kayden", "Walsh")
    case = world.case(child, team, workers=(sponsor,))
    entry = world.entry(case, "Visit")
    client = Client(raise_request_exception=False)
    client.force_login(member)
    pairs = [
        (f"/api/records/people/{child.ref}", "/api/records/people/P000000"),
        (f"/api/records/cases/{case.ref}", "/api/records/cases/C000000"),
        (f"/api/disclosures/people/{child.ref}", "/api/disclosures/people/P000000"),
    ]
    for real, missing in pairs:
        a, b = client.get(real), client.get(missing)
        assert (a.status_code, a.json()) == (b.status_code, b.json()) == (404, b.json())
    for real, missing in (
        (f"/people/{child.ref}/", "/people/P000000/"),
        (f"/cases/{case.ref}/", "/cases/C000000/"),
        (f"/entries/{entry.pk}/", "/entries/999999/"),
    ):
        a, b = client.get(real), client.get(missing)
        assert a.status_code == b.status_code == 404
        assert _page(a.content) == _page(b.content)
    # Search names no record they may not open, not even by reference.
    found = client.get("/api/records/people?q=Walsh").json()
    assert found == {"people": [], "restricted_refs": []}
    # Every refused look is audited even so.
    assert AuditEvent.objects.filter(action="access.refused", actor_id=member.pk).count() == 6


def test_a_role_that_can_break_glass_is_told_and_can_ask(world: Any) -> None:
    team = world.team()
    child = world.person("Kayden", "Walsh")
    world.case(child, team, workers=(world.staff(team=team),))
    client = Client(raise_request_exception=False)
    client.force_login(world.staff("practitioner", team=world.team()))
    response = client.get(f"/api/records/people/{child.ref}")
    assert response.status_code == 403 and response.json()["can_break_glass"] is True
    assert client.get("/api/records/people?q=Walsh").json()["restricted_refs"] == [child.ref]
