"""State machine details: need_more ↔ received, decision history, who may do what."""

from __future__ import annotations

import pytest

from discretion.requests import services
from discretion.requests.models import DecisionRecord, RequestEvent

from .helpers import council, log, verify

pytestmark = pytest.mark.django_db


def test_need_more_returns_to_received_when_the_facts_arrive_para_1_4(world, audit_actions) -> None:
    c = council(world)
    req = log(
        c,
        "other_agency",
        channel="secure_email",
        purpose="section_47_enquiry",
        information=(),
        works_with_child=True,
    )
    assert req.state == "need_more" and req.decision["missing"] == ["information"]
    with pytest.raises(services.NotPermitted):
        services.set_facts(c.stranger, req.pk, {"information": ["child_personal"]})
    req = services.set_facts(c.worker, req.pk, {"information": ["child_personal"]})
    assert req.state == "need_more" and "entitlement_verified" in req.decision["missing"]
    req = verify(c, req)
    states = list(RequestEvent.objects.filter(request=req).values_list("from_state", "to_state"))
    assert ("need_more", "received") in states and ("received", "approved") in states
    history = list(DecisionRecord.objects.filter(request=req).values_list("decision__outcome", flat=True))
    assert history == ["need_more", "need_more", "need_more", "share"]
    assert audit_actions(object_type="request").count("request.decided") == 4


def test_approvals_come_only_from_the_right_role_para_2_4(world) -> None:
    c = council(world)
    req = log(c, "police", channel="phone", purpose="missing_child")
    for wrong in (c.worker, c.stranger, c.legal, c.press):
        with pytest.raises(services.NotPermitted):
            services.decide_referral(wrong, req.pk, approve=True, reasoning="ok")
    with pytest.raises(services.InvalidInput):
        services.set_facts(c.worker, req.pk, {"requester": {"category": "media"}})
    services.decide_referral(c.igo, req.pk, approve=True, reasoning="IGO content")
    req.refresh_from_db()
    assert req.facts["approvals"] == ["information_governance"]


def test_media_enquiry_cannot_be_reworked_or_released_para_1_5(world) -> None:
    c = council(world)
    req = log(c, "media", channel="email", purpose="media_story")
    assert req.state == "referred" and not req.subject_links.exists()
    with pytest.raises(services.NotPermitted):
        services.set_facts(c.worker, req.pk, {"information": ["child_personal"]})
    with pytest.raises(services.NotPermitted):
        services.select_entries(c.worker, req.pk, {c.visit.pk: "x"})
    with pytest.raises(services.NotPermitted):
        services.release_request(c.worker, req.pk, channel="post", address="x")
