"""Reviewing document pages through the pages, the API and the command line: every action works
without JavaScript, refusals are the dull 404 and audited, page images are never cached."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest
from django.urls import reverse

from discretion import cli
from discretion.audit.models import AuditEvent
from discretion.information_rights import services
from discretion.information_rights.documents import reads
from discretion.information_rights.documents import services as documents
from discretion.information_rights.documents.models import PageBox, PageBoxDecision, SarPage
from discretion.information_rights.documents.synthetic import carefile

TINY = carefile.Plan(pages=6, scanned=2, word=1, emails=1, duplicated_letter_copies=2)


@pytest.fixture
def read_sar(world, igo_client):
    team = world.team()
    care = carefile.build(TINY, team=team, author=world.staff(team=team), seed=11)
    igo = igo_client.igo
    sar = services.open_sar(
        igo,
        requester_name="Kayden Walsh",
        requester_contact="k@example.org",
        requester_kind="self",
        received_on=dt.date(2026, 11, 2),
    )
    services.verify_identity(
        igo, sar.pk, evidence="Passport", received_on=dt.date(2026, 11, 3), subject_ref=care.child_ref
    )
    services.compile_records(igo, sar.pk)
    reads.read_documents(igo.pk, sar.pk)
    return sar


def test_pages_show_boxes_and_take_every_action_without_javascript(igo_client, read_sar):
    client = igo_client
    listing = client.get(reverse("information_rights:sar-documents", args=[read_sar.pk]))
    assert listing.status_code == 200 and b"data-page=" in listing.content
    box = PageBox.objects.filter(sar=read_sar, page__source="ocr").exclude(text="(whole page)").first()
    page = box.page
    shown = client.get(reverse("information_rights:sar-page", args=[page.pk]))
    assert shown.status_code == 200 and f'data-box="{box.pk}"'.encode() in shown.content
    image = client.get(reverse("information_rights:sar-page-image", args=[page.pk]))
    assert (
        image.status_code == 200 and image["Cache-Control"] == "no-store" and image.content[:2] == b"\xff\xd8"
    )
    decide = reverse("information_rights:sar-box-action", args=[box.pk, "decide"])
    assert client.post(decide, {"page": page.pk, "decision": "rejected"}).status_code == 302
    box.refresh_from_db()
    assert box.decision == "rejected"
    resize = reverse("information_rights:sar-box-action", args=[box.pk, "resize"])
    response = client.post(resize, {"page": page.pk, "left": "10", "top": "10", "right": "5", "bottom": "20"})
    assert response.status_code == 400 and b"right edge" in response.content
    assert (
        client.post(
            resize, {"page": page.pk, "left": "10", "top": "10", "right": "30", "bottom": "12"}
        ).status_code
        == 302
    )
    box.refresh_from_db()
    assert (round(box.x0, 3), round(box.x1, 3), box.decision) == (0.1, 0.3, "accepted")
    draw = reverse("information_rights:sar-page-action", args=[page.pk, "draw"])
    assert (
        client.post(
            draw, {"left": "50", "top": "50", "right": "60", "bottom": "52", "reason": "third_party"}
        ).status_code
        == 302
    )
    words = reverse("information_rights:sar-page-action", args=[page.pk, "words"])
    assert client.post(words, {"words": ["0", "1"], "reason": "third_party"}).status_code == 302
    assert client.post(words, {}).status_code == 400
    actions = set(PageBoxDecision.objects.filter(box__page=page).values_list("action", flat=True))
    assert {"decide", "resize", "draw", "words"} <= actions
    assert AuditEvent.objects.filter(action="ir.sar.box_drawn").count() == 2


def test_apply_to_all_and_decide_duplicates_once(igo_client, read_sar):
    igo = igo_client.igo
    box = PageBox.objects.filter(sar=read_sar, page__source="text").exclude(text="(whole page)").first()
    same = PageBox.objects.filter(sar=read_sar, match_key=box.match_key).count()
    changed = documents.apply_to_all(igo, box.pk, decision="rejected")
    assert changed >= same - 1
    assert (
        not PageBox.objects.filter(sar=read_sar, match_key=box.match_key)
        .exclude(decision="rejected")
        .exists()
    )
    original = SarPage.objects.filter(sar=read_sar, duplicates__isnull=False).distinct().first()
    copy = original.duplicates.first()
    first = original.boxes.exclude(text="(whole page)").first()
    documents.decide_box(igo, first.pk, decision="accepted")
    assert documents.decide_duplicates(igo, original.pk) >= 1
    copy.refresh_from_db()
    assert copy.checked_at is not None
    assert copy.boxes.filter(decision="accepted").exists()


def test_api_and_refusals(client, igo_client, read_sar, world):
    page = SarPage.objects.filter(sar=read_sar).first()
    got = igo_client.get(f"/api/information-rights/pages/{page.pk}")
    assert got.status_code == 200 and got.json()["number"] == page.number
    made = igo_client.post(
        f"/api/information-rights/pages/{page.pk}/boxes",
        {"x0": 0.1, "y0": 0.1, "x1": 0.2, "y1": 0.12, "reason": "third_party"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["decision"] == "accepted"
    bad = igo_client.post(
        f"/api/information-rights/pages/{page.pk}/boxes",
        {"x0": 0.5, "y0": 0.1, "x1": 2, "y1": 0.12},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "inside the page" in bad.json()["detail"]
    progress = igo_client.get(f"/api/information-rights/sar/{read_sar.pk}/documents").json()
    assert progress["finished"] and progress["pages_done"] >= TINY.pages
    worker = world.staff()
    client.force_login(worker)
    for url in (f"/api/information-rights/pages/{page.pk}", f"/api/information-rights/pages/{page.pk}/image"):
        assert client.get(url).status_code == 404
    assert client.get(reverse("information_rights:sar-page-image", args=[page.pk])).status_code == 404
    assert client.get(f"/api/information-rights/pages/{page.pk + 10_000}").status_code == 404
    assert AuditEvent.objects.filter(action="ir.sar.refused", actor_id=worker.pk).count() >= 3


def test_cli_compiles_with_progress_and_refuses_bad_input(read_sar, igo_client):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["sar", "compile", str(read_sar.pk), "--wait", "--as", igo_client.igo.username])
    assert code == 0, err.getvalue()
    assert json.loads(out.getvalue().strip().splitlines()[-1])["finished"] is True
    with redirect_stdout(io.StringIO()), redirect_stderr(err := io.StringIO()):
        code = cli.main(["sar", "compile", "999999", "--as", igo_client.igo.username])
    assert code == 2 and len(err.getvalue().strip().splitlines()) == 1
