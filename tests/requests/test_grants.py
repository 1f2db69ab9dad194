"""What a request opens to its handler: only its subjects' cases, only the kinds of information it
asks for, only with a second person's agreement, only while it is worked, never to its requester
(issue "Close every door", finding 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from discretion import access
from discretion.requests import record_access, services
from discretion.requests.grants import request_case_ids, request_grants
from discretion.requests.models import RecordAccess, Request, State
from discretion.staff.models import Alert

from .helpers import council, verify

pytestmark = pytest.mark.django_db


def _sibling_scene(world):
    """The worker is allocated to Kayden's case, on which his sister Maisie is a member; Maisie has
    her own case in another team that the worker has no part in."""
    c = council(world)
    sister = world.person("Maisie", "Walsh")
    from discretion.records.models import CaseMember

    CaseMember.objects.create(case=c.case, person=sister, role="sibling")
    other_team = world.team()
    other_manager = world.manager_of(other_team)
    her_case = world.case(sister, other_team)
    note = world.entry(her_case, "Maisie said she is happy at school.", title="Visit")
    family = world.entry(her_case, "Stepfather's probation officer called.", title="Family", third_party=True)
    return c, sister, her_case, note, family, other_manager


def _s47_about(c, person):
    req = services.log_request(
        c.worker,
        requester=services.RequesterDetails(
            name="Dr Okafor", category="other_agency", organisation="NHS", works_with_child=True
        ),
        channel="secure_email",
        person_ids=[person.pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    return verify(c, req)


def test_a_request_opens_nothing_to_its_handler_until_someone_else_agrees(world, audit_actions) -> None:
    c, sister, her_case, note, family, other_manager = _sibling_scene(world)
    req = _s47_about(c, sister)
    assert req.state == State.APPROVED
    # The attack: a share decision alone used to open every case of the person named.
    with pytest.raises(access.AccessDenied):
        access.get_case_for(c.worker, her_case.pk)
    assert not request_grants(c.worker.pk, sister.pk)
    assert record_access.status_of(req) == record_access.Status.NEEDED
    with pytest.raises(access.NotPermitted, match="must agree"):
        services.candidates_for(c.worker, req)

    services.ask_for_record_access(c.worker, req.pk, reason="To choose what the GP needs for the s47")
    assert record_access.status_of(req) == record_access.Status.ASKED
    for wrong in (c.worker, c.stranger, c.legal, other_manager):
        # The handler is refused; anyone with no part in the request cannot tell it exists.
        with pytest.raises((access.NotPermitted, access.NotFound)):
            services.decide_record_access(wrong, req.pk, approve=True, reasoning="ok")
    access.flush_pending_refusals()  # the fronts do this once the refused transaction is over
    assert "request.change.refused" in audit_actions(actor_id=c.stranger.pk)
    assert "request.record_access.refused" in audit_actions(actor_id=c.worker.pk)
    services.decide_record_access(c.manager, req.pk, approve=True, reasoning="Proportionate for s47")

    view = access.get_case_for(c.worker, her_case.pk)
    assert view.grant.basis == access.Basis.REQUEST_HANDLER
    # Only the kinds of information asked for: the third-party note stays closed.
    assert [e.pk for e in view.entries] == [note.pk]
    with pytest.raises(access.AccessDenied):
        access.get_entry_for(c.worker, family.pk)
    assert not access.case_grant(c.stranger, her_case.pk)
    # Like break-glass, the manager of the team whose case was opened is told.
    alert = Alert.objects.get(kind="request_access")
    assert alert.subject_staff == c.worker and alert.recipient == other_manager
    assert alert.case_id == her_case.pk and alert.evidence["request"] == req.pk

    # The agreement runs out, and ends with the request.
    RecordAccess.objects.filter(request=req).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert access.case_grant(c.worker, her_case.pk) is None
    RecordAccess.objects.filter(request=req).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert access.case_grant(c.worker, her_case.pk) is not None
    Request.objects.filter(pk=req.pk).update(state=State.RELEASED)
    assert access.case_grant(c.worker, her_case.pk) is None
    assert not request_case_ids(c.worker.pk).exists()


def test_a_request_opens_only_the_cases_of_the_people_it_names(world) -> None:
    c, _sister, her_case, _note, _family, _ = _sibling_scene(world)
    # Kayden's own request: his sister's case (where he is no subject) stays closed.
    mum = world.person("Leanne", "Walsh", child=False)
    from discretion.records.models import CaseMember

    CaseMember.objects.create(case=her_case, person=mum, role="parent")
    CaseMember.objects.create(case=c.case, person=mum, role="parent")
    req = _s47_about(c, mum)
    # Mum is the subject of no case, so the request has nothing to open: nothing to agree to.
    assert record_access.status_of(req) == record_access.Status.NOT_NEEDED
    with pytest.raises(access.NotPermitted, match="already open"):
        services.ask_for_record_access(c.worker, req.pk, reason="Mother's details for the meeting")
    assert access.case_grant(c.worker, her_case.pk) is None  # mum is a member there, not its subject


def test_whoever_approves_a_referral_also_agrees_to_open_the_records(world) -> None:
    c, sister, her_case, note, _family, other_manager = _sibling_scene(world)
    req = services.log_request(
        c.worker,
        requester=services.RequesterDetails(name="DC Rao", category="police", organisation="County Police"),
        channel="letter",
        person_ids=[sister.pk],
        information=["child_personal"],
        purpose="missing_child",
    )
    verify(c, req)
    assert req.state == State.REFERRED
    services.decide_referral(c.manager, req.pk, approve=True, reasoning="Missing overnight")
    req.refresh_from_db()
    assert req.state == State.APPROVED
    assert record_access.status_of(req) == record_access.Status.AGREED
    assert [e.pk for e in access.get_case_for(c.worker, her_case.pk).entries] == [note.pk]
    assert Alert.objects.filter(kind="request_access", recipient=other_manager).count() == 1
    # A change of facts withdraws the approval, and the agreement with it.
    services.set_facts(c.worker, req.pk, {"information": ["child_personal", "third_party_personal"]})
    assert access.case_grant(c.worker, her_case.pk) is None


def test_nobody_handles_a_request_they_make_themselves(world, audit_actions) -> None:
    c, sister, *_ = _sibling_scene(world)
    worker = c.worker
    worker.email = "kim.worker@council.example"
    worker.save()
    attempts = [
        services.RequesterDetails(
            name="Anyone", category="colleague", colleague=worker.username, works_with_child=True
        ),
        services.RequesterDetails(
            name="Anyone", category="colleague", colleague=worker.email, works_with_child=True
        ),
        services.RequesterDetails(
            name=worker.get_full_name(), category="other_agency", works_with_child=True
        ),
        services.RequesterDetails(name="Dr X", category="other_agency", contact=worker.email.upper()),
    ]
    for requester in attempts:
        with pytest.raises(access.NotPermitted, match="making yourself"):
            services.log_request(
                worker,
                requester=requester,
                channel="in_person",
                person_ids=[sister.pk],
                information=["child_personal"],
                purpose="section_47_enquiry",
            )
    assert not Request.objects.exists()
    assert audit_actions(actor_id=worker.pk).count("request.self.refused") == len(attempts)
    alerts = Alert.objects.filter(kind="self_request", subject_staff=worker)
    assert alerts.count() == len(attempts) and {a.recipient for a in alerts} == {c.manager}


def test_a_colleagues_request_names_their_account_and_never_opens_anything_to_them(world) -> None:
    c, sister, her_case, *_ = _sibling_scene(world)
    colleague = world.staff("practitioner", team=c.team)
    with pytest.raises(services.InvalidInput, match="username or council e-mail"):
        services.log_request(
            c.worker,
            requester=services.RequesterDetails(
                name="A colleague", category="colleague", works_with_child=True
            ),
            channel="in_person",
            person_ids=[sister.pk],
            information=["child_personal"],
            purpose="section_47_enquiry",
        )
    req = services.log_request(
        c.worker,
        requester=services.RequesterDetails(
            name="A colleague", category="colleague", colleague=colleague.username, works_with_child=True
        ),
        channel="in_person",
        person_ids=[sister.pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    assert req.requester_staff == colleague and req.state == State.APPROVED
    services.ask_for_record_access(c.worker, req.pk, reason="To choose what the colleague needs")
    with pytest.raises((access.NotPermitted, access.NotFound)):
        services.decide_record_access(colleague, req.pk, approve=True, reasoning="Yes please")
    services.decide_record_access(c.manager, req.pk, approve=True, reasoning="Proportionate")
    assert access.case_grant(c.worker, her_case.pk) is not None
    assert access.case_grant(colleague, her_case.pk) is None
