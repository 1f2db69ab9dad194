"""The API: same services, 4xx with a detail message on bad input."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader


@pytest.fixture
def api(client, world):
    igo = world.staff("information_governance")
    client.force_login(igo)
    return client


def test_foi_through_the_api(api):
    r = api.post(
        "/api/information-rights/requests",
        {
            "requester_name": "A",
            "requester_contact": "a@example.org",
            "channel": "email",
            "wording": "Spend on agency staff",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert api.post(f"/api/information-rights/requests/{rid}/acknowledge").json()["text"].count("Dear A") == 1
    r = api.post(
        f"/api/information-rights/requests/{rid}/exemptions",
        {"code": "FOIA:s99", "why_applies": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "unknown exemption" in r.json()["detail"]
    r = api.post(
        f"/api/information-rights/requests/{rid}/exemptions",
        {"code": "FOIA:s41", "why_applies": "Given in confidence"},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = api.post(
        f"/api/information-rights/requests/{rid}/outcome",
        {"outcome": "refused"},
        content_type="application/json",
    )
    assert r.status_code == 200 and "s41" in r.json()["refusal_notice"]
    r = api.post(
        f"/api/information-rights/requests/{rid}/reviews", {"extended": True}, content_type="application/json"
    )
    assert r.status_code == 201
    assert api.get("/api/information-rights/dashboard").status_code == 200


def test_bad_input_is_4xx(api):
    r = api.post(
        "/api/information-rights/requests",
        {
            "requester_name": "A",
            "requester_contact": "a",
            "channel": "email",
            "wording": "x",
            "received_on": "2026-02-30",
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and "detail" in r.json()
    r = api.post("/api/information-rights/requests", "{not json", content_type="application/json")
    assert 400 <= r.status_code < 500
    r = api.post(
        "/api/information-rights/requests",
        {"requester_name": "A", "requester_contact": "a", "channel": "pigeon", "wording": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["detail"].startswith("Select")
    assert api.get("/api/information-rights/requests/999999").status_code == 404


def test_sar_through_the_api(api, world):
    team = world.team()
    child = world.person("Kayden", "Walsh")
    other = world.person("Bethany", "Quayle", child=False, dob=dt.date(1980, 1, 1))
    case = world.case(child, team, members=(other,))
    entry = world.entry(case, "Bethany Quayle phoned about Kayden.")
    r = api.post(
        "/api/information-rights/sar",
        {
            "requester_name": "K",
            "requester_contact": "k@example.org",
            "requester_kind": "self",
            "subject_ref": child.ref,
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    sid = r.json()["id"]
    assert api.post(f"/api/information-rights/sar/{sid}/compile").status_code == 400  # identity first
    assert (
        api.post(
            f"/api/information-rights/sar/{sid}/verify",
            {"evidence": "Passport"},
            content_type="application/json",
        ).status_code
        == 200
    )
    reds = api.post(f"/api/information-rights/sar/{sid}/compile").json()
    assert reds and all(r["entry_id"] == entry.pk for r in reds)
    r = api.post(
        f"/api/information-rights/redactions/{reds[0]['id']}/decision",
        {"decision": "maybe"},
        content_type="application/json",
    )
    assert r.status_code == 400
    pdf = api.get(f"/api/information-rights/sar/{sid}/bundle")
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Quayle" not in text and "Bethany" not in text and "Kayden" in text
    r = api.post(f"/api/information-rights/sar/{sid}/release")
    assert r.status_code == 400 and "sign off" in r.json()["detail"]  # four eyes first
    assert api.post(f"/api/information-rights/sar/{sid}/sign-off-request").status_code == 200
    r = api.post(f"/api/information-rights/sar/{sid}/sign-off")
    assert r.status_code == 403 and "Someone other than you" in r.json()["detail"]
    from django.test import Client

    second = Client()
    second.force_login(world.staff("information_governance"))
    r = second.post(f"/api/information-rights/sar/{sid}/sign-off")
    assert r.status_code == 200 and r.json()["signed_off_by"]
    r = api.post(f"/api/information-rights/sar/{sid}/release")
    assert r.status_code == 200 and r.json()["link_code"]
    assert api.post(f"/api/information-rights/sar/{sid}/release").status_code == 400
