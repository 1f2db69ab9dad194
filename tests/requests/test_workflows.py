"""The issue's workflows through Django's test client: media, police, solicitor with and without a
court order, a Children's Guardian, a Section 47 enquiry."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discretion.disclosures.models import Disclosure, OutboxMessage, SecureLink
from discretion.requests.models import DecisionRecord, Request, RequestEvent

from .helpers import PDF, council, log

pytestmark = pytest.mark.django_db


def _intake(client, answers: dict[str, dict], people: list[int]) -> Request:
    """The intake pages: who is asking (with how it arrived), whom it is about, what and why (for
    the media, only the question), then "check your answers", where it is logged."""
    client.get(reverse("requests:start"))
    who = {**answers["who"], **answers.get("how", {})}
    response = client.post(reverse("requests:step", args=["who"]), who)
    assert response.status_code == 302, response.content
    if who["category"] == "media":
        assert response["Location"] == reverse("requests:step", args=["what"])
        what = {"summary": answers.get("question", {}).get("summary", "Will the council comment?")}
    else:
        response = client.post(reverse("requests:step", args=["whom"]), {"person": people})
        assert response.status_code == 302
        what = {"summary": "What they asked, in their words.", **answers["what"], **answers.get("why", {})}
    response = client.post(reverse("requests:step", args=["what"]), what)
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("requests:step", args=["check"])
    response = client.post(reverse("requests:step", args=["check"]), answers.get("checks", {}))
    assert response.status_code == 302, response.content
    req = Request.objects.latest("id")
    assert response["Location"] == reverse("requests:detail", args=[req.pk]) + "?logged=1"
    return req


def _upload(client, req: Request, code: str) -> None:
    response = client.post(
        reverse("requests:documents", args=[req.pk]),
        {"code": code, "file": SimpleUploadedFile("order.pdf", PDF)},
    )
    assert response.status_code == 302, response.content


def _task(client, req: Request, kind: str, **extra: str) -> None:
    if extra.get("outcome", "told") != "told":
        extra.setdefault("reason", "Telling them now would put them at risk.")
    response = client.post(reverse("requests:task", args=[req.pk]), {"kind": kind, "note": "Done.", **extra})
    assert response.status_code == 302
    assert not client.session.get("request_error"), client.session.get("request_error")


def test_media_enquiry_is_a_press_office_referral_and_nothing_else_para_1_5(
    world, client, audit_actions
) -> None:
    c = council(world)
    client.force_login(c.worker)
    req = _intake(
        client,
        {
            "who": {"category": "media", "name": "Reporter", "organisation": "Gazette"},
            "how": {"channel": "phone"},
        },
        [c.child.pk],
    )
    assert req.state == "referred"
    assert req.decision["route_to"] == ["press_office"]
    assert req.subject_links.count() == 0 and req.facts["information"] == []
    page = client.get(reverse("requests:detail", args=[req.pk]))
    assert b"press_office" in page.content and b"Policy 1.5" in page.content
    assert client.get(reverse("requests:entries", args=[req.pk])).status_code == 403
    client.force_login(c.press)
    assert req.pk in [r.pk for r in _queue(c.press)]
    assert req.pk not in [r.pk for r in _queue(c.manager)]
    assert (
        client.post(reverse("requests:close", args=[req.pk]), {"note": "Press statement issued."}).status_code
        == 302
    )
    req.refresh_from_db()
    assert req.state == "closed"
    assert Disclosure.objects.count() == 0
    assert "request.closed" in audit_actions(object_type="request")


def _queue(staff):
    from discretion.requests import services

    return services.queue_for(staff)


def _checks(staff):
    from discretion.requests import services

    return services.checks_for(staff)


def test_police_phone_missing_child_refer_manager_approves_share_release_para_1_5_2_4(
    world, client, audit_actions
) -> None:
    c = council(world)
    client.force_login(c.worker)
    answers = {
        "who": {
            "category": "police",
            "name": "DC Rao",
            "organisation": "County Police",
            "contact": "dc.rao@police.example",
        },
        "how": {"channel": "phone"},
        "what": {"information": ["child_personal"]},
        "why": {"purpose": "missing_child"},
    }
    req = _intake(client, answers, [c.child.pk])
    req.refresh_from_db()
    assert req.state == "referred"
    assert "manager" in req.decision["route_to"]
    assert req.pk in [r.pk for r in _queue(c.manager)]
    assert req.pk not in [r.pk for r in _queue(c.stranger)]
    # The handler cannot approve their own referral.
    client.post(reverse("requests:referral", args=[req.pk]), {"approve": "yes", "reasoning": "Fine"})
    req.refresh_from_db()
    assert req.state == "referred"

    client.force_login(c.manager)
    response = client.post(reverse("requests:referral", args=[req.pk]), {"approve": "yes", "reasoning": ""})
    assert client.session["request_error"] == "Enter the reasons for your decision"
    client.get(reverse("requests:detail", args=[req.pk]))
    response = client.post(
        reverse("requests:referral", args=[req.pk]),
        {"approve": "yes", "reasoning": "Child missing overnight; police need last known places."},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    # Approved, but "share" waits until the caller's identity and entitlement are checked (2.4).
    assert req.state == "need_more" and req.decision["outcome"] == "need_more"
    assert req.facts["approvals"] == ["manager"]
    assert {"verify_identity", "verify_entitlement", "inform_subject"} <= set(req.decision["conditions"])

    client.force_login(c.worker)
    # Nothing can be chosen, let alone released, while a check that must come first is open.
    assert client.get(reverse("requests:entries", args=[req.pk])).status_code == 403
    blocked = client.post(
        reverse("requests:release", args=[req.pk]), {"channel": "secure_link", "address": "x@p.uk"}
    )
    assert blocked.status_code == 400
    # Phone: entitlement needs a call back on an independently sourced number (2.4).
    client.post(
        reverse("requests:task", args=[req.pk]), {"kind": "verify_entitlement", "note": "Called back"}
    )
    assert client.session["request_error"] == "Enter the number you called back on"
    client.post(
        reverse("requests:task", args=[req.pk]),
        {"kind": "verify_entitlement", "note": "Called back", "callback_number": "01632 960000"},
    )
    assert "independent source" in client.session["request_error"]
    assert client.get(reverse("requests:detail", args=[req.pk])).status_code == 400  # shows, then clears
    _task(client, req, "verify_identity")
    _task(
        client, req, "verify_entitlement", callback_number="01632 960000", number_source="Force switchboard"
    )
    req.refresh_from_db()
    assert req.state == "approved" and req.decision["outcome"] == "share"
    page = client.get(reverse("requests:entries", args=[req.pk]))
    assert page.status_code == 200 and b"Withheld" in page.content
    bad = client.post(
        reverse("requests:entries", args=[req.pk]),
        {"entry": [c.family.pk], f"reason_{c.family.pk}": "context"},
    )
    assert bad.status_code == 400 and b"withheld" in bad.content
    ok = client.post(
        reverse("requests:entries", args=[req.pk]),
        {"entry": [c.visit.pk], f"reason_{c.visit.pk}": "Places the child goes"},
    )
    assert ok.status_code == 302
    blocked = client.post(
        reverse("requests:release", args=[req.pk]), {"channel": "secure_link", "address": "x@p.uk"}
    )
    assert blocked.status_code == 400 and b"Before release" in blocked.content  # the child not yet told
    _task(client, req, "inform_subject", outcome="understanding")
    response = client.post(
        reverse("requests:release", args=[req.pk]),
        {"channel": "secure_link", "address": "dc.rao@police.example"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    code = re.search(rb'id="code"><strong>(\d{6})<', page.content).group(1).decode()
    assert client.get(response["Location"]).content.count(code.encode()) == 0  # shown once
    req.refresh_from_db()
    assert req.state == "released"
    d = req.disclosure
    assert d.entry_ids == [c.visit.pk] and d.approved_by == c.manager and d.channel == "secure_link"
    assert "1.5-police" in d.rules and "policy 2.4" in d.legal_basis
    assert list(d.subjects.values_list("person_id", flat=True)) == [c.child.pk]
    message = OutboxMessage.objects.get(disclosure=d)
    assert b"Home visit" in bytes(message.payload) and b"conviction" not in bytes(message.payload)
    # The link's place only (the worker writes the link in when it sends), and never the code.
    assert "[secure download link]" in message.body and code not in message.body
    assert SecureLink.objects.filter(message=message).count() == 1
    actions = audit_actions(object_type="request", object_id=str(req.pk))
    assert {
        "request.logged",
        "request.decided",
        "request.approved",
        "request.task_done",
        "request.entries_selected",
        "request.released",
    } <= set(actions)
    assert (
        list(RequestEvent.objects.filter(request=req).values_list("to_state", flat=True)).count("released")
        == 1
    )
    assert client.post(reverse("requests:close", args=[req.pk]), {"note": "Child found."}).status_code == 302


def test_solicitor_without_court_order_is_never_shared_para_1_5(world, client) -> None:
    c = council(world)
    client.force_login(c.worker)
    req = _intake(
        client,
        {
            "who": {"category": "solicitor", "name": "J Smith", "organisation": "Smith & Co"},
            "how": {"channel": "letter"},
            "what": {"information": ["child_personal"]},
            "why": {"purpose": "legal_proceedings"},
        },
        [c.child.pk],
    )
    req.refresh_from_db()
    assert req.state == "referred" and req.decision["route_to"] == ["legal_services"]
    assert req.decision["missing"] == ["court_order"]
    assert req.pk not in [r.pk for r in _queue(c.manager)]
    client.force_login(c.legal)
    client.post(reverse("requests:referral", args=[req.pk]), {"approve": "yes", "reasoning": "Letter only."})
    req.refresh_from_db()
    assert req.decision["outcome"] != "share" and req.state == "referred"
    client.post(
        reverse("requests:referral", args=[req.pk]), {"approve": "no", "reasoning": "No court order."}
    )
    req.refresh_from_db()
    assert req.state == "refused"
    client.force_login(c.worker)
    assert client.get(reverse("requests:entries", args=[req.pk])).status_code == 403
    assert Disclosure.objects.count() == 0


def test_solicitor_with_court_order_shares_confidential_source_only_under_the_order_para_1_5_3(
    world, client
) -> None:
    c = council(world)
    client.force_login(c.worker)
    req = _intake(
        client,
        {
            "who": {"category": "solicitor", "name": "J Smith", "contact": "Smith & Co, 1 Court St, Preston"},
            "how": {"channel": "letter"},
            "what": {"information": ["child_personal", "confidential_source"]},
            "why": {"purpose": "legal_proceedings"},
        },
        [c.child.pk],
    )
    _upload(client, req, "court_order")
    req.refresh_from_db()
    # Uploaded is not evidence: Legal Services check the order first (policy 1.5).
    assert req.facts["documents"] == [] and req.state == "referred"
    doc = req.documents.get()
    client.force_login(c.igo)
    client.post(
        reverse("requests:check-document", args=[req.pk]),
        {"document": doc.pk, "accept": "yes", "note": "Looks fine"},
    )
    req.refresh_from_db()
    assert req.facts["documents"] == []  # the IGO cannot check a court order
    client.force_login(c.legal)
    assert req.pk in [d.request_id for d in _checks(c.legal)[0]]
    response = client.post(
        reverse("requests:check-document", args=[req.pk]),
        {"document": doc.pk, "accept": "yes", "note": "Sealed order, Preston FC, case PR25C001, 3 March."},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.facts["documents"] == ["court_order"] and req.state == "referred"
    client.post(reverse("requests:referral", args=[req.pk]), {"approve": "yes", "reasoning": "Order seen."})
    req.refresh_from_db()
    assert req.state == "need_more" and req.decision["outcome"] == "need_more"
    client.force_login(c.worker)
    for kind in ("verify_identity", "verify_entitlement"):
        _task(client, req, kind)
    req.refresh_from_db()
    assert req.state == "approved" and req.decision["outcome"] == "share"
    ok = client.post(
        reverse("requests:entries", args=[req.pk]),
        {
            "entry": [c.visit.pk, c.referrer.pk],
            f"reason_{c.visit.pk}": "Ordered",
            f"reason_{c.referrer.pk}": "Order names the referral",
        },
    )
    assert ok.status_code == 302
    _task(client, req, "inform_subject", outcome="told")
    assert (
        client.post(
            reverse("requests:release", args=[req.pk]), {"channel": "post", "address": "1 Court St"}
        ).status_code
        == 302
    )
    d = Disclosure.objects.get()
    assert sorted(d.entry_ids) == sorted([c.visit.pk, c.referrer.pk]) and d.channel == "post"
    assert d.approved_by == c.legal
    assert not SecureLink.objects.exists()


def test_childrens_guardian_with_appointment_is_shared_para_2_4(world, client) -> None:
    c = council(world)
    client.force_login(c.worker)
    req = _intake(
        client,
        {
            "who": {"category": "childrens_guardian", "name": "A Guardian", "organisation": "Cafcass"},
            "how": {"channel": "secure_email"},
            "what": {"information": ["child_personal"]},
            "why": {"purpose": "legal_proceedings"},
        },
        [c.child.pk],
    )
    req.refresh_from_db()
    assert req.decision["missing"][0] == "guardian_appointment"
    _upload(client, req, "guardian_appointment")
    req.refresh_from_db()
    assert req.decision["missing"][0] == "guardian_appointment"  # not evidence until checked
    client.force_login(c.igo)
    response = client.post(
        reverse("requests:check-document", args=[req.pk]),
        {"document": req.documents.get().pk, "accept": "yes", "note": "Cafcass appointment, ref 123."},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert "guardian_appointment" not in req.decision["missing"]
    assert "2.4-statutory" in [r["rule"] for r in req.decision["reasons"]]
    client.force_login(c.worker)
    for kind in ("verify_identity", "verify_entitlement"):
        _task(client, req, kind)
    req.refresh_from_db()
    assert req.decision["outcome"] == "share" and req.state == "approved"
    assert DecisionRecord.objects.filter(request=req).count() == 4


def test_section_47_enquiry_shares_and_a_risk_reason_drops_informing_para_2_2_to_2_4(world, client) -> None:
    c = council(world)
    client.force_login(c.worker)
    req = _intake(
        client,
        {
            "who": {
                "category": "other_agency",
                "name": "Dr Okafor",
                "organisation": "NHS",
                "works_with_child": "on",
                "contact": "dr@nhs.example",
            },
            "how": {"channel": "secure_email"},
            "what": {"information": ["child_personal"]},
            "why": {"purpose": "section_47_enquiry"},
        },
        [c.child.pk],
    )
    req.refresh_from_db()
    assert req.state == "need_more" and "verify_entitlement" in req.decision["conditions"]
    assert "inform_subject" in req.decision["conditions"]
    _task(client, req, "inform_subject", outcome="risk")
    req.refresh_from_db()
    assert req.facts["risk_if_informed"] is True
    assert "inform_subject" not in req.decision["conditions"]
    records = list(DecisionRecord.objects.filter(request=req))
    assert len(records) == 2 and records[0].facts["risk_if_informed"] is False
    for kind in ("verify_identity", "verify_entitlement"):
        if kind in req.decision["conditions"]:
            _task(client, req, kind)
    req.refresh_from_db()
    assert req.state == "approved" and req.decision["outcome"] == "share"
    client.post(
        reverse("requests:entries", args=[req.pk]), {"entry": [c.visit.pk], f"reason_{c.visit.pk}": "S47"}
    )
    assert (
        client.post(
            reverse("requests:release", args=[req.pk]),
            {"channel": "secure_link", "address": "dr@nhs.example"},
        ).status_code
        == 302
    )
    assert Disclosure.objects.get().rules[:1] == ["1.1-record"]


def test_intake_questions_show_gov_uk_errors(world, client) -> None:
    c = council(world)
    client.force_login(c.worker)
    client.get(reverse("requests:start"))
    assert client.get(reverse("requests:step", args=["what"])).status_code == 302  # must start at the start
    assert client.get(reverse("requests:step", args=["check"])).status_code == 302
    response = client.post(reverse("requests:step", args=["who"]), {})
    assert response.status_code == 400
    assert b"Select who is asking" in response.content and b"<title>Error:" in response.content
    # The error summary links to the first radio of the question at fault (GOV.UK pattern).
    assert b'<a href="#id_category_0">Select who is asking</a>' in response.content
    assert b'<a href="#id_channel_0">Select how the request arrived</a>' in response.content
    assert b'id="id_category_0"' in response.content
    client.post(
        reverse("requests:step", args=["who"]), {"category": "police", "name": "DC Rao", "channel": "phone"}
    )
    response = client.post(reverse("requests:step", args=["whom"]), {})
    assert response.status_code == 400 and b"Select the child" in response.content
    # The worker's own caseload is offered without searching, and the error links to its first child.
    assert f'<a href="#person-{c.child.pk}">Select the child'.encode() in response.content
    # Answers out of order go back to the first one missing.
    assert client.get(reverse("requests:step", args=["check"]))["Location"] == reverse(
        "requests:step", args=["whom"]
    )
    # Search through access: a child the worker has no need to know is not offered.
    other = world.person("Kayla", "Walsh")
    world.case(other, world.team())
    page = client.get(reverse("requests:step", args=["whom"]), {"q": "Walsh"})
    assert f'value="{c.child.pk}"'.encode() in page.content
    assert f'value="{other.pk}"'.encode() not in page.content


def test_picking_a_child_without_need_to_know_is_refused_and_audited(world, audit_actions) -> None:
    from discretion import access
    from discretion.requests import services

    c = council(world)
    with pytest.raises(access.AccessDenied):
        services.log_request(
            c.stranger,
            requester=services.RequesterDetails(name="DC Rao", category="police"),
            channel="phone",
            person_ids=[c.child.pk],
            purpose="missing_child",
            information=["child_personal"],
        )
    assert Request.objects.count() == 0
    assert audit_actions(actor_id=c.stranger.pk) == ["access.refused"]


def test_document_upload_checks_type(world, client) -> None:
    c = council(world)
    req = log(c, "solicitor", channel="letter", purpose="legal_proceedings")
    client.force_login(c.worker)
    response = client.post(
        reverse("requests:documents", args=[req.pk]),
        {"code": "court_order", "file": SimpleUploadedFile("order.pdf", b"not a pdf")},
    )
    assert response.status_code == 400 and b"must be a PDF" in response.content
    assert io.BytesIO(PDF).read(5) == b"%PDF-"
