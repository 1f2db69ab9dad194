"""Induction, volunteer activation, policy publishing, compliance and alerts through the web client."""

from __future__ import annotations

import pytest

from discretion.audit import context as audit_context
from discretion.audit import services as audit
from discretion.staff import services
from discretion.staff.models import Alert, AlertOutcome, Briefing, Induction, Staff


@pytest.fixture(autouse=True)
def _any_hour(settings):
    settings.MISUSE_WORKING_HOURS = (0, 24)
    settings.MISUSE_WORKING_WEEKENDS = True


@pytest.fixture
def scene(world):
    team = world.team("Lancaster Early Help")
    manager = world.manager_of(team)
    worker = world.staff(team=team)
    igo = world.staff("information_governance")
    return locals()


def test_manager_records_an_induction(client, scene, audit_actions):
    client.force_login(scene["manager"])
    page = client.get("/staff/inductions/new/")
    assert page.status_code == 200 and scene["worker"].username.encode() in page.content
    response = client.post(
        "/staff/inductions/new/",
        {"staff": scene["worker"].pk, "discussed_day": "5", "discussed_month": "1", "discussed_year": "2026"},
    )
    assert response.status_code == 302
    assert Induction.objects.get().staff == scene["worker"]
    assert "staff.induction_recorded" in audit_actions(actor_id=scene["manager"].pk)


def test_induction_form_errors(client, scene):
    client.force_login(scene["manager"])
    response = client.post(
        "/staff/inductions/new/", {"discussed_day": "31", "discussed_month": "2", "discussed_year": "2026"}
    )
    assert response.status_code == 400
    assert b"Select the new starter" in response.content
    assert b"must be a real date" in response.content
    assert b"Error: " in response.content
    assert not Induction.objects.exists()


def test_practitioner_cannot_record_inductions(client, scene):
    client.force_login(scene["worker"])
    assert client.get("/staff/inductions/new/").status_code == 403


def test_volunteer_is_activated_only_by_their_responsible_worker(client, scene, world):
    volunteer = services.register_supervised(
        scene["manager"],
        username="vol",
        first_name="Val",
        last_name="Teer",
        employment_type="volunteer",
        responsible_id=scene["worker"].pk,
    )
    # The volunteer cannot sign in yet.
    assert not client.login(username="vol", password="anything")
    client.force_login(scene["manager"])
    assert client.post(f"/staff/supervised/{volunteer.pk}/activate/", {"confirm": "yes"}).status_code == 403
    client.force_login(scene["worker"])
    assert b"Waiting for briefing" in client.get("/staff/supervised/").content
    unconfirmed = client.post(f"/staff/supervised/{volunteer.pk}/activate/", {})
    assert unconfirmed.status_code == 400 and b"Confirm that you have briefed" in unconfirmed.content
    volunteer.refresh_from_db()
    assert not volunteer.is_active
    response = client.post(f"/staff/supervised/{volunteer.pk}/activate/", {"confirm": "yes"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.is_active and Briefing.objects.get(staff=volunteer).responsible == scene["worker"]


def test_new_policy_version_sends_everyone_back_to_acknowledge(client, scene):
    client.force_login(scene["igo"])
    bad = client.post("/staff/policy/publish/", {"version": "", "title": "", "text": ""})
    assert bad.status_code == 400 and b"Enter the version" in bad.content
    response = client.post(
        "/staff/policy/publish/", {"version": "2026-11", "title": "Policy", "text": "Be careful."}
    )
    assert response.status_code == 302
    client.force_login(scene["worker"])  # a fresh session
    home = client.get("/")
    assert home.status_code == 302 and "/policy/acknowledge/" in home["Location"]
    client.post("/policy/acknowledge/", {"confirm": "on"})
    assert client.get("/").status_code == 200


def test_practitioner_cannot_publish(client, scene):
    client.force_login(scene["worker"])
    assert (
        client.post("/staff/policy/publish/", {"version": "x", "title": "y", "text": "z"}).status_code == 403
    )


def test_compliance_page_and_csv(client, scene, world):
    Staff.objects.create(username="orphan", employment_type="student", team=scene["team"])
    client.force_login(scene["manager"])
    page = client.get("/staff/compliance/")
    assert page.status_code == 200 and b"No responsible member of staff" in page.content
    csv = client.get("/staff/compliance/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("username,name,role")
    assert any(line.startswith("orphan,") for line in lines)
    client.force_login(scene["worker"])
    assert client.get("/staff/compliance/").status_code == 403


def test_alerts_page_and_review(client, scene, audit_actions):
    token = audit_context.set_context(audit_context.AuditContext(ip="10.1.1.1", session="s", channel="web"))
    for _ in range(5):
        audit.record(scene["worker"].pk, "access.refused", object_type="case", object_id=1)
    audit_context.reset_context(token)
    [alert] = services.run_misuse_detection().alerts
    client.force_login(scene["manager"])
    listing = client.get("/staff/alerts/")
    assert listing.status_code == 200 and b"refused attempts" in listing.content
    bad = client.post(f"/staff/alerts/{alert.pk}/", {"note": "checked"})
    assert bad.status_code == 400 and b"Select the outcome of your review" in bad.content
    ok = client.post(f"/staff/alerts/{alert.pk}/", {"outcome": "misuse", "note": "Looked up a neighbour"})
    assert ok.status_code == 302
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.MISUSE
    detail = client.get(f"/staff/alerts/{alert.pk}/")
    assert b"Looked up a neighbour" in detail.content and b"alert.reviewed" in detail.content
    client.force_login(scene["worker"])
    # The person an alert is about cannot tell it exists (it would tip them off).
    assert client.get(f"/staff/alerts/{alert.pk}/").status_code == 404
    assert Alert.objects.count() == 1
