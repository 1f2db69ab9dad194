"""Need to know: every role × relationship, the refusal audited, special-category hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from discretion import access
from discretion.records.models import BreakGlass
from discretion.staff.models import Alert, Allocation


@pytest.fixture
def scene(world):
    team = world.team("Chorley Safeguarding")
    other_team = world.team("Burnley Child Protection")
    manager = world.manager_of(team)
    other_manager = world.manager_of(other_team)
    worker = world.staff(team=team)
    other_worker = world.staff(team=other_team)
    child = world.person("Kayden Lee", "Walsh", ethnicity="Polish")
    parent = world.person("Leanne", "Walsh", dob=dt.date(1990, 1, 2), child=False)
    case = world.case(child, team, members=(parent,), workers=(worker,))
    routine = world.entry(case, "Home visit. All well.")
    health = world.entry(case, "Referred to CAMHS for low mood.", special_category=True)
    return locals()


def test_allocated_worker_opens_case_and_read_is_audited(scene, audit_actions):
    view = access.get_case_for(scene["worker"], scene["case"].pk)
    assert view.grant.basis == access.Basis.ALLOCATED
    assert {e.pk for e in view.entries} == {scene["routine"].pk, scene["health"].pk}
    assert audit_actions(actor_id=scene["worker"].pk) == ["case.read"]


def test_allocated_worker_opens_the_parents_record_through_the_case(scene):
    view = access.get_person_for(scene["worker"], scene["parent"].pk)
    assert view.grant.basis == access.Basis.ALLOCATED


def test_worker_on_another_team_is_refused_and_the_refusal_audited(scene, audit_actions):
    with pytest.raises(access.AccessDenied) as refused:
        access.get_case_for(scene["other_worker"], scene["case"].pk)
    assert refused.value.can_break_glass
    assert audit_actions(actor_id=scene["other_worker"].pk) == ["access.refused"]


def test_ex_allocated_worker_is_refused_after_the_allocation_ends(scene, world):
    former = world.staff(team=scene["team"])
    Allocation.objects.create(
        staff=former,
        case=scene["case"],
        start_on=dt.date(2024, 1, 1),
        end_on=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(access.AccessDenied):
        access.get_case_for(former, scene["case"].pk)


def test_allocation_in_the_future_gives_no_access_yet(scene, world):
    incoming = world.staff(team=scene["team"])
    Allocation.objects.create(
        staff=incoming, case=scene["case"], start_on=timezone.localdate() + dt.timedelta(days=3)
    )
    with pytest.raises(access.AccessDenied):
        access.get_case_for(incoming, scene["case"].pk)


def test_team_manager_sees_the_teams_cases_but_not_another_teams(scene):
    assert access.get_case_for(scene["manager"], scene["case"].pk).grant.basis == access.Basis.TEAM_MANAGER
    with pytest.raises(access.AccessDenied):
        access.get_case_for(scene["other_manager"], scene["case"].pk)


def test_manager_of_an_allocated_workers_team_sees_the_case(scene, world):
    Allocation.objects.create(staff=scene["other_worker"], case=scene["case"], start_on=dt.date(2025, 1, 1))
    assert (
        access.get_case_for(scene["other_manager"], scene["case"].pk).grant.basis == access.Basis.TEAM_MANAGER
    )


def test_volunteer_sees_only_cases_shared_with_them_without_special_category(scene, world):
    from discretion.records import sharing

    volunteer = world.staff(team=scene["team"], employment_type="volunteer", responsible=scene["worker"])
    # Not shared yet: the supervisor's allocation alone is not enough (least privilege, policy 1.2).
    with pytest.raises(access.NotFound):
        access.get_case_for(volunteer, scene["case"].pk)
    assert access.my_cases(volunteer) == []
    sharing.share_case(scene["worker"], ref=scene["case"].ref, supervisee_username=volunteer.username)
    view = access.get_case_for(volunteer, scene["case"].pk)
    assert view.grant.basis == access.Basis.SUPERVISED
    assert [e.pk for e in view.entries] == [scene["routine"].pk]
    person = access.get_person_for(volunteer, scene["child"].pk)
    assert person.show_special_category is False
    with pytest.raises(access.NotFound):
        access.get_entry_for(volunteer, scene["health"].pk)
    sharing.stop_sharing(scene["worker"], ref=scene["case"].ref, supervisee_username=volunteer.username)
    with pytest.raises(access.NotFound):
        access.get_case_for(volunteer, scene["case"].pk)


def test_student_under_someone_not_allocated_is_refused_and_cannot_break_glass(scene, world):
    student = world.staff(
        team=scene["other_team"], employment_type="student", responsible=scene["other_worker"]
    )
    with pytest.raises(access.NotFound):  # the same answer as for a case that does not exist
        access.get_case_for(student, scene["case"].pk)
    with pytest.raises(access.NotPermitted):
        access.break_glass(student, scene["case"].pk, "I need to see this record now")


def test_information_governance_officer_reads_for_audit(scene, world):
    igo = world.staff("information_governance")
    assert access.get_case_for(igo, scene["case"].pk).grant.basis == access.Basis.INFORMATION_GOVERNANCE


@pytest.mark.parametrize("role", ["legal_services", "press_office", "research_governance", "administrator"])
def test_other_roles_have_no_standing_access(scene, world, role):
    # Roles that may break glass are told it is refused; the rest cannot tell it from "missing".
    expected = access.NotFound if role in ("press_office", "administrator") else access.AccessDenied
    with pytest.raises(expected):
        access.get_person_for(world.staff(role), scene["child"].pk)


def test_break_glass_grants_time_limited_access_and_alerts_the_manager(scene, audit_actions):
    grant = access.break_glass(
        scene["other_worker"], scene["case"].pk, "Police called: child missing tonight"
    )
    assert (
        access.get_case_for(scene["other_worker"], scene["case"].pk).grant.basis == access.Basis.BREAK_GLASS
    )
    alert = Alert.objects.get(subject_staff=scene["other_worker"])
    assert alert.recipient == scene["manager"] and alert.kind == "break_glass"
    assert "access.break_glass" in audit_actions(actor_id=scene["other_worker"].pk)
    BreakGlass.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(access.AccessDenied):
        access.get_case_for(scene["other_worker"], scene["case"].pk)


def test_break_glass_needs_a_reason(scene):
    with pytest.raises(ValueError):
        access.break_glass(scene["other_worker"], scene["case"].pk, "  ")
    assert not BreakGlass.objects.exists()


def test_no_access_until_the_current_policy_is_acknowledged(scene, world):
    newcomer = world.staff(team=scene["team"], acknowledged=False)
    Allocation.objects.create(staff=newcomer, case=scene["case"], start_on=dt.date(2025, 1, 1))
    with pytest.raises(access.PolicyNotAcknowledged):
        access.get_case_for(newcomer, scene["case"].pk)


def test_account_past_its_end_date_has_no_access(scene, world):
    agency = world.staff(
        team=scene["team"], employment_type="agency", end_on=timezone.localdate() - dt.timedelta(days=1)
    )
    Allocation.objects.create(staff=agency, case=scene["case"], start_on=dt.date(2025, 1, 1))
    with pytest.raises(access.AccessDenied):
        access.get_case_for(agency, scene["case"].pk)


def test_search_shows_openable_people_and_only_refs_of_others(scene, world):
    stranger_child = world.person("Kayden", "Walsh", dob=dt.date(2016, 5, 5))
    world.case(stranger_child, scene["other_team"], workers=(scene["other_worker"],))
    results = access.search_people(scene["worker"], "kayden walsh")
    shown = [p.pk for p in results.people]
    assert shown[0] == scene["child"].pk
    assert stranger_child.pk not in shown
    assert results.restricted_refs == [stranger_child.ref]


def test_search_is_fuzzy_and_covers_aliases(scene, world):
    alias_child = world.person("Mia", "Thompson", aliases=(("Mia", "Roberts", "known_as"),))
    world.case(alias_child, scene["team"], workers=(scene["worker"],))
    assert access.search_people(scene["worker"], "Kaden Walsh").people[0].pk == scene["child"].pk
    assert [p.pk for p in access.search_people(scene["worker"], "mia roberts").people] == [alias_child.pk]
    by_dob = access.search_people(scene["worker"], "", date_of_birth=dt.date(2015, 4, 3))
    assert scene["child"].pk in [p.pk for p in by_dob.people]


def test_search_is_audited_without_the_query_text(scene, audit_actions):
    from discretion.audit.models import AuditEvent

    access.search_people(scene["worker"], "walsh")
    events = list(AuditEvent.objects.filter(action="people.search"))
    assert events and all("walsh" not in event.details.lower() for event in events)
    # Every person shown is named, so the search appears on "who has looked at this record".
    assert scene["child"].pk in {event.person_id for event in events}


def test_a_refusal_inside_a_rolled_back_transaction_is_still_recorded(scene, audit_actions):
    from django.db import transaction

    with pytest.raises(access.AccessDenied), transaction.atomic():
        access.get_case_for(scene["other_worker"], scene["case"].pk)
    assert access.flush_pending_refusals() == 1
    assert audit_actions(actor_id=scene["other_worker"].pk) == ["access.refused"]


def test_the_cases_a_person_page_lists_are_those_the_actor_may_open(scene, world):
    """The person page's batched grants agree with the search filter's accessible case ids."""
    from discretion.records.models import Case

    team, other_team = scene["team"], scene["other_team"]
    second = world.case(scene["child"], other_team, workers=(scene["other_worker"],))
    third = world.case(scene["child"], other_team)
    world.case(world.person("Someone", "Else"), team, workers=(scene["worker"],))
    BreakGlass.objects.create(
        staff=scene["worker"],
        case=third,
        reason="Urgent strategy meeting",
        granted_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(minutes=60),
    )
    volunteer = world.staff(employment_type="volunteer", team=team, responsible=scene["worker"])
    igo = world.staff("information_governance")
    all_ids = list(Case.objects.values_list("id", flat=True))
    actors = [
        scene["worker"],
        scene["manager"],
        scene["other_manager"],
        scene["other_worker"],
        volunteer,
        igo,
        world.staff(team=team),
    ]
    for actor in actors:
        grants = access.case_grants(actor, all_ids)
        allowed = access.accessible_case_ids(actor)
        expected = (
            set(all_ids)
            if allowed is None
            else set(Case.objects.filter(id__in=allowed).values_list("id", flat=True))
        )
        assert set(grants) == expected, actor.username
    worker_grants = access.case_grants(scene["worker"], [scene["case"].pk, second.pk, third.pk])
    assert worker_grants[scene["case"].pk].basis == access.Basis.ALLOCATED
    assert worker_grants[third.pk].basis == access.Basis.BREAK_GLASS and second.pk not in worker_grants
    view = access.get_person_for(scene["worker"], scene["child"].pk)
    assert {c.pk for c in view.cases} == {scene["case"].pk, third.pk}
    manager = access.Grant(access.Basis.TEAM_MANAGER)
    assert access.case_grants(scene["other_manager"], [second.pk, third.pk]) == {
        second.pk: manager,
        third.pk: manager,
    }


def test_a_volunteer_loses_access_when_their_responsible_member_of_staff_leaves(scene, world):
    """Policy 1.2: a volunteer works under the member of staff responsible for them, not without."""
    from discretion.records import sharing
    from discretion.staff import services as staff_services

    volunteer = world.staff(team=scene["team"], employment_type="volunteer", responsible=scene["worker"])
    sharing.share_case(scene["worker"], ref=scene["case"].ref, supervisee_username=volunteer.username)
    assert access.get_case_for(volunteer, scene["case"].pk).grant.basis == access.Basis.SUPERVISED
    worker = scene["worker"]
    worker.end_on = timezone.localdate() - dt.timedelta(days=3)
    worker.save(update_fields=["end_on"])
    with pytest.raises(access.NotFound):
        access.get_case_for(volunteer, scene["case"].pk)
    assert access.my_cases(volunteer) == []
    rows = {row.staff.pk: row.problems for row in staff_services.compliance(scene["manager"])}
    assert "Responsible member of staff has left: name another" in rows[volunteer.pk]
