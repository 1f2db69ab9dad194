"""Research pages through the web client."""

from __future__ import annotations

from discretion.disclosures.models import Disclosure
from discretion.research.models import RequestStatus, ResearchRequest

FORM = {
    "title": "Attendance",
    "purpose": "Evaluate school attendance support",
    "lawful_basis": "Public task",
    "data_wanted": ["district", "gender"],
    "retention": "6 months",
    "audience": "Two analysts",
    "requester_name": "Sam Analyst",
}


def test_submit_decide_and_extract(client, people, children, audit_actions):
    client.force_login(people["worker"])
    assert client.get("/research/new/").status_code == 200
    response = client.post("/research/new/", FORM)
    req = ResearchRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/research/{req.pk}/"
    waiting = client.get(f"/research/{req.pk}/").content.decode()
    assert "Waiting for a decision" in waiting and "Someone other than you must decide" in waiting
    assert people["research"].display_name in waiting  # who can decide
    assert (
        client.post(f"/research/{req.pk}/decision/", {"decision": "approve", "reasons": "x"}).status_code
        == 403
    )

    client.force_login(people["research"])
    bad = client.post(f"/research/{req.pk}/decision/", {"decision": "approve", "reasons": ""})
    assert bad.status_code == 400 and b"Enter the reasons for your decision" in bad.content
    ok = client.post(f"/research/{req.pk}/decision/", {"decision": "approve", "reasons": "Proportionate"})
    assert ok.status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED
    released = client.post(f"/research/{req.pk}/extracts/", {})
    assert released.status_code == 200 and b"Extract released" in released.content
    assert Disclosure.objects.count() == 1
    assert b"Disclosure" in client.get(f"/research/{req.pk}/").content


def test_submission_errors(client, people):
    client.force_login(people["worker"])
    response = client.post("/research/new/", {**FORM, "data_wanted": [], "is_external": "on", "purpose": ""})
    assert response.status_code == 400
    for message in (
        b"Select the data wanted",
        b"Enter the purpose",
        b"Enter the organisation asking",
        b"Enter how the requester",
    ):
        assert message in response.content
    assert not ResearchRequest.objects.exists()


def test_failing_extract_shows_the_report(client, people, children):
    client.force_login(people["worker"])
    client.post("/research/new/", FORM)
    req = ResearchRequest.objects.get()
    client.force_login(people["research"])
    client.post(f"/research/{req.pk}/decision/", {"decision": "approve", "reasons": "ok", "k": "40"})
    response = client.post(f"/research/{req.pk}/extracts/", {})
    assert response.status_code == 400 and b"cannot be released" in response.content
    page = response.content.decode()
    assert "are in groups of fewer than 40 people" in page
    assert 'id="alternatives"' in page or "No coarser version of these fields passes" in page
    assert not Disclosure.objects.exists()


def test_strangers_see_nothing(client, people, approved):
    client.force_login(people["volunteer"])
    assert client.get(f"/research/{approved.pk}/").status_code == 404
