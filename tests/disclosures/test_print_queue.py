"""Letters released by post: the print queue, the audited print, and recording the posting."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from discretion import access
from discretion.audit.models import AuditEvent
from discretion.disclosures import letters
from discretion.disclosures import services as disclosures
from discretion.disclosures.models import OutboxMessage
from tests.disclosures.test_link_and_register import _released

pytestmark = pytest.mark.django_db

ADDRESS = "Dr A Okafor\nMoorside Surgery\n1 Mill Lane\nChorley PR7 1AA"


def _posted_letter(world):
    c, release = _released(world, channel="post")
    OutboxMessage.objects.filter(pk=release.message.pk).update(recipient_address=ADDRESS)
    return c, release


def test_the_releaser_and_an_igo_see_the_letter_others_do_not(world) -> None:
    c, release = _posted_letter(world)
    assert [m.pk for m in disclosures.print_queue(c.worker)] == [release.message.pk]
    assert [m.pk for m in disclosures.print_queue(c.igo)] == [release.message.pk]
    assert disclosures.print_queue(c.stranger) == [] and disclosures.print_queue(c.manager) == []
    volunteer = world.staff(employment_type="volunteer", responsible=c.worker)
    with pytest.raises(access.NotPermitted):
        disclosures.print_queue(volunteer)


def test_printing_is_a_read_through_the_one_door_audited_against_the_child(world) -> None:
    c, release = _posted_letter(world)
    message = letters.open_letter_for(c.igo, release.message.pk)
    assert bytes(message.payload).startswith(b"%PDF-")
    printed = AuditEvent.objects.get(action="disclosure.printed")
    assert printed.actor_id == c.igo.pk and printed.person_id == c.child.pk
    assert json.loads(printed.details)["sha256"] == release.disclosure.content_sha256
    with pytest.raises(access.NotFound):
        letters.open_letter_for(c.stranger, release.message.pk)
    refused = AuditEvent.objects.get(action="access.refused", actor_id=c.stranger.pk)
    assert refused.object_type == "disclosure" and refused.person_id == c.child.pk
    secure = _released(world)[1]
    with pytest.raises(access.NotFound):  # only letters are printed
        letters.open_letter_for(c.igo, secure.message.pk)


def test_recording_the_posting_checks_the_date_and_leaves_the_queue(world) -> None:
    c, release = _posted_letter(world)
    today = timezone.localdate()
    with pytest.raises(disclosures.InvalidInput, match="today or in the past"):
        disclosures.mark_posted(c.worker, release.message.pk, posted_on=today + dt.timedelta(days=1))
    with pytest.raises(disclosures.InvalidInput, match="on or after the day it was released"):
        disclosures.mark_posted(c.worker, release.message.pk, posted_on=today - dt.timedelta(days=3))
    with pytest.raises(access.NotFound):
        disclosures.mark_posted(c.stranger, release.message.pk, posted_on=today)
    assert not AuditEvent.objects.filter(action="disclosure.posted").exists()
    disclosures.mark_posted(c.worker, release.message.pk, posted_on=today, reference=" RR123456789GB ")
    message = OutboxMessage.objects.get(pk=release.message.pk)
    assert (message.posted_on, message.posted_by_id, message.postal_reference) == (
        today,
        c.worker.pk,
        "RR123456789GB",
    )
    assert disclosures.print_queue(c.igo) == []
    with pytest.raises(disclosures.InvalidInput, match="recorded as posted on"):
        disclosures.mark_posted(c.igo, release.message.pk, posted_on=today)
    posted = AuditEvent.objects.get(action="disclosure.posted")
    assert posted.person_id == c.child.pk and json.loads(posted.details)["tracked"] is True


def test_the_pages_list_print_and_record_with_govuk_errors(world, client) -> None:
    c, release = _posted_letter(world)
    client.force_login(c.worker)
    page = client.get(reverse("disclosures:print-queue"))
    assert page.status_code == 200
    assert "Moorside Surgery<br>1 Mill Lane" in page.content.decode()
    letter = client.get(reverse("disclosures:print-letter", args=[release.message.pk]))
    assert letter.status_code == 200 and letter["Cache-Control"] == "no-store"
    assert letter.content == bytes(release.message.payload)
    url = reverse("disclosures:letter-posted", args=[release.message.pk])
    bad = client.post(url, {"posted_on_day": "31", "posted_on_month": "2", "posted_on_year": "2026"})
    assert bad.status_code == 400 and "govuk-error-summary" in bad.content.decode()
    assert "Date posted must be a real date" in bad.content.decode()
    today = timezone.localdate()
    done = client.post(
        url, {"posted_on_day": today.day, "posted_on_month": today.month, "posted_on_year": today.year}
    )
    assert done.status_code == 302
    assert "recorded as posted" in client.get(done["Location"]).content.decode()
    client.force_login(c.stranger)
    assert client.get(reverse("disclosures:print-letter", args=[release.message.pk])).status_code == 404
    assert client.get(url).status_code == 404


def test_the_api_lists_prints_and_records(world, client) -> None:
    c, release = _posted_letter(world)
    client.force_login(c.igo)
    rows = client.get("/api/disclosures/print-queue").json()
    assert [(r["id"], r["address"], r["posted_on"]) for r in rows] == [(release.message.pk, ADDRESS, None)]
    letter = client.get(f"/api/disclosures/print-queue/{release.message.pk}/letter")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF-")
    url = f"/api/disclosures/print-queue/{release.message.pk}/posted"
    assert client.post(url, "{not json", content_type="application/json").status_code in (400, 422)
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    r = client.post(url, {"posted_on": future}, content_type="application/json")
    assert r.status_code == 400 and "today or in the past" in r.json()["detail"]
    r = client.post(url, {"posted_on": timezone.localdate().isoformat()}, content_type="application/json")
    assert r.status_code == 200 and r.json()["posted_on"] == timezone.localdate().isoformat()
    assert client.get("/api/disclosures/print-queue").json() == []
    client.force_login(c.stranger)
    assert client.get(f"/api/disclosures/print-queue/{release.message.pk}/letter").status_code == 404
