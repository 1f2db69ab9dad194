"""The research API."""

from __future__ import annotations

import dataclasses

from discretion.disclosures.models import Disclosure

from .conftest import submission


def test_submit_decide_extract(client, people, children):
    client.force_login(people["worker"])
    body = dataclasses.asdict(submission())
    created = client.post("/api/research/requests", body, content_type="application/json")
    assert created.status_code == 201
    req_id = created.json()["id"]
    assert (
        client.post(
            "/api/research/requests", {**body, "fields": ["nhs_number"]}, content_type="application/json"
        ).status_code
        == 400
    )
    assert client.post(
        "/api/research/requests", "{not json", content_type="application/json"
    ).status_code in {400, 422}
    client.force_login(people["research"])
    assert (
        client.post(
            f"/api/research/requests/{req_id}/decision",
            {"approve": True, "reasons": "ok", "k": 1},
            content_type="application/json",
        ).status_code
        == 400
    )
    decided = client.post(
        f"/api/research/requests/{req_id}/decision",
        {"approve": True, "reasons": "ok"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    extract = client.post(f"/api/research/requests/{req_id}/extracts", {}, content_type="application/json")
    assert extract.status_code == 201
    data = extract.json()
    assert data["rows"] == 20 and data["csv"].startswith("district,gender")
    assert Disclosure.objects.get().pk == data["disclosure_id"]
    assert client.get("/api/research/requests/999999").status_code == 404


def test_failing_extract_is_409_with_the_report(client, people, children):
    client.force_login(people["worker"])
    req_id = client.post(
        "/api/research/requests",
        dataclasses.asdict(submission(fields=["district"])),
        content_type="application/json",
    ).json()["id"]
    client.force_login(people["research"])
    client.post(
        f"/api/research/requests/{req_id}/decision",
        {"approve": True, "reasons": "ok", "k": 30},
        content_type="application/json",
    )
    refused = client.post(f"/api/research/requests/{req_id}/extracts", {}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["report"]["passed"] is False
    assert not Disclosure.objects.exists()
    client.force_login(people["worker"])
    assert (
        client.post(
            f"/api/research/requests/{req_id}/extracts", {}, content_type="application/json"
        ).status_code
        == 403
    )
