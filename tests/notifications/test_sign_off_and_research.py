"""Four eyes and research decisions find the people who must act: a second information governance
officer is told an FOI answer or a subject-access bundle waits for their sign-off (and sees it on
their home page), the officer who prepared it is told once it is signed off; research governance
is told of a submission and the submitter of the decision. Never the person who acted; the e-mail
names nothing of the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from discretion.information_rights import foi_letters, review
from discretion.information_rights import services as ir
from discretion.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _told(member: Any, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind=kind).select_related("email"))


def _home(client: Any, member: Any) -> str:
    client.force_login(member)
    response = client.get("/")
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.fixture
def officers(world: Any) -> tuple[Any, Any, Any]:
    preparer = world.staff("information_governance", username="igo-prepares")
    signer = world.staff("information_governance", username="igo-signs")
    third = world.staff("information_governance", username="igo-third")
    for member in (preparer, signer, third):
        member.email = f"{member.username}@council.example"
        member.save(update_fields=["email"])
    return preparer, signer, third


def test_a_bundle_waiting_for_sign_off_reaches_the_other_officers_and_back(
    world: Any, officers: Any, client: Any
) -> None:
    preparer, signer, third = officers
    team = world.team()
    child = world.person("Kayden", "Walsh")
    case = world.case(child, team, workers=(world.staff(team=team),))
    world.entry(case, "Visited Kayden at home.")
    sar = ir.open_sar(
        preparer, requester_name="Kayden Walsh", requester_contact="kayden@example.org",
        requester_kind="self", received_on=dt.date.today(),
    )  # fmt: skip
    ir.verify_identity(preparer, sar.pk, evidence="Passport", subject_ref=child.ref)
    ir.compile_records(preparer, sar.pk)
    assert 'id="sign-off"' not in _home(client, signer)  # nothing to sign yet

    review.ask_for_sign_off(preparer, sar.pk)
    for member in (signer, third):
        (notice,) = _told(member, "sign_off")
        assert sar.ref in notice.text and notice.link == f"/information-rights/sar/{sar.pk}/review/"
        assert notice.triggered_by == preparer
        assert (
            notice.email is not None and sar.ref not in notice.email.body and "Walsh" not in notice.email.body
        )
    assert _told(preparer, "sign_off") == []
    page = _home(client, signer)
    assert 'id="sign-off"' in page and sar.ref in page.split('id="sign-off"', 1)[1]
    assert 'id="sign-off"' not in _home(client, preparer)  # nobody signs off their own

    review.sign_off(signer, sar.pk)
    (done,) = _told(preparer, "signed_off")
    assert sar.ref in done.text and done.link == f"/information-rights/sar/{sar.pk}/release/"
    assert _told(signer, "signed_off") == [] and 'id="sign-off"' not in _home(client, third)


def test_an_foi_answer_waits_for_a_second_officer_who_tells_the_first(world: Any, officers: Any) -> None:
    preparer, signer, _third = officers
    req = ir.log_request(
        preparer, requester_name="Ms Curious", requester_contact="c@example.org", channel="email",
        wording="How many foster carers?",
    )  # fmt: skip
    assert _told(signer, "sign_off") == []
    ir.record_outcome(preparer, req.pk, outcome="provided", response_text="There are 212.")
    (notice,) = _told(signer, "sign_off")
    assert req.ref in notice.text and notice.link == f"/information-rights/requests/{req.pk}/"
    answers, bundles = review.waiting_for_sign_off(signer)
    assert [a.pk for a in answers] == [req.pk] and bundles == []
    assert review.waiting_for_sign_off(preparer) == ([], [])
    foi_letters.sign_off_answer(signer, req.pk)
    (done,) = _told(preparer, "signed_off")
    assert req.ref in done.text and "can be sent" in done.text
    assert review.waiting_for_sign_off(signer) == ([], [])


def test_research_governance_hears_of_a_submission_and_the_submitter_of_the_decision(world: Any) -> None:
    from discretion.research import services as research

    worker = world.staff()
    governance = world.staff("research_governance", username="rg-one")
    study = research.submit_request(
        worker,
        research.Submission(
            title="Placement stability", purpose="Evaluation", lawful_basis="Art 6(1)(e)",
            fields=["district"], retention="1 year", audience="The team", requester_name="Dr R",
        ),
    )  # fmt: skip
    (notice,) = _told(governance, "referred")
    assert f"Research request {study.pk} waits for your decision" in notice.text
    assert notice.link == f"/research/{study.pk}/" and _told(worker, "referred") == []
    research.decide_request(governance, study.pk, approve=False, reasons="The purpose is not clear enough.")
    (decided,) = _told(worker, "refused")
    assert decided.text == f"Research request {study.pk} was refused by {governance.display_name}."
    assert _told(governance, "refused") == []
