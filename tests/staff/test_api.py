"""The staff API: same services, 4xx with a detail message on bad input."""

from __future__ import annotations

import pytest

from discretion.audit import context as audit_context
from discretion.audit import services as audit
from discretion.staff import services


@pytest.fixture(autouse=True)
def _any_hour(settings):
    settings.MISUSE_WORKING_HOURS = (0, 24)
    settings.MISUSE_WORKING_WEEKENDS = True


@pytest.fixture
def scene(world):
    team = world.team()
    manager = world.manager_of(team)
    worker = world.staff(team=team)
    igo = world.staff("information_governance")
    return locals()


def test_induction_absence_and_compliance(client, scene):
    client.force_login(scene["manager"])
    ok = client.post(
        "/api/staff/inductions",
        {"staff_id": scene["worker"].pk, "discussed_on": "2026-01-05"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    bad_date = client.post(
        "/api/staff/inductions",
        {"staff_id": scene["worker"].pk, "discussed_on": "2026-13-05"},
        content_type="application/json",
    )
    assert bad_date.status_code == 422 and "detail" in bad_date.json()
    malformed = client.post("/api/staff/inductions", "{", content_type="application/json")
    assert malformed.status_code in {400, 422}
    absence = client.post(
        "/api/staff/absences",
        {"staff_id": scene["worker"].pk, "start_on": "2026-02-02", "end_on": "2026-02-01"},
        content_type="application/json",
    )
    assert absence.status_code == 400 and "end date" in absence.json()["detail"]
    assert client.get("/api/staff/compliance").status_code == 200
    client.force_login(scene["worker"])
    assert client.get("/api/staff/compliance").status_code == 403


def test_policy_and_alert_review(client, scene):
    client.force_login(scene["igo"])
    assert (
        client.post(
            "/api/staff/policy-versions",
            {"version": "9", "title": "P", "text": "T"},
            content_type="application/json",
        ).status_code
        == 201
    )
    # A new version: the gate asks the IGO too before anything else is served.
    assert client.get("/api/staff/alerts").status_code == 403
    current = client.get("/api/staff/policy/current").json()
    assert current["version"] == "9" and current["acknowledged"] is False
    assert client.post("/api/staff/policy/acknowledge").json()["acknowledged"] is True
    services.acknowledge_current_policy(scene["worker"])
    token = audit_context.set_context(audit_context.AuditContext(ip="10.1.1.1", session="s", channel="web"))
    for _ in range(5):
        audit.record(scene["worker"].pk, "access.refused", object_type="case", object_id=1)
    audit_context.reset_context(token)
    [alert] = services.run_misuse_detection().alerts
    listed = client.get("/api/staff/alerts").json()
    assert [a["id"] for a in listed] == [alert.pk]
    assert client.get("/api/staff/alerts?show=bogus").status_code == 400
    bad = client.post(
        f"/api/staff/alerts/{alert.pk}/review",
        {"outcome": "bogus", "note": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    done = client.post(
        f"/api/staff/alerts/{alert.pk}/review",
        {"outcome": "no_concern", "note": "Fine"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["outcome"] == "no_concern"
    assert client.get("/api/staff/alerts/999999").status_code == 404


def test_register_and_activate_a_student(client, scene):
    client.force_login(scene["manager"])
    body = {"username": "stu", "employment_type": "student", "responsible_id": scene["worker"].pk}
    created = client.post("/api/staff/supervised", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["active"] is False
    no_sponsor = client.post(
        "/api/staff/supervised",
        {**body, "username": "stu2", "responsible_id": None},
        content_type="application/json",
    )
    assert no_sponsor.status_code == 400 and "responsible" in no_sponsor.json()["detail"]
    student_id = created.json()["id"]
    assert client.post(f"/api/staff/supervised/{student_id}/activate").status_code == 403
    client.force_login(scene["worker"])
    assert client.post(f"/api/staff/supervised/{student_id}/activate").json()["active"] is True
