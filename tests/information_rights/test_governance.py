"""Information-rights casework under the one door in and the one door out: one dull answer for
missing and forbidden requests, the disclosure log through `disclose`, audited lists and subject
reads, attachments in the subject-access bundle only once reviewed by hand, and SAR internal reviews."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from discretion import deadlines
from discretion.access import NotFound
from discretion.audit.models import AuditEvent
from discretion.disclosures.delivery import send_outbox_message
from discretion.disclosures.models import Disclosure, OutboxMessage, OutboxStatus
from discretion.disclosures.services import deliver_pending
from discretion.information_rights import foi_letters, services
from discretion.information_rights.models import AttachmentReview, SarStatus
from discretion.records.models import Attachment
from tests.information_rights.conftest import sign_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def igo(world: Any) -> Any:
    return world.staff("information_governance")


def _details(action: str) -> list[dict[str, Any]]:
    rows = AuditEvent.objects.filter(action=action).order_by("id").values_list("details", flat=True)
    return [json.loads(d) for d in rows]


def _foi(igo: Any, name: str = "Alex Reporter") -> Any:
    return services.log_request(
        igo, requester_name=name, requester_contact="alex@example.org", channel="email", wording="Budget?"
    )


# --- one dull answer ----------------------------------------------------------------------


def test_missing_and_forbidden_requests_get_the_same_404_and_both_are_audited(world, igo, client) -> None:
    req = _foi(igo)
    stranger = world.staff()
    client.force_login(stranger)
    missing_id = req.pk + 1000
    pages = [client.get(reverse("information_rights:request", args=[i])) for i in (req.pk, missing_id)]
    assert [p.status_code for p in pages] == [404, 404]
    assert all("Page not found" in p.content.decode() for p in pages)
    apis = [client.get(f"/api/information-rights/requests/{i}") for i in (req.pk, missing_id)]
    assert [a.status_code for a in apis] == [404, 404]
    assert apis[0].json() == apis[1].json() == {"detail": "No such request."}
    letter = client.get(reverse("information_rights:request-letter", args=[req.pk, "response"]))
    assert letter.status_code == 404
    refused = AuditEvent.objects.filter(action="ir.request.refused", actor_id=stranger.pk)
    assert list(refused.values_list("object_id", flat=True)) == [
        str(req.pk),
        str(missing_id),
        str(req.pk),
        str(missing_id),
        str(req.pk),
    ]
    assert not AuditEvent.objects.filter(action="ir.request.read", actor_id=stranger.pk).exists()


def test_the_handler_still_reads_their_request(world, igo, client) -> None:
    req = _foi(igo)
    handler = world.staff()
    services.assign(igo, req.pk, service_area="Finance", handler_id=handler.pk)
    client.force_login(handler)
    assert client.get(reverse("information_rights:request", args=[req.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="ir.request.read", actor_id=handler.pk).exists()


def test_a_stranger_recording_a_search_is_told_no_such_request_and_audited(world, igo) -> None:
    req = _foi(igo)
    stranger = world.staff()
    with pytest.raises(NotFound):
        services.add_search(stranger, req.pk, place="Finance share", hours=1)
    with pytest.raises(NotFound):
        services.add_search(stranger, req.pk + 1000, place="Finance share", hours=1)
    assert AuditEvent.objects.filter(action="ir.request.refused", actor_id=stranger.pk).count() == 2
    assert not req.searches.exists()


# --- the disclosure log through the one door out ------------------------------------------


def test_a_published_answer_is_registered_as_a_publication(world, igo) -> None:
    req = _foi(igo)
    answer = "There were 412 children in care on 31 March 2026."
    services.record_outcome(igo, req.pk, outcome="provided", response_text=answer, publish=True)
    assert not Disclosure.objects.exists()  # nothing is published before a second officer signs it off
    with pytest.raises(services.NotPermitted, match="Someone other than you"):
        foi_letters.sign_off_answer(igo, req.pk)
    signer = world.staff("information_governance")
    foi_letters.sign_off_answer(signer, req.pk)
    req.refresh_from_db()
    disclosure = Disclosure.objects.get()
    assert req.published and req.disclosure_id == disclosure.pk
    assert (disclosure.channel, disclosure.source, disclosure.source_id) == (
        "publication",
        "foi",
        str(req.pk),
    )
    assert disclosure.recipient_name == "The public (FOI disclosure log)"
    assert disclosure.content_sha256 == hashlib.sha256(answer.encode()).hexdigest()
    assert not disclosure.subjects.exists() and disclosure.released_by_id == signer.pk
    assert "Alex Reporter" not in bytes(disclosure.outbox.payload).decode()
    (released,) = _details("disclosure.released")
    assert released["channel"] == "publication" and released["source"] == "foi"
    # The outbox records the publication; nothing is e-mailed.
    assert deliver_pending(send_outbox_message) == (1, 0)
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT
    assert _details("outbox.sent")[0]["delivered_to"] == "disclosure_log"
    assert [r.pk for r in services.public_disclosure_log()] == [req.pk]


def test_publishing_through_the_api_registers_the_release(world, igo, client) -> None:
    client.force_login(igo)
    req = _foi(igo)
    r = client.post(
        f"/api/information-rights/requests/{req.pk}/outcome",
        {"outcome": "partly_withheld", "response_text": "Part", "publish": True},
        content_type="application/json",
    )
    assert r.status_code == 400  # withholding needs an exemption; nothing released
    assert not Disclosure.objects.exists()
    r = client.post(
        f"/api/information-rights/requests/{req.pk}/outcome",
        {"outcome": "provided", "response_text": "All of it", "publish": True},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["published"] is False  # waits for a second officer
    assert client.post(f"/api/information-rights/requests/{req.pk}/sign-off").status_code == 403
    client.force_login(world.staff("information_governance"))
    r = client.post(f"/api/information-rights/requests/{req.pk}/sign-off")
    assert r.status_code == 200 and r.json()["published"] is True
    assert r.json()["disclosure_id"] == Disclosure.objects.get(channel="publication").pk


def test_an_answer_not_published_is_not_released(world, igo) -> None:
    req = _foi(igo)
    services.record_outcome(igo, req.pk, outcome="provided", response_text="412", publish=False)
    other = _foi(igo)
    services.add_exemption(igo, other.pk, code="FOIA:s41", why_applies="Given in confidence")
    services.record_outcome(igo, other.pk, outcome="refused", publish=True)  # nothing to publish
    assert not Disclosure.objects.exists()
    req.refresh_from_db()
    assert req.disclosure_id is None and services.public_disclosure_log() == []


def test_publishing_through_the_page_registers_the_release(world, igo, client) -> None:
    client.force_login(igo)
    req = _foi(igo)
    response = client.post(
        reverse("information_rights:request-action", args=[req.pk, "outcome"]),
        {"outcome-outcome": "provided", "outcome-response_text": "412 children.", "outcome-publish": "on"},
    )
    assert response.status_code == 302
    page = client.get(reverse("information_rights:request", args=[req.pk])).content.decode()
    assert "Waiting for sign-off" in page and "Someone other than you must sign it off" in page
    client.force_login(world.staff("information_governance"))
    response = client.post(reverse("information_rights:request-action", args=[req.pk, "sign-off"]))
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.channel == "publication"
    page = client.get(reverse("information_rights:request", args=[req.pk])).content.decode()
    assert f"disclosure register entry {disclosure.pk}" in page


# --- audited lists ------------------------------------------------------------------------


def test_foi_and_sar_lists_are_audited_with_ids_not_names(world, igo, client) -> None:
    first, second = _foi(igo, "Alex Reporter"), _foi(igo, "Sam Jones")
    sar = services.open_sar(igo, requester_name="Kayden Walsh", requester_contact="k", requester_kind="self")
    client.force_login(igo)
    page = client.get(reverse("information_rights:requests"))
    assert page.status_code == 200 and second.ref in page.content.decode()
    assert client.get(reverse("information_rights:sars")).status_code == 200
    (requests_listed,) = _details("ir.requests.listed")
    (sars_listed,) = _details("ir.sars.listed")
    assert sorted(requests_listed["shown"]) == sorted([first.pk, second.pk])
    assert sars_listed["shown"] == [sar.pk]
    text = json.dumps([requests_listed, sars_listed])
    assert "Alex" not in text and "Sam" not in text and "Kayden" not in text


def test_a_practitioner_listing_is_refused(world, client) -> None:
    client.force_login(world.staff())
    assert client.get(reverse("information_rights:requests")).status_code == 403
    assert not AuditEvent.objects.filter(action="ir.requests.listed").exists()


# --- the subject read through access ------------------------------------------------------


def _sar_world(world: Any, igo: Any) -> tuple[Any, Any, Any]:
    team = world.team()
    worker = world.staff(team=team)
    child = world.person("Kayden", "Walsh")
    case = world.case(child, team, workers=(worker,))
    entry = world.entry(case, "Kayden enjoys football.", author=worker)
    sar = services.open_sar(
        igo, requester_name="Kayden Walsh", requester_contact="k@example.org", requester_kind="self"
    )
    sar = services.verify_identity(igo, sar.pk, evidence="Passport", subject_ref=child.ref)
    return child, entry, sar


def test_the_sar_subject_is_read_through_access(world, igo, client) -> None:
    child, _entry, sar = _sar_world(world, igo)
    before = AuditEvent.objects.filter(action="person.read", person_id=child.pk).count()
    client.force_login(igo)
    page = client.get(reverse("information_rights:sar", args=[sar.pk]))
    assert page.status_code == 200 and child.ref in page.content.decode()
    api = client.get(f"/api/information-rights/sar/{sar.pk}")
    assert api.json()["subject"] == child.ref
    reads = AuditEvent.objects.filter(action="person.read", person_id=child.pk).order_by("id")
    assert reads.count() == before + 2
    assert json.loads(reads.last().details)["basis"] == "information_governance"


# --- attachments in the bundle ------------------------------------------------------------


def _pdf(lines: list[str]) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for line in lines:
        pdf.drawString(72, 720, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _attach(entry: Any, name: str, content: bytes, content_type: str) -> Any:
    return Attachment.objects.create(
        entry=entry,
        file=ContentFile(content, name=name),
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _text(content: bytes) -> tuple[str, list[str]]:
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages]
    return "\n".join(pages), pages


def _log_rows(sar: Any) -> list[dict[str, str]]:
    from discretion.information_rights.pdf import redaction_log_csv

    sar.refresh_from_db()
    return [r for r in csv.DictReader(io.StringIO(redaction_log_csv(sar))) if r["attachment"]]


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_attachments_go_in_only_once_reviewed_by_hand(world, igo) -> None:
    _child, entry, sar = _sar_world(world, igo)
    report = _attach(
        entry,
        "school-report.pdf",
        _pdf(["SCHOOL REPORT PAGE ONE", "SCHOOL REPORT PAGE TWO"]),
        "application/pdf",
    )
    photo = _attach(entry, "drawing.png", _png(), "image/png")
    letter = _attach(entry, "letter.docx", b"PK\x03\x04 not really a docx", DOCX)
    services.compile_records(igo, sar.pk)

    withheld = services.build_bundle(igo, sar.pk)
    text, _ = _text(withheld)
    assert "SCHOOL REPORT" not in text and "not included in this bundle" in text
    assert [r["decision"] for r in _log_rows(sar)] == ["withheld pending review"] * 3
    assert {r["reviewed_by_hand"] for r in _log_rows(sar)} == {"no"}

    reads_before = AuditEvent.objects.filter(action="attachment.read").count()
    for attachment in (report, photo, letter):
        services.decide_attachment(igo, sar.pk, attachment.pk, include=True, note="read it all")
    included = services.build_bundle(igo, sar.pk)
    text, with_pages = _text(included)
    assert "SCHOOL REPORT PAGE ONE" in text and "SCHOOL REPORT PAGE TWO" in text
    # The attached pages sit right after their entry's heading page, numbered like the rest.
    one = next(i for i, p in enumerate(with_pages) if "SCHOOL REPORT PAGE ONE" in p)
    assert "SCHOOL REPORT PAGE TWO" in with_pages[one + 1]
    assert (
        f"Page {one + 1}" in with_pages[one] and "Attached document: school-report.pdf" in with_pages[one - 1]
    )
    contents = next(p for p in with_pages if "Contents" in p)
    assert "Attached document: school-report.pdf" in contents and "Attached document: drawing.png" in contents
    assert any(PdfReader(io.BytesIO(included)).pages[i].images for i in range(len(with_pages)))
    assert "letter.docx" in text and "provided separately" in text
    # Each included file was opened through access again for its contents (audited).
    assert AuditEvent.objects.filter(action="attachment.read").count() - reads_before >= 3 + 3
    rows = {r["attachment"]: r for r in _log_rows(sar)}
    assert (
        rows[str(report.pk)]["decision"] == "included" and rows[str(report.pk)]["reviewed_by_hand"] == "yes"
    )
    (built,) = _details("ir.sar.bundle_built")[-1:]
    assert sorted(built["attachments"]) == sorted([report.pk, photo.pk, letter.pk])

    services.decide_attachment(igo, sar.pk, report.pk, include=False, note="mentions a sibling")
    text, _ = _text(services.build_bundle(igo, sar.pk))
    assert "SCHOOL REPORT" not in text
    rows = {r["attachment"]: r for r in _log_rows(sar)}
    assert rows[str(report.pk)]["decision"] == "withheld by the reviewer"
    assert AttachmentReview.objects.filter(attachment_id=report.pk).count() == 2
    assert _details("ir.sar.attachment_decided")[-1] == {
        "channel": "system",
        "attachment": report.pk,
        "include": False,
    }


def test_an_attachment_outside_the_bundle_cannot_be_decided(world, igo) -> None:
    _child, _entry, sar = _sar_world(world, igo)
    team = world.team()
    other_case = world.case(world.person("Other", "Child"), team)
    stray = _attach(world.entry(other_case, "x"), "stray.pdf", _pdf(["STRAY"]), "application/pdf")
    with pytest.raises(services.InvalidInput, match="Compile"):
        services.decide_attachment(igo, sar.pk, stray.pk, include=True)
    services.compile_records(igo, sar.pk)
    with pytest.raises(services.InvalidInput, match="attachment in this bundle"):
        services.decide_attachment(igo, sar.pk, stray.pk, include=True)
    with pytest.raises(services.NotPermitted):
        services.decide_attachment(world.staff(), sar.pk, stray.pk, include=True)


def test_a_damaged_pdf_is_listed_not_merged(world, igo) -> None:
    _child, entry, sar = _sar_world(world, igo)
    broken = _attach(entry, "broken.pdf", b"%PDF-1.4 garbage", "application/pdf")
    services.compile_records(igo, sar.pk)
    services.decide_attachment(igo, sar.pk, broken.pk, include=True)
    text, _ = _text(services.build_bundle(igo, sar.pk))
    assert "broken.pdf" in text and "cannot be reproduced" in text


def test_attachment_decisions_through_the_review_page_and_api(world, igo, client) -> None:
    _child, entry, sar = _sar_world(world, igo)
    report = _attach(entry, "report.pdf", _pdf(["REPORT"]), "application/pdf")
    client.force_login(igo)
    client.post(reverse("information_rights:sar-action", args=[sar.pk, "compile"]))
    review = client.get(reverse("information_rights:sar-review", args=[sar.pk])).content.decode()
    assert "report.pdf" in review and "Withheld pending review" in review
    response = client.post(
        reverse("information_rights:sar-action", args=[sar.pk, "attachment"]),
        {"attachment-attachment": report.pk, "attachment-include": "yes"},
    )
    assert response.status_code == 302
    assert "Reviewed by hand: included" in client.get(response["Location"]).content.decode()
    bad = client.post(
        reverse("information_rights:sar-action", args=[sar.pk, "attachment"]),
        {"attachment-attachment": report.pk, "attachment-include": "maybe"},
    )
    assert bad.status_code == 400 and "Select include or withhold" in bad.content.decode()
    api = client.post(
        f"/api/information-rights/sar/{sar.pk}/attachments/{report.pk}/decision",
        {"include": False},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["include"] is False
    missing = client.post(
        f"/api/information-rights/sar/{sar.pk}/attachments/{report.pk + 999}/decision",
        {"include": True},
        content_type="application/json",
    )
    assert missing.status_code == 400 and "attachment in this bundle" in missing.json()["detail"]


# --- internal review and the ICO -----------------------------------------------------------


def test_sar_internal_review_after_release(world, igo, client) -> None:
    _child, _entry, sar = _sar_world(world, igo)
    services.compile_records(igo, sar.pk)
    with pytest.raises(services.InvalidInput, match="once the bundle is released"):
        services.request_sar_review(igo, sar.pk)
    bundle_text, _ = _text(services.build_bundle(igo, sar.pk))
    assert "internal review" in bundle_text and "Information Commissioner" in bundle_text
    sign_off(world, igo, sar.pk)
    services.release_bundle(igo, sar.pk)
    asked = dt.date.today()
    review = services.request_sar_review(igo, sar.pk, received_on=asked)
    assert review.due_on == deadlines.add_working_days(asked, 20, services.sar_cal())
    with pytest.raises(services.InvalidInput, match="Select the outcome"):
        services.decide_sar_review(igo, sar.pk, review.pk, outcome="maybe", notes="x")
    decided = services.decide_sar_review(igo, sar.pk, review.pk, outcome="upheld", notes="Redactions right")
    assert decided.decided_on is not None
    assert _details("ir.sar.review_decided")[0]["in_time"] is True
    client.force_login(igo)
    page = client.get(reverse("information_rights:sar", args=[sar.pk])).content.decode()
    assert f"Review {review.pk}" in page and "original decision upheld" in page
    r = client.post(f"/api/information-rights/sar/{sar.pk}/reviews", {}, content_type="application/json")
    assert r.status_code == 201
    rid = r.json()["id"]
    r = client.post(
        f"/api/information-rights/sar/{sar.pk}/reviews/{rid}/decision",
        {"outcome": "partly", "notes": "One more page released"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["outcome"] == "partly"
    assert (
        client.post(
            f"/api/information-rights/sar/{sar.pk}/reviews/{rid + 99}/decision",
            {"outcome": "partly", "notes": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    sar.refresh_from_db()
    assert sar.status == SarStatus.RELEASED


def test_sar_internal_review_through_the_page(world, igo, client) -> None:
    _child, _entry, sar = _sar_world(world, igo)
    services.compile_records(igo, sar.pk)
    sign_off(world, igo, sar.pk)
    services.release_bundle(igo, sar.pk)
    client.force_login(igo)
    page = client.get(reverse("information_rights:sar", args=[sar.pk])).content.decode()
    assert "Internal review asked for" in page
    assert (
        client.post(reverse("information_rights:sar-action", args=[sar.pk, "internal-review"])).status_code
        == 302
    )
    review = sar.reviews.get()
    page = client.get(reverse("information_rights:sar", args=[sar.pk])).content.decode()
    assert f'value="{review.pk}"' in page
    bad = client.post(
        reverse("information_rights:sar-action", args=[sar.pk, "decide-internal-review"]),
        {"decide-internal-review-review": review.pk, "decide-internal-review-outcome": "upheld"},
    )
    assert bad.status_code == 400
    ok = client.post(
        reverse("information_rights:sar-action", args=[sar.pk, "decide-internal-review"]),
        {
            "decide-internal-review-review": review.pk,
            "decide-internal-review-outcome": "upheld",
            "decide-internal-review-notes": "Handled correctly",
        },
    )
    assert ok.status_code == 302
    review.refresh_from_db()
    assert review.outcome == "upheld"


def test_an_answer_naming_a_service_user_is_refused_on_page_and_api(world, igo, client) -> None:
    """An FOI answer goes to the world: the outbound guard's finder checks it first (s40, reg 13)."""
    child = world.person("Kayden Lee", "Walsh", dob=dt.date(2015, 4, 3))
    req = _foi(igo)
    answer = f"The child concerned, Kayden Walsh ({child.ref}), born 03/04/2015, was placed out of area."
    with pytest.raises(services.InvalidInput, match="s40"):
        services.record_outcome(igo, req.pk, outcome="provided", response_text=answer, publish=True)
    client.force_login(igo)
    r = client.post(
        f"/api/information-rights/requests/{req.pk}/outcome",
        {"outcome": "provided", "response_text": answer, "publish": True},
        content_type="application/json",
    )
    assert r.status_code == 400 and "personal data" in r.json()["detail"]
    assert "Kayden" not in r.json()["detail"]  # the message names labels and places, not the text
    req.refresh_from_db()
    assert req.is_open and not Disclosure.objects.exists()
    # Figures about the service as a whole are fine.
    services.record_outcome(
        igo, req.pk, outcome="provided", response_text="14 children were placed out of area."
    )
    req.refresh_from_db()
    assert not req.is_open


def test_the_public_disclosure_log_api_never_names_the_requester(world, igo, client) -> None:
    """s40(2): the log publishes what was asked and answered, not who asked nor the notice to them."""
    req = _foi(igo)
    services.add_exemption(
        igo, req.pk, code="FOIA:s43", why_applies="Prices", prejudice="Retender", public_interest="Balanced"
    )
    services.record_outcome(
        igo, req.pk, outcome="partly_withheld", response_text="Totals by year.", publish=True
    )
    foi_letters.sign_off_answer(world.staff("information_governance"), req.pk)
    rows = client.get("/api/information-rights/disclosure-log").json()
    assert [r["ref"] for r in rows] == [req.ref] and rows[0]["exemptions"] == ["FOIA:s43"]
    assert "Alex Reporter" not in json.dumps(rows) and "refusal_notice" not in rows[0]
