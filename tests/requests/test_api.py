"""The API: same services, 4xx with a detail message on bad input."""

from __future__ import annotations

import pytest

from discretion.disclosures.models import Disclosure

from .helpers import council

pytestmark = pytest.mark.django_db


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


def test_police_request_end_to_end_through_the_api(world, client) -> None:
    c = council(world)
    client.force_login(c.worker)
    created = _post(
        client,
        "/api/requests/",
        {
            "requester": {"name": "DC Rao", "category": "police", "organisation": "County Police"},
            "channel": "phone",
            "person_refs": [c.child.ref],
            "information": ["child_personal"],
            "purpose": "missing_child",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    rid = body["id"]
    assert body["state"] == "referred" and "manager" in body["decision"]["route_to"]
    assert client.get(f"/api/requests/{rid}/decision").json()["outcome"] == "refer"
    assert (
        _post(client, f"/api/requests/{rid}/referral", {"approve": True, "reasoning": "x"}).status_code == 403
    )
    client.force_login(c.manager)
    assert [r["id"] for r in client.get("/api/requests/queue").json()] == [rid]
    approved = _post(
        client, f"/api/requests/{rid}/referral", {"approve": True, "reasoning": "Missing overnight."}
    )
    # Approved by the manager, but the caller's identity and entitlement come first (2.4).
    assert approved.status_code == 200 and approved.json()["state"] == "need_more"
    client.force_login(c.worker)
    for kind in ("verify_identity", "inform_subject"):
        r = _post(client, f"/api/requests/{rid}/tasks", {"kind": kind, "note": "done", "outcome": "told"})
        assert r.status_code == 200, r.content
    r = _post(client, f"/api/requests/{rid}/tasks", {"kind": "verify_entitlement", "note": "called"})
    assert r.status_code == 400 and r.json()["detail"] == "Enter the number you called back on"
    r = _post(
        client,
        f"/api/requests/{rid}/tasks",
        {
            "kind": "verify_entitlement",
            "note": "called",
            "callback_number": "101",
            "number_source": "Force website",
        },
    )
    assert r.json()["unmet_conditions"] == []
    cands = client.get(f"/api/requests/{rid}/candidates").json()
    assert {x["entry_id"]: x["allowed"] for x in cands} == {
        c.visit.pk: True,
        c.family.pk: False,
        c.referrer.pk: False,
    }
    bad = _post(
        client,
        f"/api/requests/{rid}/selection",
        {"entries": [{"entry_id": c.referrer.pk, "reason": "x"}]},
        "put",
    )
    assert bad.status_code == 400 and "withheld" in bad.json()["detail"]
    ok = _post(
        client,
        f"/api/requests/{rid}/selection",
        {"entries": [{"entry_id": c.visit.pk, "reason": "Places"}]},
        "put",
    )
    assert ok.json()["state"] == "preparing"
    email = _post(client, f"/api/requests/{rid}/release", {"channel": "secure_email", "address": "a@b"})
    assert email.status_code == 400
    released = _post(
        client, f"/api/requests/{rid}/release", {"channel": "secure_link", "address": "rao@police.example"}
    )
    assert released.status_code == 201
    out = released.json()
    assert len(out["link_code"]) == 6 and out["link_token"]
    assert Disclosure.objects.get().pk == out["disclosure_id"]
    client.force_login(c.igo)
    rows = client.get("/api/disclosures/", {"person": c.child.ref}).json()
    assert [r["id"] for r in rows] == [out["disclosure_id"]] and rows[0]["approved_by"] == c.manager.username
    assert client.get("/api/disclosures/", {"released_from": "not-a-date"}).status_code == 422
    client.force_login(c.worker)
    assert client.get("/api/disclosures/").status_code == 403
    assert [r["id"] for r in client.get(f"/api/disclosures/people/{c.child.ref}").json()] == [
        out["disclosure_id"]
    ]


def test_bad_input_is_4xx_never_500(world, client) -> None:
    c = council(world)
    client.force_login(c.worker)
    r = _post(client, "/api/requests/", {"requester": {"name": "X", "category": "alien"}, "channel": "phone"})
    assert r.status_code == 400 and "requester.category" in r.json()["detail"]
    r = _post(
        client, "/api/requests/", {"requester": {"name": "X", "category": "police"}, "channel": "pigeon"}
    )
    assert r.status_code == 400 and "channel" in r.json()["detail"]
    assert client.post("/api/requests/", "{not json", content_type="application/json").status_code in (
        400,
        422,
    )
    created = _post(
        client,
        "/api/requests/",
        {
            "requester": {"name": "X", "category": "other_agency"},
            "channel": "letter",
            "person_refs": [c.child.ref],
        },
    ).json()
    r = _post(client, f"/api/requests/{created['id']}/facts", {"purpose": "nonsense"}, "patch")
    assert r.status_code == 400 and "purpose" in r.json()["detail"]
    r = _post(client, f"/api/requests/{created['id']}/facts", {"approvals": ["manager"]}, "patch")
    assert r.status_code == 400 and "unknown field approvals" in r.json()["detail"]
    r = _post(
        client,
        f"/api/requests/{created['id']}/facts",
        {"information": ["child_personal"], "purpose": "care_planning"},
        "patch",
    )
    assert r.status_code == 200 and r.json()["facts"]["purpose"] == "care_planning"
    assert client.get("/api/requests/999999").status_code == 404
    client.force_login(c.stranger)
    assert client.get(f"/api/requests/{created['id']}").status_code == 404
    r = _post(
        client,
        "/api/requests/",
        {"requester": {"name": "X", "category": "police"}, "channel": "phone", "person_refs": [c.child.ref]},
    )
    assert r.status_code == 403


def test_documents_checks_and_record_access_through_the_api(world, client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .helpers import PDF
    from .test_grants import _sibling_scene

    c, sister, _her_case, note, _family, _other_manager = _sibling_scene(world)
    client.force_login(c.worker)
    created = _post(
        client,
        "/api/requests/",
        {
            "requester": {"name": "J Smith", "category": "solicitor", "contact": "js@smith.example"},
            "channel": "letter",
            "person_refs": [sister.ref],
            "information": ["child_personal"],
            "purpose": "legal_proceedings",
        },
    )
    rid = created.json()["id"]
    bad = client.post(
        f"/api/requests/{rid}/documents",
        {"code": "court_order", "file": SimpleUploadedFile("o.pdf", b"nope")},
    )
    assert bad.status_code == 400 and "PDF" in bad.json()["detail"]
    up = client.post(
        f"/api/requests/{rid}/documents", {"code": "court_order", "file": SimpleUploadedFile("o.pdf", PDF)}
    )
    assert up.status_code == 201 and up.json()["checked"] is False
    doc_id = up.json()["id"]
    assert client.get(f"/api/requests/{rid}").json()["facts"]["documents"] == []
    # The uploader cannot check it; the IGO cannot check a court order; Legal Services can.
    assert (
        _post(
            client, f"/api/requests/{rid}/documents/{doc_id}/check", {"accept": True, "note": "x"}
        ).status_code
        == 403
    )
    client.force_login(c.igo)
    assert (
        _post(
            client, f"/api/requests/{rid}/documents/{doc_id}/check", {"accept": True, "note": "x"}
        ).status_code
        == 403
    )
    client.force_login(c.legal)
    assert [d["id"] for d in client.get("/api/requests/checks").json()["documents"]] == [doc_id]
    checked = _post(
        client,
        f"/api/requests/{rid}/documents/{doc_id}/check",
        {"accept": True, "note": "Sealed order seen."},
    )
    assert checked.status_code == 200 and checked.json()["accepted"] is True
    assert client.get(f"/api/requests/{rid}").json()["facts"]["documents"] == ["court_order"]
    approved = _post(
        client, f"/api/requests/{rid}/referral", {"approve": True, "reasoning": "Order covers it."}
    )
    assert approved.status_code == 200
    client.force_login(c.worker)
    for kind in ("verify_identity", "verify_entitlement"):
        assert _post(client, f"/api/requests/{rid}/tasks", {"kind": kind, "note": "ok"}).status_code == 200
    body = client.get(f"/api/requests/{rid}").json()
    assert body["state"] == "approved"
    # Legal's approval of the referral is also the second pair of eyes on opening the records.
    cands = client.get(f"/api/requests/{rid}/candidates").json()
    assert [x["entry_id"] for x in cands] == [note.pk]


def test_asking_to_open_records_through_the_api(world, client) -> None:
    from .test_grants import _s47_about, _sibling_scene

    c, sister, her_case, _note, _family, _ = _sibling_scene(world)
    req = _s47_about(c, sister)
    client.force_login(c.worker)
    assert client.get(f"/api/requests/{req.pk}/candidates").status_code == 403
    asked = _post(client, f"/api/requests/{req.pk}/record-access", {"reason": "To choose for the GP"})
    assert asked.status_code == 201
    refused = _post(
        client, f"/api/requests/{req.pk}/record-access/decision", {"approve": True, "reasoning": "me"}
    )
    assert refused.status_code == 403
    client.force_login(c.manager)
    assert client.get("/api/requests/checks").json()["record_access"] == [req.pk]
    ok = _post(
        client, f"/api/requests/{req.pk}/record-access/decision", {"approve": True, "reasoning": "Fine"}
    )
    assert ok.status_code == 200 and ok.json()["approved"] is True
    client.force_login(c.worker)
    assert client.get(f"/api/records/cases/{her_case.ref}").json()["access_basis"] == "request_handler"
