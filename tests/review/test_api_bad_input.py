"""Every API path, called with a non-existent id or a bad body, answers 4xx, never 500."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BAD_BODIES: list[tuple[str, str]] = [
    ("malformed", "{not json"),
    ("empty object", "{}"),
    (
        "wrong types",
        '{"received_on": "2025-02-30", "date_of_birth": "yesterday", "code": "no-such-code",'
        ' "purpose": "no-such-purpose", "kind": "no-such-kind", "decision": "maybe", "request_id": "x",'
        ' "to": 5, "subject": [], "body": {}}',
    ),
    ("list", "[1, 2, 3]"),
]


def _operations(client: Client) -> list[tuple[str, str]]:
    schema: dict[str, Any] = client.get("/api/openapi.json").json()
    ops = []
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.append((method, re.sub(r"\{[^}]+\}", "999999", path)))
    return ops


@pytest.fixture
def igo_client(world: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.staff("information_governance"))
    return client


def test_openapi_lists_paths(igo_client: Client) -> None:
    assert len(_operations(igo_client)) > 20


@pytest.mark.parametrize("role", ["information_governance", "practitioner", "research_governance"])
def test_every_path_with_unknown_ids_and_bad_bodies_is_4xx(world: Any, role: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.staff(role))
    failures = []
    for method, path in _operations(client):
        if method == "get":
            for query in ("", "?q=%00&date_of_birth=2025-13-45&received_on=nope&status=nope&limit=-1&page=x"):
                status = client.get(path + query).status_code
                if status >= 500:
                    failures.append((method, path + query, status))
        else:
            for name, body in BAD_BODIES:
                call = getattr(client, method)
                status = call(path, data=body, content_type="application/json").status_code
                if status >= 500:
                    failures.append((method, path, name, status))
    assert failures == []


def _real_world(world: Any, igo: Any) -> dict[str, str]:
    """One real row per path parameter, so bad bodies reach the services, not just the 404."""
    import datetime as dt

    from discretion.information_rights.models import InfoRequest, Redaction, SarCase
    from discretion.records.models import Attachment
    from discretion.requests.models import Request
    from discretion.research.models import CommercialRecord, ResearchRequest
    from discretion.staff.models import Alert

    team = world.team()
    worker = world.staff(team=team)
    child = world.person()
    case = world.case(child, team, workers=(worker,))
    entry = world.entry(case)
    attachment = Attachment.objects.filter(entry=entry).first()
    today = dt.date(2025, 3, 3)
    req = Request.objects.create(handler=worker, requester_name="A Caller")
    info = InfoRequest.objects.create(
        ref="FOI-1",
        requester_name="A",
        requester_contact="a@example.org",
        channel="email",
        received_on=today,
        wording="How many?",
        due_on=today,
        created_by=igo,
    )
    sar = SarCase.objects.create(
        ref="SAR-1",
        requester_name="A",
        requester_contact="a@example.org",
        requester_kind="subject",
        received_on=today,
        due_on=today,
        created_by=igo,
        subject=child,
    )
    redaction = Redaction.objects.create(
        sar=sar, entry_id=entry.pk, start=0, end=4, text="Home", reason="third_party"
    )
    research = ResearchRequest.objects.create(
        title="T",
        purpose="P",
        lawful_basis="L",
        retention="1 year",
        audience="A",
        requester_name="R",
        submitted_by=igo,
    )
    alert = Alert.objects.create(kind="break_glass", subject_staff=worker, summary="s")
    record = CommercialRecord.objects.first()
    ids = {
        "ref": case.ref,
        "request_id": str(req.pk),
        "sar_id": str(sar.pk),
        "redaction_id": str(redaction.pk),
        "attachment_id": str(attachment.pk if attachment else 999999),
        "review_id": "999999",
        "staff_id": str(worker.pk),
        "alert_id": str(alert.pk),
        "record_id": str(record.pk if record else 999999),
    }
    return {"info": str(info.pk), "research": str(research.pk), **ids}


@pytest.mark.parametrize("role", ["information_governance", "team_manager", "research_governance"])
def test_every_path_with_real_ids_and_bad_bodies_is_4xx(world: Any, role: str) -> None:
    igo = world.staff("information_governance")
    ids = _real_world(world, igo)
    client = Client(raise_request_exception=False)
    client.force_login(igo if role == "information_governance" else world.staff(role))
    schema: dict[str, Any] = client.get("/api/openapi.json").json()
    failures = []
    for template, methods in schema["paths"].items():
        path = template
        if template.startswith("/api/information-rights/requests/"):
            path = path.replace("{request_id}", ids["info"])
        if template.startswith("/api/research/requests/"):
            path = path.replace("{request_id}", ids["research"])
        path = re.sub(r"\{([^}]+)\}", lambda m: ids.get(m.group(1), "999999"), path)
        for method in methods:
            if method == "get":
                for query in ("", "?q=x&date_of_birth=2025-13-45&received_on=nope&status=nope&limit=-1"):
                    status = client.get(path + query).status_code
                    if status >= 500:
                        failures.append((method, path + query, status))
                continue
            for name, body in BAD_BODIES:
                status = getattr(client, method)(path, data=body, content_type="application/json").status_code
                if status >= 500:
                    failures.append((method, path, name, status))
    assert failures == []


def _plausible(schema: dict[str, Any], components: dict[str, Any], flavour: int) -> Any:
    """A value that passes the schema's types but is wrong in meaning: unknown codes, far dates,
    ids that do not exist, empty text."""
    if "$ref" in schema:
        return _plausible(components[schema["$ref"].rsplit("/", 1)[1]], components, flavour)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _plausible(options[0], components, flavour)
    if "enum" in schema:
        return schema["enum"][-1]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: _plausible(sub, components, flavour) for name, sub in props.items()}
    if kind == "array":
        return [] if flavour == 0 else [_plausible(schema.get("items", {}), components, flavour)]
    if kind == "integer":
        return [999999, 0, -1][flavour]
    if kind == "number":
        return [1e12, 0, -1][flavour]
    if kind == "boolean":
        return flavour == 1
    if schema.get("format") == "date":
        return ["1900-01-01", "2999-12-31", "2025-02-28"][flavour]
    if schema.get("format") == "date-time":
        return ["1900-01-01T00:00:00Z", "2999-12-31T00:00:00Z", "2025-02-28T00:00:00"][flavour]
    if schema.get("format") == "email":
        return "nobody@example.invalid"
    return ["no-such-code", "", "   "][flavour]


def test_every_body_with_right_types_but_wrong_meaning_is_4xx(world: Any) -> None:
    igo = world.staff("information_governance")
    ids = _real_world(world, igo)
    client = Client(raise_request_exception=False)
    client.force_login(igo)
    schema: dict[str, Any] = client.get("/api/openapi.json").json()
    components = schema.get("components", {}).get("schemas", {})
    failures = []
    seen: set[int] = set()
    for template, methods in schema["paths"].items():
        path = template
        if template.startswith("/api/information-rights/requests/"):
            path = path.replace("{request_id}", ids["info"])
        if template.startswith("/api/research/requests/"):
            path = path.replace("{request_id}", ids["research"])
        path = re.sub(r"\{([^}]+)\}", lambda m: ids.get(m.group(1), "999999"), path)
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if method == "get" or body is None:
                continue
            for flavour in range(3):
                payload = _plausible(body, components, flavour)
                import json

                status = getattr(client, method)(
                    path, data=json.dumps(payload), content_type="application/json"
                ).status_code
                seen.add(status)
                if status >= 500:
                    failures.append((method, path, flavour, status))
    assert failures == []
    # The bodies reached the services: some were refused as bad input, not only as forbidden.
    assert {400, 404} <= seen, seen
