"""Documents in a subject-access bundle: every kind read into pages (text layer or OCR), boxes
proposed by the finder, decided by a reviewer, and burned in: the released bundle holds no
redacted string, in its text or in an OCR of its pages. Real files, real Tesseract and LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess

import pytest
from pypdf import PdfReader

from discretion.audit.models import AuditEvent
from discretion.information_rights import services
from discretion.information_rights.documents import pipeline, reads
from discretion.information_rights.documents import services as documents
from discretion.information_rights.documents.models import DocumentStatus, PageBox, SarDocument, SarPage
from discretion.information_rights.documents.synthetic import carefile
from discretion.information_rights.pdf import redaction_log_csv

SMALL = carefile.Plan(pages=16, scanned=4, word=2, emails=3, duplicated_letter_copies=2)


@pytest.fixture
def igo(world):
    return world.staff("information_governance")


@pytest.fixture
def care_file(world, igo):
    team = world.team()
    return carefile.build(SMALL, team=team, author=world.staff(team=team), seed=7)


def _compiled_sar(igo, care_file):
    sar = services.open_sar(
        igo,
        requester_name="Kayden Walsh",
        requester_contact="k@example.org",
        requester_kind="self",
        received_on=dt.date(2026, 11, 2),
    )
    services.verify_identity(
        igo, sar.pk, evidence="Passport", received_on=dt.date(2026, 11, 3), subject_ref=care_file.child_ref
    )
    services.compile_records(igo, sar.pk)
    return sar


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _ocr_text(content: bytes, tmp_path) -> str:
    (tmp_path / "bundle.pdf").write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", str(tmp_path / "bundle.pdf"), str(tmp_path / "p")],
        check=True,
    )
    texts = []
    for image in sorted(tmp_path.glob("p-*.png")):
        texts.append(
            subprocess.run(
                ["tesseract", str(image), "stdout"], capture_output=True, text=True, check=True
            ).stdout
        )
    return "\n".join(texts)


@pytest.mark.django_db
def test_every_kind_is_read_into_pages_with_words_and_proposals(igo, care_file):
    sar = _compiled_sar(igo, care_file)
    done = reads.read_documents(igo.pk, sar.pk)
    assert done.finished and done.documents_failed == 0
    kinds = set(SarDocument.objects.filter(sar=sar).values_list("kind", flat=True))
    assert {"pdf", "docx", "doc", "eml", "msg"} <= kinds
    assert done.pages_done == SarPage.objects.filter(sar=sar).count() >= SMALL.pages
    scanned = SarPage.objects.filter(sar=sar, source="ocr")
    assert scanned.count() == SMALL.scanned
    assert all(p.confidence is not None for p in scanned)
    # e-mail attachments became documents of their own, read like any other
    assert SarDocument.objects.filter(sar=sar, parent__isnull=False, status=DocumentStatus.DONE).exists()
    truth = care_file.truth
    boxes = list(PageBox.objects.filter(sar=sar).select_related("page__document"))
    found = 0
    for attachment_id, number, _token, (x0, y0, x1, y1) in truth:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        found += any(
            b.page.document.attachment_id == attachment_id
            and b.page.document.part == ""
            and b.page.number == number
            and b.x0 <= cx <= b.x1
            and b.y0 <= cy <= b.y1
            for b in boxes
        )
    assert truth and found / len(truth) >= 0.8
    # the duplicated letter's pages point at the first copy
    assert SarPage.objects.filter(sar=sar, duplicate_of__isnull=False).count() >= 2
    assert AuditEvent.objects.filter(action="attachment.read").count() >= len(care_file.attachments)


@pytest.mark.django_db
def test_a_compile_that_stops_resumes_without_duplicating_pages(igo, care_file, monkeypatch):
    sar = _compiled_sar(igo, care_file)
    real = pipeline._save_page
    calls = {"n": 0}

    def crash_after_five(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 5:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_save_page", crash_after_five)
    with pytest.raises(RuntimeError):
        reads.read_documents(igo.pk, sar.pk)
    assert SarPage.objects.filter(sar=sar).count() == 5
    for attachment_id in care_file.attachments:
        services.decide_attachment(igo, sar.pk, attachment_id, include=True)
    with pytest.raises(services.InvalidInput, match="still being read"):
        services.build_bundle(igo, sar.pk)
    monkeypatch.setattr(pipeline, "_save_page", real)
    done = reads.read_documents(igo.pk, sar.pk)
    assert done.finished
    numbers = list(SarPage.objects.filter(sar=sar).values_list("document_id", "number"))
    assert len(numbers) == len(set(numbers)) == done.pages_done
    for doc in SarDocument.objects.filter(sar=sar, status=DocumentStatus.DONE):
        assert sorted(n for d, n in numbers if d == doc.pk) == list(range(1, doc.page_count + 1))


@pytest.mark.django_db
def test_released_bundle_holds_no_redacted_string_in_text_or_ocr(igo, care_file, tmp_path):
    sar = _compiled_sar(igo, care_file)
    reads.read_documents(igo.pk, sar.pk)
    for attachment_id in care_file.attachments:
        services.decide_attachment(igo, sar.pk, attachment_id, include=True, note="read with its boxes")
    page = SarPage.objects.filter(sar=sar, source="ocr").first()
    drawn = documents.draw_box(igo, page.pk, x0=0.05, y0=0.05, x1=0.5, y1=0.07, reason="third_party")
    assert drawn.decision == "accepted"
    log = [r for r in csv.DictReader(io.StringIO(redaction_log_csv(sar))) if r["box"]]
    row = next(r for r in log if r["box"] == str(drawn.pk))
    assert (row["page"], row["reason"], row["decided_by"], row["action"]) == (
        str(page.number),
        "third_party",
        igo.username,
        "draw",
    )
    assert len({r["box"] for r in log}) == PageBox.objects.filter(sar=sar).count()
    content = services.build_bundle(igo, sar.pk)
    withheld = {b.text for b in PageBox.objects.filter(sar=sar).exclude(decision="rejected")}
    names = {w for full in care_file.third_parties for w in full.split()}
    text = _pdf_text(content)
    assert "Kayden" in text  # the subject's own data is released
    for name in names:
        assert name not in text, name
    ocr = _ocr_text(content, tmp_path)
    for name in names:
        assert name not in ocr, name
    assert withheld
