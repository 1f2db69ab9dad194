"""Request pages say whom a request concerns by reference only, read through access (audited);
the queues carry requesters' names, so every listing is audited too (ids, never names)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from discretion.audit.models import AuditEvent
from discretion.requests import services

from .helpers import council, log

pytestmark = pytest.mark.django_db


def _details(action: str) -> list[dict[str, object]]:
    rows = AuditEvent.objects.filter(action=action).order_by("id").values_list("details", flat=True)
    return [json.loads(d) for d in rows]


def test_subject_refs_are_read_through_access_and_audited(world) -> None:
    c = council(world)
    req = log(c, "police", channel="phone", purpose="missing_child")
    assert services.subject_refs(c.worker, req) == [c.child.ref]
    (event,) = AuditEvent.objects.filter(action="person.refs_read")
    assert (event.actor_id, event.object_type, event.object_id) == (
        c.worker.pk,
        "casework",
        f"request:{req.pk}",
    )
    assert json.loads(event.details)["people"] == [c.child.pk]


def test_request_page_and_api_show_the_reference_and_audit_the_read(world, client) -> None:
    c = council(world)
    req = log(c, "police", channel="phone", purpose="missing_child")
    client.force_login(c.worker)
    page = client.get(reverse("requests:detail", args=[req.pk]))
    assert page.status_code == 200 and c.child.ref in page.content.decode()
    assert "Walsh" not in page.content.decode()
    api = client.get(f"/api/requests/{req.pk}")
    assert api.status_code == 200 and api.json()["subjects"] == [c.child.ref]
    reads = AuditEvent.objects.filter(action="person.refs_read", actor_id=c.worker.pk)
    assert reads.count() == 2 and set(reads.values_list("object_id", flat=True)) == {f"request:{req.pk}"}


def test_a_request_about_nobody_reads_no_person(world) -> None:
    c = council(world)
    req = log(c, "media", channel="email", purpose="media_story")
    assert services.subject_refs(c.worker, req) == []
    assert not AuditEvent.objects.filter(action="person.refs_read").exists()


def test_the_queue_page_and_api_are_audited_with_ids_only(world, client) -> None:
    c = council(world)
    referred = log(c, "police", channel="phone", purpose="missing_child")
    assert referred.state == "referred"
    client.force_login(c.manager)
    assert client.get(reverse("requests:queue")).status_code == 200
    (shown,) = _details("requests.queue.listed")
    assert shown["shown"] == [referred.pk]
    assert "A Requester" not in json.dumps(shown)
    assert client.get("/api/requests/queue").json()[0]["id"] == referred.pk
    assert len(_details("requests.queue.listed")) == 2
    # The worker's own list on the same page: their handled requests, audited the same way.
    client.force_login(c.worker)
    client.get(reverse("requests:queue"))
    event = AuditEvent.objects.filter(action="requests.mine.listed", actor_id=c.worker.pk).latest("id")
    assert json.loads(event.details)["shown"] == [referred.pk]


def test_an_empty_queue_is_audited_too(world) -> None:
    c = council(world)
    assert services.queue_for(c.stranger) == []
    (event,) = AuditEvent.objects.filter(action="requests.queue.listed")
    assert event.actor_id == c.stranger.pk and json.loads(event.details)["shown"] == []
