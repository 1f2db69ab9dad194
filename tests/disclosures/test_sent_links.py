"""Secure links as senders and recipients expect them: the recipient's page names the council and the
sender and says when the link expires; senders and the IGO see each link's status and can revoke it
(audited); a revoked link refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from discretion.disclosures import sent
from discretion.disclosures.models import OutboxStatus, SecureLink
from discretion.requests import services
from tests.requests.helpers import council, log

pytestmark = pytest.mark.django_db


def _released(c: Any) -> Any:
    req = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    for kind in services.open_tasks(req):
        services.complete_task(c.worker, req.pk, kind, note="Done", outcome="told")
    services.select_entries(c.worker, req.pk, {c.visit.pk: "Needed for the enquiry"})
    return services.release_request(c.worker, req.pk, channel="secure_link", address="dr@nhs.example")


def _status(member: Any) -> list[str]:
    return [row.status.value for row in sent.links_sent(member)]


def test_each_status_from_queued_to_downloaded(world: Any, client: Any, audit_actions: Any) -> None:
    c = council(world)
    release = _released(c)
    assert _status(c.worker) == ["queued"]
    release.message.status = OutboxStatus.SENT
    release.message.save()
    assert _status(c.worker) == ["sent"]
    url = reverse("disclosures:download", args=[release.link_token])
    assert client.get(url).status_code == 200
    assert _status(c.worker) == ["opened"]
    assert audit_actions(object_type="disclosure").count("disclosure.link_opened") == 1
    client.get(url)  # opened once is enough
    assert audit_actions(object_type="disclosure").count("disclosure.link_opened") == 1
    client.post(url, {"code": release.link_code})
    assert _status(c.worker) == ["downloaded"]
    assert "disclosures.links_read" in audit_actions(actor_id=c.worker.pk)
    SecureLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert _status(c.worker) == ["expired"]


def test_the_recipient_page_names_the_council_and_sender_and_the_expiry(
    world: Any, client: Any, settings: Any
) -> None:
    settings.COUNCIL_NAME = "Lancashire Borough Council"
    c = council(world)
    release = _released(c)
    page = client.get(reverse("disclosures:download", args=[release.link_token])).content.decode()
    expires = timezone.localtime(SecureLink.objects.get().expires_at)
    assert "Lancashire Borough Council sent you these documents securely" in page
    assert f"sent by <strong>{c.worker.display_name}</strong>, {c.team.name}" in page
    assert f"This link expires on <strong>{expires:%-d %B %Y}" in page
    assert "Kayden" not in page  # nothing of the child before the code


def test_an_unknown_link_says_so_and_is_counted_as_a_refusal(client: Any, audit_actions: Any) -> None:
    response = client.get(reverse("disclosures:download", args=["not-a-real-token"]))
    assert response.status_code == 404 and b"This link is not valid." in response.content
    assert audit_actions().count("disclosure.download_refused") == 1


def test_the_sender_revokes_a_link_with_a_reason_and_it_refuses(
    world: Any, client: Any, audit_actions: Any
) -> None:
    c = council(world)
    release = _released(c)
    link = SecureLink.objects.get()
    client.force_login(c.worker)
    listing = client.get(reverse("disclosures:links")).content.decode()
    assert "dr@nhs.example" in listing and 'data-status="queued"' in listing
    confirm = reverse("disclosures:revoke-link", args=[link.pk])
    assert client.get(confirm).status_code == 200
    missing_reason = client.post(confirm, {"reason": ""})
    assert (
        missing_reason.status_code == 400 and b"Enter why you are revoking the link" in missing_reason.content
    )
    assert b'href="#id_reason"' in missing_reason.content
    response = client.post(confirm, {"reason": "Sent to the wrong GP practice"})
    assert response.status_code == 302 and response["Location"].endswith(f"?revoked={link.pk}")
    link.refresh_from_db()
    assert (
        link.revoked
        and link.revoked_by == c.worker
        and link.revoked_reason == "Sent to the wrong GP practice"
    )
    assert "disclosure.link_revoked" in audit_actions(actor_id=c.worker.pk)
    assert _status(c.worker) == ["revoked"]
    url = reverse("disclosures:download", args=[release.link_token])
    assert b"withdrawn" in client.get(url).content
    refused = client.post(url, {"code": release.link_code})
    assert refused.status_code == 400 and b"withdrawn" in refused.content
    again = client.post(confirm, {"reason": "Twice"})
    assert again.status_code == 400 and b"already been revoked" in again.content


def test_only_the_sender_or_the_igo_may_see_or_revoke_a_link(
    world: Any, client: Any, audit_actions: Any
) -> None:
    c = council(world)
    _released(c)
    link = SecureLink.objects.get()
    client.force_login(c.stranger)
    assert client.get(reverse("disclosures:links")).status_code == 200
    assert _status(c.stranger) == []
    assert client.get(reverse("disclosures:revoke-link", args=[link.pk])).status_code == 404
    assert client.post(reverse("disclosures:revoke-link", args=[link.pk]), {"reason": "x"}).status_code == 404
    assert "disclosures.link.refused" in audit_actions(actor_id=c.stranger.pk)
    link.refresh_from_db()
    assert not link.revoked
    assert _status(c.igo) == ["queued"]
    sent.revoke_link(c.igo, link.pk, reason="The GP asked us to")
    with pytest.raises(sent.InvalidInput, match="already been revoked"):
        sent.revoke_link(c.worker, link.pk, reason="Again")


def test_an_expired_link_cannot_be_revoked(world: Any) -> None:
    c = council(world)
    _released(c)
    link = SecureLink.objects.get()
    SecureLink.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(sent.InvalidInput, match="already expired"):
        sent.revoke_link(c.worker, link.pk, reason="Late")


def test_the_api_lists_and_revokes(world: Any, client: Any) -> None:
    c = council(world)
    _released(c)
    link = SecureLink.objects.get()
    client.force_login(c.worker)
    (row,) = client.get("/api/disclosures/links").json()
    assert row["id"] == link.pk and row["status"] == "queued" and row["address"] == "dr@nhs.example"
    bad = client.post(
        f"/api/disclosures/links/{link.pk}/revoke", {"reason": " "}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "Enter why you are revoking the link"
    done = client.post(
        f"/api/disclosures/links/{link.pk}/revoke",
        {"reason": "Wrong address"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "revoked"
