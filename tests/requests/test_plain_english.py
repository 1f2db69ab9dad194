"""The decision's codes in plain English on the pages; a release reads what it sends through access."""

from __future__ import annotations

import pytest
from django.urls import reverse

from discretion.audit.models import AuditEvent
from discretion.policy import Condition, Route
from discretion.requests import labels, services

from .helpers import council, log, verify

pytestmark = pytest.mark.django_db


def test_every_condition_and_route_has_a_label() -> None:
    assert all(labels.condition_label(c) != c.value for c in Condition)
    assert labels.condition_label("verify_entitlement") == (
        "Check the requester is entitled to the information (policy 2.4)"
    )
    assert all(labels.route_label(r) != r.value for r in Route)
    assert labels.route_label("legal_services") == "Legal Services"  # the council's own name
    assert labels.route_label("a_newer_route") == "a_newer_route"


def test_detail_page_names_routes_and_conditions_para_2_4(client, world) -> None:
    c = council(world)
    req = log(c, "police", channel="phone", purpose="missing_child")
    client.force_login(c.worker)
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert '<span data-route="manager">Team manager</span>' in page
    client.force_login(c.manager)
    queue = client.get(reverse("requests:queue")).content.decode()
    assert f"Request {req.pk}</a> — Police, referred to Team manager" in queue
    client.force_login(c.worker)
    services.decide_referral(c.manager, req.pk, approve=True, reasoning="Missing overnight.")
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert (
        '<li data-condition="verify_entitlement">Check the requester is entitled to the information '
        '(policy 2.4) <strong class="govuk-tag govuk-tag--yellow">to do</strong>'
    ) in page
    assert "Check the requester&#x27;s identity (policy 1.4)" in page


def test_release_blocked_message_names_the_conditions(world) -> None:
    c = council(world)
    req = log(c, "police", channel="phone", purpose="missing_child")
    services.decide_referral(c.manager, req.pk, approve=True, reasoning="Missing overnight.")
    with pytest.raises(services.NotPermitted, match="only once the request is approved"):
        services.select_entries(c.worker, req.pk, {c.visit.pk: "Places the child goes"})
    with pytest.raises(services.NotPermitted, match=r"Before release: .*Check the requester's identity"):
        services.release_request(c.worker, req.pk, channel="post", address="1 High St")


def test_a_referral_not_routed_to_you_is_refused_before_its_state_is_told(world) -> None:
    c = council(world)
    req = log(c, "police", channel="phone", purpose="missing_child")
    services.decide_referral(c.manager, req.pk, approve=True, reasoning="Missing overnight.")
    with pytest.raises(services.NotPermitted, match="not referred to you"):
        services.decide_referral(c.legal, req.pk, approve=True, reasoning="x")


def test_release_reads_each_entry_through_access_para_2_4(client, world) -> None:
    c = council(world)
    req = log(
        c,
        "other_agency",
        channel="secure_email",
        purpose="section_47_enquiry",
        works_with_child=True,
    )
    assert req.state == "need_more"
    req = verify(c, req)
    assert req.state == "approved"
    for kind in services.open_tasks(req):
        services.complete_task(c.worker, req.pk, kind, note="Done.", outcome="told")
    services.select_entries(c.worker, req.pk, {c.visit.pk: "What the child said"})
    client.force_login(c.worker)
    page = client.get(reverse("requests:release", args=[req.pk]))
    assert b"1 entry will be released" in page.content
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    release = services.release_request(c.worker, req.pk, channel="post", address="1 High St")
    reads = AuditEvent.objects.filter(seq__gt=before, action="entry.read", actor_id=c.worker.pk)
    assert list(reads.values_list("object_id", flat=True)) == [str(c.visit.pk)]
    assert release.disclosure.entry_ids == [c.visit.pk]
