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
        requester=requests.Requester(
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
        requester=requests.Requester(name="DC Rao", category="police", contact="rao@police.uk"),
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
        requester=requests.Requester(name="DC Rao", category="police", contact="rao@police.uk"),
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
        requester=requests.Requester(
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
        requester=requests.Requester(name="DC Rao", category="police"),
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
