"""What must be shown cannot be typed in; approvals stand only on the facts approved; nobody
approves their own request; a media enquiry stays one; the register names everyone released."""

from __future__ import annotations

import pytest

from discretion.disclosures.models import Disclosure
from discretion.requests import services
from discretion.requests.models import State

from .helpers import council, log, verify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changes",
    [
        {"requester": {"identity_verified": True}},
        {"requester": {"entitlement_verified": True}},
        {"documents": ["court_order"]},
        {"risk_if_informed": True},
        {"in_writing": True},
    ],
)
def test_what_must_be_shown_cannot_be_set_as_a_fact(world, changes) -> None:
    c = council(world)
    req = log(c, "police", channel="phone", purpose="missing_child")
    before = dict(req.facts)
    with pytest.raises(services.InvalidInput, match="unknown field"):
        services.set_facts(c.worker, req.pk, changes)
    req.refresh_from_db()
    assert req.facts == before


def test_written_consent_is_written_only_once_the_document_is_uploaded(world) -> None:
    c = council(world)
    req = log(c, "solicitor", channel="letter", purpose="other")
    with pytest.raises(services.InvalidInput, match="Upload the written consent"):
        services.set_facts(c.worker, req.pk, {"consent": "written"})


def test_an_approval_does_not_survive_a_change_of_facts(world) -> None:
    c = council(world)
    req = verify(c, log(c, "police", channel="letter", purpose="missing_child"))
    assert req.state == State.REFERRED
    services.decide_referral(c.manager, req.pk, approve=True, reasoning="Missing child, proportionate")
    req.refresh_from_db()
    assert req.state == State.APPROVED and "manager" in req.facts["approvals"]
    services.set_facts(c.worker, req.pk, {"information": ["child_personal", "third_party_personal"]})
    req.refresh_from_db()
    assert req.facts["approvals"] == [] and req.state == State.REFERRED
    assert req.events.filter(action="approvals_withdrawn").exists()


def test_nobody_approves_a_request_they_are_handling(world) -> None:
    c = council(world)
    from discretion.requests.models import Request

    req = log(c, "police", channel="letter", purpose="missing_child")
    Request.objects.filter(pk=req.pk).update(handler=c.manager)
    with pytest.raises(services.NotPermitted, match="Someone other than"):
        services.decide_referral(c.manager, req.pk, approve=True, reasoning="Fine")


def test_a_media_story_cannot_be_turned_into_a_sharing_request(world) -> None:
    c = council(world)
    req = log(c, "other_agency", channel="phone", purpose="media_story", people=())
    with pytest.raises(services.NotPermitted, match="press office"):
        services.set_facts(c.worker, req.pk, {"purpose": "section_47_enquiry"})


def test_a_request_about_a_parent_alone_cannot_release_the_childs_case_notes(world) -> None:
    """A request opens only the cases of the people it names: naming the mother is not asking for
    her child's record (policy 2.4: need to know, only what the request is about)."""
    c = council(world)
    mum = world.person("Leanne", "Walsh", child=False)
    from discretion.records.models import CaseMember

    CaseMember.objects.create(case=c.case, person=mum)
    req = log(
        c,
        "other_agency",
        channel="secure_email",
        purpose="section_47_enquiry",
        works_with_child=True,
        people=(mum,),
    )
    verify(c, req)
    assert services.candidates_for(c.worker, req) == []
    with pytest.raises(services.InvalidInput, match="not one you can release"):
        services.select_entries(c.worker, req.pk, {c.visit.pk: "Needed for the enquiry"})


def test_the_register_names_everyone_a_release_is_about(world) -> None:
    c = council(world)
    mum = world.person("Leanne", "Walsh", child=False)
    from discretion.records.models import CaseMember

    CaseMember.objects.create(case=c.case, person=mum)
    req = log(
        c,
        "other_agency",
        channel="secure_email",
        purpose="section_47_enquiry",
        works_with_child=True,
        people=(mum, c.child),
    )
    for kind in services.open_tasks(req):
        services.complete_task(c.worker, req.pk, kind, note="Done", outcome="told")
    services.select_entries(c.worker, req.pk, {c.visit.pk: "Needed for the enquiry"})
    with pytest.raises(services.InvalidInput, match="correct format"):
        services.release_request(c.worker, req.pk, channel="secure_link", address="not an email")
    services.release_request(c.worker, req.pk, channel="secure_link", address="dr@nhs.example")
    disclosure = Disclosure.objects.get()
    assert set(disclosure.subjects.values_list("person_id", flat=True)) == {mum.pk, c.child.pk}


def test_overlong_intake_text_is_an_error_not_cut_short(world, client) -> None:
    c = council(world)
    from discretion.requests.models import Request

    with pytest.raises(services.InvalidInput, match="200 characters or fewer"):
        services.log_request(
            c.worker,
            requester=services.RequesterDetails(name="A" * 201, category="other_agency"),
            channel="letter",
            person_ids=[c.child.pk],
            information=["child_personal"],
            purpose="care_planning",
        )
    client.force_login(c.worker)
    r = client.post(
        "/api/requests/",
        {
            "requester": {"name": "A", "category": "other_agency"},
            "channel": "letter",
            "person_refs": [c.child.ref],
            "information": ["child_personal"],
            "purpose": "care_planning",
            "summary": "x" * 5001,
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "5000 characters or fewer" in r.json()["detail"]
    assert not Request.objects.exists()


def test_a_body_over_the_upload_limit_gets_a_json_error_from_the_api(world, client, settings) -> None:
    c = council(world)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(c.worker)
    r = client.post("/api/requests/", b'{"summary": "' + b"x" * 4096 + b'"}', content_type="application/json")
    assert r.status_code == 400 and r.json() == {"detail": "The request is too large."}


def test_the_entries_page_marks_special_category_and_third_party_entries(world, client) -> None:
    from django.urls import reverse

    c = council(world)
    health = world.entry(c.case, "Referred to CAMHS for low mood.", title="Health", special_category=True)
    req = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    verify(c, req)
    client.force_login(c.worker)
    page = client.get(reverse("requests:entries", args=[req.pk])).content.decode()
    assert page.count('data-flag="special-category"') == 1 and f"entry-{health.pk}" in page
    assert page.count('data-flag="third-party"') == 1
