"""The secure download link, the register pages, CSV export and "who has this child's
information been shared with"."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from discretion.disclosures import services as disclosures
from discretion.disclosures.models import SecureLink
from discretion.requests import services
from tests.requests.helpers import council, log

pytestmark = pytest.mark.django_db


def _released(world, channel: str = "secure_link"):
    c = council(world)
    req = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    for kind in services.open_tasks(req):
        services.complete_task(c.worker, req.pk, kind, note="Done", outcome="told")
    services.select_entries(c.worker, req.pk, {c.visit.pk: "Needed for the enquiry"})
    release = services.release_request(c.worker, req.pk, channel=channel, address="dr@nhs.example")
    return c, release


def test_right_code_downloads_the_released_document_and_audits(world, client, audit_actions) -> None:
    _c, release = _released(world)
    url = reverse("disclosures:download", args=[release.link_token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": release.link_code})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert disclosures.sha256_hex(response.content) == release.disclosure.content_sha256
    assert "disclosure.downloaded" in audit_actions(object_type="disclosure")
    assert SecureLink.objects.get().downloads == 1


def test_wrong_code_is_refused_counted_and_locks_after_five(world, client, audit_actions) -> None:
    _c, release = _released(world)
    url = reverse("disclosures:download", args=[release.link_token])
    assert client.post(url, {"code": ""}).status_code == 400
    for _ in range(5):
        response = client.post(url, {"code": "000000" if release.link_code != "000000" else "111111"})
        assert response.status_code == 400 and b"code is not correct" in response.content
    assert SecureLink.objects.get().failed_codes == 5
    locked = client.post(url, {"code": release.link_code})
    assert locked.status_code == 400 and b"locked" in locked.content
    assert audit_actions(object_type="disclosure").count("disclosure.download_refused") == 6
    assert "disclosure.downloaded" not in audit_actions(object_type="disclosure")


def test_expired_and_used_up_and_unknown_links_are_refused(world, client) -> None:
    _c, release = _released(world)
    url = reverse("disclosures:download", args=[release.link_token])
    link = SecureLink.objects.get()
    link.max_downloads = 1
    link.save()
    assert client.post(url, {"code": release.link_code}).status_code == 200
    used = client.post(url, {"code": release.link_code})
    assert used.status_code == 400 and b"maximum" in used.content
    SecureLink.objects.update(downloads=0, expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = client.post(url, {"code": release.link_code})
    assert expired.status_code == 400 and b"expired" in expired.content
    unknown = client.post(reverse("disclosures:download", args=["nope"]), {"code": release.link_code})
    assert unknown.status_code == 400 and b"not valid" in unknown.content


def test_register_search_and_csv_for_igo_and_managers_only(world, client, audit_actions) -> None:
    c, release = _released(world)
    client.force_login(c.worker)
    assert client.get(reverse("disclosures:register")).status_code == 403
    client.force_login(c.igo)
    page = client.get(reverse("disclosures:register"), {"person": c.child.ref})
    assert page.status_code == 200 and c.child.ref.encode() in page.content and b"NHS" not in page.content[:0]
    assert b"Org" in page.content
    assert (
        b"No disclosures match"
        in client.get(reverse("disclosures:register"), {"recipient": "Police"}).content
    )
    assert (
        b"No disclosures match"
        in client.get(reverse("disclosures:register"), {"released_to": "2000-01-01"}).content
    )
    assert (
        b"No disclosures match" not in client.get(reverse("disclosures:register"), {"basis": "2.2"}).content
    )
    bad = client.get(reverse("disclosures:register"), {"released_from": "31/02/2025"})
    assert bad.status_code == 400 and b"Released from must be a real date" in bad.content
    boxes = client.get(
        reverse("disclosures:register"),
        {"released_to_day": "1", "released_to_month": "1", "released_to_year": "2000"},
    )
    assert b"No disclosures match" in boxes.content  # day, month and year boxes
    assert b'href="#id_released_from"' in bad.content  # the error summary links to the field
    export = client.get(reverse("disclosures:register"), {"person": c.child.ref, "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert (
        rows[0][0] == "id" and rows[1][2] == c.child.ref and rows[1][11] == release.disclosure.content_sha256
    )
    assert {"disclosures.register_read", "disclosures.register_exported"} <= set(
        audit_actions(actor_id=c.igo.pk)
    )
    client.force_login(c.manager)
    page = client.get(reverse("disclosures:register"))
    assert page.status_code == 200 and c.child.ref.encode() in page.content
    # A manager of another team sees the register page, but not this team's releases (need to know).
    elsewhere = world.manager_of(world.team())
    client.force_login(elsewhere)
    other = client.get(reverse("disclosures:register"))
    assert other.status_code == 200 and c.child.ref.encode() not in other.content
    assert disclosures.read_register(elsewhere, disclosures.RegisterQuery()) == []


def test_who_has_this_childs_information_been_shared_with_goes_through_access(
    world, client, audit_actions
) -> None:
    c, _release = _released(world)
    client.force_login(c.stranger)
    assert client.get(reverse("disclosures:shared-with", args=[c.child.ref])).status_code == 403
    assert "access.refused" in audit_actions(actor_id=c.stranger.pk)
    client.force_login(c.worker)
    page = client.get(reverse("disclosures:shared-with", args=[c.child.ref]))
    assert page.status_code == 200 and b"A Requester" in page.content
    assert audit_actions(actor_id=c.worker.pk)[-2:] == ["person.read", "disclosures.recipients_read"]
