"""Staff duties and the misuse detection pass, through the services and the real audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from discretion import access
from discretion.audit import context as audit_context
from discretion.audit import services as audit
from discretion.staff import services
from discretion.staff.models import (
    Alert,
    AlertKind,
    AlertOutcome,
    Briefing,
    DetectionRun,
    Induction,
    PolicyVersion,
    Staff,
)


@pytest.fixture(autouse=True)
def _any_hour(settings):
    # Detection runs over events stamped "now": keep out-of-hours quiet whatever time CI runs.
    settings.MISUSE_WORKING_HOURS = (0, 24)
    settings.MISUSE_WORKING_WEEKENDS = True


@pytest.fixture
def scene(world):
    team = world.team("Preston Children in Need")
    manager = world.manager_of(team)
    worker = world.staff(team=team)
    other_worker = world.staff(team=world.team())
    igo = world.staff("information_governance")
    child = world.person()
    case = world.case(child, team, workers=(worker,))
    return locals()


def test_manager_records_induction_and_it_is_audited(scene, audit_actions):
    induction = services.record_induction(
        scene["manager"], scene["worker"].pk, discussed_on=dt.date(2026, 1, 5), notes="Policy walked through"
    )
    assert Induction.objects.get().discussed_by == scene["manager"]
    assert induction.staff == scene["worker"]
    assert audit_actions(actor_id=scene["manager"].pk) == ["staff.induction_recorded"]


def test_induction_refused_to_other_managers_and_future_dates(scene):
    with pytest.raises(access.NotPermitted):
        services.record_induction(scene["other_worker"], scene["worker"].pk, discussed_on=dt.date(2026, 1, 5))
    with pytest.raises(services.InvalidInput):
        services.record_induction(
            scene["manager"], scene["worker"].pk, discussed_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert not Induction.objects.exists()


def test_new_policy_version_asks_everyone_again(scene, audit_actions):
    with pytest.raises(access.NotPermitted):
        services.publish_policy_version(scene["manager"], version="2026-11", title="Policy", text="Text")
    policy = services.publish_policy_version(scene["igo"], version="2026-11", title="Policy", text="New text")
    assert PolicyVersion.current() == policy
    assert "policy.published" in audit_actions(actor_id=scene["igo"].pk)
    with pytest.raises(access.PolicyNotAcknowledged):
        access.get_case_for(scene["worker"], scene["case"].pk)
    services.acknowledge_current_policy(scene["worker"])
    assert access.get_case_for(scene["worker"], scene["case"].pk).grant.basis == access.Basis.ALLOCATED
    with pytest.raises(services.InvalidInput):
        services.publish_policy_version(scene["igo"], version="2026-11", title="Again", text="Dup")


def test_volunteer_starts_inactive_until_the_responsible_worker_confirms_briefing(scene, audit_actions):
    volunteer = services.register_supervised(
        scene["manager"],
        username="vol1",
        first_name="Vic",
        last_name="Vol",
        employment_type="volunteer",
        responsible_id=scene["worker"].pk,
    )
    assert not volunteer.is_active
    with pytest.raises(access.NotPermitted):
        services.activate_supervised(scene["manager"], volunteer.pk)
    briefing = services.activate_supervised(scene["worker"], volunteer.pk)
    volunteer.refresh_from_db()
    assert volunteer.is_active and briefing.responsible == scene["worker"]
    assert audit_actions(actor_id=scene["worker"].pk) == ["staff.briefing_confirmed", "staff.activated"]


def test_volunteer_without_supervisor_cannot_be_activated_or_registered(scene, world):
    orphan = Staff.objects.create(username="orphan", employment_type="student", is_active=False)
    with pytest.raises(services.InvalidInput):
        services.activate_supervised(scene["worker"], orphan.pk)
    with pytest.raises(services.InvalidInput):
        services.register_supervised(
            scene["manager"],
            username="x",
            first_name="",
            last_name="",
            employment_type="student",
            responsible_id=None,
        )
    assert not Briefing.objects.exists()


def test_compliance_lists_outstanding_duties(scene, world):
    Staff.objects.create(username="orphan", employment_type="volunteer", team=scene["team"], is_active=True)
    world.staff(team=scene["team"], employment_type="agency", end_on=dt.date(2020, 1, 1), username="agency1")
    world.staff(team=scene["team"], acknowledged=False, username="newbie")
    rows = {r.staff.username: r.problems for r in services.compliance(scene["manager"])}
    assert "No responsible member of staff" in rows["orphan"]
    assert "Active without a briefing" in rows["orphan"]
    assert rows["agency1"] == ["Active after end date"]
    assert "Current policy not acknowledged" in rows["newbie"]
    assert scene["other_worker"].username not in rows  # another team's member
    with pytest.raises(access.NotPermitted):
        services.compliance(scene["worker"])
    assert "agency1" in services.compliance_csv(services.compliance(scene["igo"]))


def test_ended_accounts_are_locked_by_the_task_and_refused_by_the_backend(scene, world, settings):
    agency = world.staff(team=scene["team"], employment_type="agency", end_on=dt.date(2020, 1, 1))
    current = world.staff(team=scene["team"], employment_type="agency", end_on=dt.date(2999, 1, 1))
    settings.AUTHENTICATION_BACKENDS = ["discretion.staff.services.StaffBackend"]
    assert authenticate(username=agency.username, password="correct-horse-battery") is None
    assert authenticate(username=current.username, password="correct-horse-battery") == current
    assert services.deactivate_ended_accounts() == [agency.pk]
    agency.refresh_from_db()
    assert not agency.is_active
    assert services.deactivate_ended_accounts() == []


def _events_as(staff, actions, *, ip="10.0.0.1", session="s1"):
    token = audit_context.set_context(audit_context.AuditContext(ip=ip, session=session, channel="web"))
    try:
        for action in actions:
            audit.record(staff.pk, action, object_type="case", object_id=1)
    finally:
        audit_context.reset_context(token)


def test_detection_raises_alerts_once_to_the_manager(scene, audit_actions):
    worker = scene["worker"]
    _events_as(worker, ["auth.sign_in", "case.read"], ip="10.0.0.1", session="a")
    _events_as(worker, ["auth.sign_in"], ip="203.0.113.7", session="b")
    _events_as(worker, ["access.refused"] * 5)
    result = services.run_misuse_detection()
    by_kind = {a.kind: a for a in result.alerts}
    assert set(by_kind) == {AlertKind.CONCURRENT_SESSIONS, AlertKind.UNALLOCATED_ACCESS}
    assert all(a.recipient == scene["manager"] for a in result.alerts)
    assert audit_actions(action="alert.raised") == ["alert.raised", "alert.raised"]
    # A re-run over new events of the same kinds on the same day raises nothing new.
    _events_as(worker, ["access.refused"] * 5)
    assert services.run_misuse_detection().alerts == []
    assert Alert.objects.count() == 2
    assert DetectionRun.objects.count() == 2
    assert services.run_misuse_detection().alerts == []  # nothing new at all


def test_ordinary_work_raises_nothing(scene):
    _events_as(scene["worker"], ["auth.sign_in", "case.read", "person.read", "access.refused"])
    assert services.run_misuse_detection().alerts == []


def test_bulk_reading_and_sign_in_while_absent(scene, settings):
    settings.MISUSE_BULK_MIN_READS = 20
    services.record_absence(
        scene["manager"], scene["worker"].pk, start_on=timezone.localdate(), end_on=timezone.localdate()
    )
    _events_as(scene["worker"], ["auth.sign_in"] + ["person.read"] * 20)
    kinds = {a.kind for a in services.run_misuse_detection().alerts}
    assert kinds == {AlertKind.BULK_READING, AlertKind.ABSENT_SIGN_IN}


def test_review_is_audited_with_old_and_new_outcome(scene, audit_actions):
    _events_as(scene["worker"], ["access.refused"] * 5)
    [alert] = services.run_misuse_detection().alerts
    with pytest.raises(access.NotFound):  # as if there were no such alert
        services.review_alert(scene["other_worker"], alert.pk, outcome="misuse", note="x")
    with pytest.raises(services.InvalidInput):
        services.review_alert(scene["manager"], alert.pk, outcome="open", note="x")
    with pytest.raises(services.InvalidInput):
        services.review_alert(scene["manager"], alert.pk, outcome="misuse", note=" ")
    services.review_alert(scene["manager"], alert.pk, outcome="no_concern", note="Was covering a colleague")
    services.review_alert(scene["igo"], alert.pk, outcome="referred_hr", note="Pattern over weeks")
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.REFERRED_HR and alert.reviewed_by == scene["igo"]
    history = services.alert_history(alert)
    assert [e.action for e in history] == ["alert.raised", "alert.reviewed", "alert.reviewed"]
    assert '"from":"no_concern"' in history[2].details.replace(" ", "")
    assert history[1].reason == "Was covering a colleague"


def test_nobody_reviews_their_own_alert(scene, world):
    igo2 = world.staff("information_governance")
    _events_as(igo2, ["access.refused"] * 5)
    [alert] = services.run_misuse_detection().alerts
    # An alert about you is not yours to see or to review: it would tip you off (same dull answer).
    with pytest.raises(access.NotFound):
        services.review_alert(igo2, alert.pk, outcome="no_concern", note="fine")
    with pytest.raises(access.NotFound):
        services.get_alert_for(igo2, alert.pk)
    assert alert.pk not in [a.pk for a in services.alerts_for(igo2)]
    assert alert.pk in [a.pk for a in services.alerts_for(scene["igo"])]
    admin = world.staff("administrator")
    assert alert.pk not in [a.pk for a in services.alerts_for(admin)]  # alerts go to IG, not to admins


def test_the_compliance_csv_never_carries_a_live_formula(scene, world):
    """A name a spreadsheet would run (CSV injection) is written with a leading apostrophe."""
    import csv
    import io

    volunteer = world.staff(employment_type="volunteer", responsible=scene["worker"], team=scene["team"])
    volunteer.first_name = '=HYPERLINK("http://evil.example","x")'
    volunteer.save(update_fields=["first_name"])
    rows = list(csv.reader(io.StringIO(services.compliance_csv(services.compliance(scene["igo"])))))
    names = [row[1] for row in rows[1:]]
    assert any(n.startswith("'=HYPERLINK") for n in names)
    assert not any(n.startswith("=") for n in names)


def test_misuse_thresholds_know_the_councils_bank_holidays(db):
    import datetime as dt

    from django.utils import timezone

    christmas = dt.date(timezone.localdate().year, 12, 25)
    assert christmas in services.thresholds().holidays
