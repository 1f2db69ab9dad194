"""Holes a red-team review found at the seams after issue "Close every door"; each test replays the
attack and asserts it now fails (and is audited where a refusal is)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from discretion import access
from discretion.audit.models import AuditEvent
from discretion.requests import services as requests

pytestmark = pytest.mark.django_db


def _client(staff: Any, **kw: Any) -> Client:
    client = Client(raise_request_exception=False, **kw)
    client.force_login(staff)
    return client


@pytest.fixture
def scene(world: Any) -> dict[str, Any]:
    from discretion.records.models import CaseMember

    team, other = world.team(), world.team()
    manager, other_manager = world.manager_of(team), world.manager_of(other)
    sarah = world.staff(team=team, username="sarah.hughes")
    sarah.first_name, sarah.last_name, sarah.email = "Sarah", "Hughes", "sarah.hughes@council.example"
    sarah.save()
    kayden, maisie = world.person("Kayden", "Walsh"), world.person("Maisie", "Walsh")
    kayden_case = world.case(kayden, team, workers=(sarah,))
    CaseMember.objects.create(case=kayden_case, person=maisie, role="sibling")
    maisie_case = world.case(maisie, other)
    jordan = world.person("Jordan", "Blackwood", dob=dt.date(2012, 9, 14))
    jordan_case = world.case(jordan, other)  # a child Sarah has nothing to do with
    amy = world.staff(employment_type="volunteer", responsible=sarah, team=team)
    return locals()


def test_lower_case_bearer_does_not_walk_past_the_policy_gate(scene: Any, world: Any) -> None:
    from discretion.staff.models import Acknowledgement
    from discretion.staff.tokens import issue_api_token

    igo = world.staff("information_governance")
    Acknowledgement.objects.filter(staff=igo).delete()
    token = issue_api_token(igo, name="script")
    for scheme in ("Bearer", "bearer", "BEARER"):
        client = Client(raise_request_exception=False, headers={"Authorization": f"{scheme} {token}"})
        for url in ("/api/disclosures/", "/api/staff/alerts", "/api/information-rights/dashboard"):
            assert client.get(url).status_code == 403, (scheme, url)


def test_an_igo_who_asked_cannot_handle_her_own_request(scene: Any, world: Any) -> None:
    gareth = world.staff("information_governance", username="gareth.morgan")
    note = world.entry(scene["kayden_case"], "Kayden's mother disclosed...", title="Strategy")
    req = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(
            name="Gareth Morgan", category="colleague", colleague="gareth.morgan", works_with_child=True
        ),
        channel="in_person",
        person_ids=[scene["kayden"].pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    with pytest.raises(access.NotPermitted):
        requests.complete_task(gareth, req.pk, "inform_subject", note="Told.", outcome="told")
    with pytest.raises(access.NotPermitted):
        requests.select_entries(gareth, req.pk, {note.pk: "I want it"})


def test_one_igo_cannot_both_approve_and_release_a_request(scene: Any, world: Any) -> None:
    gareth = world.staff("information_governance")
    req = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(name="DC Rao", category="police", contact="rao@police.uk"),
        channel="letter",
        person_ids=[scene["kayden"].pk],
        information=["child_personal"],
        purpose="criminal_investigation",
        in_writing=True,
    )
    requests.decide_referral(gareth, req.pk, approve=True, reasoning="Fine")
    with pytest.raises(access.NotPermitted):
        requests.complete_task(gareth, req.pk, "verify_identity", note="ok")
    # and whoever did the handler's part cannot then approve
    other_igo = world.staff("information_governance")
    req2 = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(name="DC Rao", category="police", contact="rao@police.uk"),
        channel="letter",
        person_ids=[scene["kayden"].pk],
        information=["child_personal"],
        purpose="criminal_investigation",
    )
    requests.complete_task(other_igo, req2.pk, "verify_identity", note="ok")
    with pytest.raises(access.NotPermitted):
        requests.decide_referral(other_igo, req2.pk, approve=True, reasoning="Fine")


def test_break_glass_is_no_basis_for_a_release_without_a_second_person(scene: Any, world: Any) -> None:
    from discretion.requests import record_access
    from discretion.requests.models import Request

    note = world.entry(scene["jordan_case"], "Jordan disclosed...", title="Disclosure")
    access.break_glass(scene["sarah"], scene["jordan_case"].pk, "Worried about this child")
    req = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(
            name="Mr X", category="other_agency", works_with_child=True, contact="x@example.org"
        ),
        channel="secure_email",
        person_ids=[scene["jordan"].pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    for kind in ("verify_identity", "verify_entitlement"):
        requests.complete_task(scene["sarah"], req.pk, kind, note="ok")
    assert record_access.status_of(Request.objects.get(pk=req.pk)) == record_access.Status.NEEDED
    with pytest.raises(access.NotPermitted, match="must agree"):
        requests.select_entries(scene["sarah"], req.pk, {note.pk: "needed"})


def test_the_press_office_cannot_tell_request_ids_apart(scene: Any, world: Any) -> None:
    req = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(name="DC Rao", category="police"),
        channel="letter",
        person_ids=[scene["kayden"].pk],
        information=["child_personal"],
        purpose="criminal_investigation",
    )
    press = _client(world.staff("press_office"))
    body = {"approve": True, "reasoning": "x"}
    for path in ("referral", "tasks", "release"):
        real = press.post(f"/api/requests/{req.pk}/{path}", body, content_type="application/json")
        missing = press.post(f"/api/requests/999999/{path}", body, content_type="application/json")
        assert real.status_code == missing.status_code == 404 or (real.status_code, missing.status_code) == (
            422,
            422,
        ), path
    assert AuditEvent.objects.filter(action="request.change.refused").exists()


def test_a_request_for_non_personal_information_releases_no_case_notes(scene: Any, world: Any) -> None:
    sarah, kayden = scene["sarah"], scene["kayden"]
    health = world.entry(scene["kayden_case"], "CAMHS: self-harm.", title="Health", special_category=True)
    visit = world.entry(scene["kayden_case"], "Kayden lives with his mother.", title="Visit")
    req = requests.log_request(
        sarah,
        requester=requests.RequesterDetails(name="Mr X", category="other_agency", contact="x@example.org"),
        channel="phone",
        person_ids=[kayden.pk],
        information=["non_personal"],
        purpose="other",
    )
    assert req.decision["outcome"] == "share"
    assert all(not c.allowed for c in requests.candidates_for(sarah, req))
    with pytest.raises(requests.InvalidInput, match="withheld"):
        requests.select_entries(sarah, req.pk, {health.pk: "asked", visit.pk: "asked"})


def test_a_release_goes_only_to_the_requesters_recorded_contact(scene: Any, world: Any) -> None:
    from tests.conftest import approved_request

    sarah, kayden = scene["sarah"], scene["kayden"]
    entry = world.entry(scene["kayden_case"], "Home visit: Kayden was well.")
    req_id = approved_request(world, sarah, kayden, "head@school.example.org")
    requests.select_entries(sarah, req_id, {entry.pk: "Needed"})
    with pytest.raises(requests.InvalidInput, match="only to the person who asked"):
        requests.release_request(sarah, req_id, channel="secure_link", address="curious@gmail.com")
    with pytest.raises(requests.InvalidInput, match="only to the person who asked"):
        requests.release_request(sarah, req_id, channel="post", address="9 Elsewhere Road")
    release = requests.release_request(
        sarah, req_id, channel="secure_link", address="HEAD@school.example.org"
    )
    assert release.disclosure.recipient_address.lower() == "head@school.example.org"


def test_a_check_made_on_a_letter_does_not_stand_for_a_phone_call(scene: Any) -> None:
    from discretion.requests.models import Request, Task

    sarah, kayden = scene["sarah"], scene["kayden"]
    req = requests.log_request(
        sarah,
        requester=requests.RequesterDetails(name="Dr Who", category="other_agency", works_with_child=True),
        channel="letter",
        person_ids=[kayden.pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    requests.complete_task(sarah, req.pk, "verify_identity", note="ok")
    requests.complete_task(sarah, req.pk, "verify_entitlement", note="ok")
    requests.set_facts(sarah, req.pk, {"channel": "phone"})
    req = Request.objects.get(pk=req.pk)
    assert req.facts["requester"]["entitlement_verified"] is False
    assert "verify_entitlement" in req.decision["conditions"] and req.decision["outcome"] != "share"
    assert Task.objects.filter(request=req, voided_at__isnull=False).count() == 2
    with pytest.raises(requests.InvalidInput, match="Enter the number you called back on"):
        requests.complete_task(sarah, req.pk, "verify_entitlement", note="ok")
    # A new contact for the requester: who they are and that they may have it are checked again.
    requests.complete_task(sarah, req.pk, "verify_identity", note="ok")
    requests.set_facts(sarah, req.pk, {"contact": "dr.who@nhs.example"})
    req = Request.objects.get(pk=req.pk)
    assert (
        req.requester_contact == "dr.who@nhs.example" and req.facts["requester"]["identity_verified"] is False
    )
