"""The redaction review as a reviewer works it (select, choose, change the extent, accept all), the
second officer's sign-off, and the bundle as a tagged, accessible PDF."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from discretion import access
from discretion.audit.models import AuditEvent
from discretion.information_rights import review, services
from discretion.information_rights.models import Decision, Redaction, SarStatus

TEXT = "Visited Kayden at home. Mr Darren Hollis of 4 Elm Close was there.\nKayden said he likes football."


@pytest.fixture
def igo(world):
    return world.staff("information_governance", username="igo-review")


@pytest.fixture
def scene(world, igo):
    team = world.team()
    child = world.person("Kayden", "Walsh")
    darren = world.person("Darren", "Hollis", child=False, dob=dt.date(1984, 6, 1))
    case = world.case(child, team, members=(darren,), workers=(world.staff(team=team),))
    entry = world.entry(case, TEXT)
    sar = services.open_sar(
        igo,
        requester_name="Kayden Walsh",
        requester_contact="kayden@example.org",
        requester_kind="self",
        received_on=dt.date(2026, 11, 2),
    )
    services.verify_identity(
        igo, sar.pk, evidence="Passport", received_on=dt.date(2026, 11, 3), subject_ref=child.ref
    )
    services.compile_records(igo, sar.pk)
    return sar, entry


def _text(content: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)


def test_a_selection_is_withheld_where_it_was_made_and_checked_against_the_entry(scene, igo):
    sar, entry = scene
    start = TEXT.index("football")
    (red,) = review.redact_selection(
        igo, sar.pk, entry_id=entry.pk, start=start, end=start + 8, passage="football", reason="serious_harm"
    )
    assert (red.start, red.end, red.text, red.decision) == (start, start + 8, "football", Decision.ACCEPTED)
    # Offsets counted differently by a browser: the passage is found nearest to where it was selected.
    at = TEXT.index("Elm Close")
    (moved,) = review.redact_selection(
        igo, sar.pk, entry_id=entry.pk, start=at + 3, end=at + 12, passage="Elm Close", reason="third_party"
    )
    assert entry.text[moved.start : moved.end] == "Elm Close"
    with pytest.raises(services.InvalidInput, match="not found in the entry"):
        review.redact_selection(
            igo, sar.pk, entry_id=entry.pk, start=0, end=5, passage="Not in it", reason="third_party"
        )
    with pytest.raises(services.InvalidInput, match="Select an entry"):
        review.redact_selection(igo, sar.pk, entry_id=entry.pk + 999, start=0, end=5, reason="third_party")
    with pytest.raises(services.InvalidInput, match="parent"):
        review.redact_selection(igo, sar.pk, entry_id=entry.pk, start=0, end=7, reason="subject_expectation")
    assert "football" not in _text(services.build_bundle(igo, sar.pk))
    assert AuditEvent.objects.filter(action="ir.sar.redaction_added", object_id=str(sar.pk)).count() == 2


def test_sentences_and_words_chosen_without_javascript(scene, igo):
    sar, entry = scene
    listed = review.sentences(TEXT)
    assert [s.text for s in listed] == [
        "Visited Kayden at home.",
        "Mr Darren Hollis of 4 Elm Close was there.",
        "Kayden said he likes football.",
    ]
    words = [w.text for w in review.words(TEXT)]
    made = review.redact_choices(
        igo,
        sar.pk,
        entry_id=entry.pk,
        sentence_numbers=[1],
        first_word=words.index("likes"),
        last_word=words.index("football."),
        reason="third_party",
    )
    assert [r.text for r in made] == ["Mr Darren Hollis of 4 Elm Close was there.", "likes football."]
    with pytest.raises(services.InvalidInput, match="after the first"):
        review.redact_choices(igo, sar.pk, entry_id=entry.pk, first_word=5, last_word=2, reason="third_party")
    with pytest.raises(services.InvalidInput, match="Select the sentences or words"):
        review.redact_choices(igo, sar.pk, entry_id=entry.pk, reason="third_party")


def test_the_extent_of_a_proposal_is_changed_and_every_proposal_accepted_at_once(scene, igo):
    sar, _entry = scene
    proposed = list(Redaction.objects.filter(sar=sar, decision=Decision.PROPOSED))
    assert proposed, "the finder proposes the third party"
    words = [w.text for w in review.words(TEXT)]
    red = review.change_extent(
        igo, sar.pk, proposed[0].pk, first_word=words.index("Mr"), last_word=words.index("Close")
    )
    assert red.text == "Mr Darren Hollis of 4 Elm Close" and red.decision == Decision.ACCEPTED
    assert red.decisions.last().note.startswith("Extent changed")
    rest = Redaction.objects.filter(sar=sar, decision=Decision.PROPOSED).count()
    if rest:
        assert len(review.accept_proposed(igo, sar.pk)) == rest
    assert not Redaction.objects.filter(sar=sar, decision=Decision.PROPOSED).exists()
    with pytest.raises(services.InvalidInput, match="no proposed redactions"):
        review.accept_proposed(igo, sar.pk)
    assert AuditEvent.objects.filter(action="ir.sar.redaction_extent_changed").exists()


def test_a_second_officer_signs_off_what_was_prepared_and_nothing_changed_since(world, scene, igo):
    sar, entry = scene
    with pytest.raises(services.InvalidInput, match="sign off"):
        services.release_bundle(igo, sar.pk)
    with pytest.raises(services.InvalidInput, match="not asked for sign-off"):
        review.sign_off(world.staff("information_governance"), sar.pk)
    review.ask_for_sign_off(igo, sar.pk)
    with pytest.raises(access.NotPermitted, match="Someone other than you"):
        review.sign_off(igo, sar.pk)
    access.flush_pending_refusals()
    assert AuditEvent.objects.filter(action="ir.sar.sign_off.refused", actor_id=igo.pk).exists()
    signer = world.staff("information_governance")
    assert signer in review.who_can_sign_off(igo.pk) and igo not in review.who_can_sign_off(igo.pk)
    review.sign_off(signer, sar.pk)
    # A change after sign-off needs a new one.
    review.redact_selection(
        igo, sar.pk, entry_id=entry.pk, start=0, end=7, passage="Visited", reason="third_party"
    )
    with pytest.raises(services.InvalidInput, match="changed since it was signed off"):
        services.release_bundle(igo, sar.pk)
    review.ask_for_sign_off(igo, sar.pk)
    review.sign_off(signer, sar.pk)
    sar, _token, _code = services.release_bundle(igo, sar.pk)
    assert sar.status == SarStatus.RELEASED
    assert AuditEvent.objects.filter(action="ir.sar.signed_off", actor_id=signer.pk).count() == 2


def test_the_bundle_is_a_tagged_pdf_whose_letter_names_the_signer_and_how_to_reach_the_council(
    world, scene, igo
):
    sar, _entry = scene
    draft = services.build_bundle(igo, sar.pk)
    assert "DRAFT: not yet signed off" in _text(draft)
    review.ask_for_sign_off(igo, sar.pk)
    signer = world.staff("information_governance")
    review.sign_off(signer, sar.pk)
    content = services.build_bundle(igo, sar.pk)
    text = _text(content)
    assert signer.display_name in text and "DRAFT" not in text
    contact = settings.COUNCIL_IG_CONTACT
    assert contact["email"] in text and contact["phone"] in text and "Fishergate" in text

    pdf = pikepdf.open(io.BytesIO(content))
    root = pdf.Root
    assert str(root.Lang) == "en-GB"
    assert bool(root.MarkInfo.Marked) is True
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    with pdf.open_metadata() as meta:
        assert meta["dc:title"] == f"Subject access {sar.ref}"
    tree = root.StructTreeRoot
    (document,) = list(tree.K)
    assert document.S == "/Document"
    roles = [str(child.S) for child in document.K]
    # Reading order: the letter's heading, the contents, about you, the case and its entries.
    assert roles[0] == "/H1" and "/TOC" in roles and "/L" in roles and roles.count("/H2") >= 1
    headings = [bytes(pikepdf.Object.unparse(c.S)) for c in document.K if str(c.S) in ("/H1", "/H2")]
    assert len(headings) >= 5
    # Every page is in the parent tree, and every marked element points back at its page.
    nums = list(tree.ParentTree.Nums)
    assert len(nums) == 2 * len(pdf.pages)
    for page_number, page in enumerate(pdf.pages):
        assert int(page.obj.StructParents) == page_number and page.obj.Tabs == "/S"
        content_stream = (
            page.obj.Contents.read_bytes() if not isinstance(page.obj.Contents, pikepdf.Array) else b""
        )
        if content_stream:
            assert b"BDC" in content_stream and b"/Artifact BMC" in content_stream


def test_the_subject_access_page_explains_its_due_date(client, scene, igo):
    sar, _entry = scene
    client.force_login(igo)
    page = client.get(reverse("information_rights:sar", args=[sar.pk])).content.decode()
    assert "How this date was worked out" in page and "3 December 2026" in page


def test_the_api_selects_changes_the_extent_and_accepts_all(client, scene, igo):
    sar, entry = scene
    client.force_login(igo)
    start = TEXT.index("football")
    r = client.post(
        f"/api/information-rights/sar/{sar.pk}/redactions/selection",
        {
            "entry_id": entry.pk,
            "start": start,
            "end": start + 8,
            "passage": "football",
            "reason": "serious_harm",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and len(r.json()) == 1
    bad = client.post(
        f"/api/information-rights/sar/{sar.pk}/redactions/selection",
        {"entry_id": entry.pk, "start": 0, "end": 3, "passage": "nowhere", "reason": "serious_harm"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "not found in the entry" in bad.json()["detail"]
    words = [w.text for w in review.words(TEXT)]
    r = client.post(
        f"/api/information-rights/sar/{sar.pk}/redactions/{r.json()[0]}/extent",
        {"first_word": words.index("likes"), "last_word": words.index("football.")},
        content_type="application/json",
    )
    assert r.status_code == 200 and TEXT[r.json()[0] : r.json()[1]] == "likes football."
    accepted = client.post(f"/api/information-rights/sar/{sar.pk}/redactions/accept-proposed")
    assert accepted.status_code == 200 and accepted.json()
    assert client.post(f"/api/information-rights/sar/{sar.pk}/redactions/accept-proposed").status_code == 400


def test_a_letter_to_a_postal_address_is_printed_and_recorded_as_posted(world, igo):
    from discretion.information_rights import foi_letters

    req = services.log_request(
        igo, requester_name="B Smith", requester_contact="1 High Street, Preston PR1 1AA", channel="letter",
        wording="What did the council spend on agency social workers in 2025?",
    )  # fmt: skip
    services.record_outcome(igo, req.pk, outcome="not_held")
    with pytest.raises(services.InvalidInput, match="sign off"):
        foi_letters.record_posted(igo, req.pk)
    foi_letters.sign_off_answer(world.staff("information_governance"), req.pk)
    with pytest.raises(services.InvalidInput, match="postal address"):
        foi_letters.send_letter(igo, req.pk)
    req.refresh_from_db()
    letter = foi_letters.closing_letter(req)
    assert "we do not hold it" in letter and settings.COUNCIL_IG_CONTACT["address"] in letter
    foi_letters.record_posted(igo, req.pk)
    req.refresh_from_db()
    assert req.letter_route == "post" and req.letter_sent_by == igo
    with pytest.raises(services.InvalidInput, match="already been sent"):
        foi_letters.record_posted(igo, req.pk)
    assert AuditEvent.objects.filter(action="ir.request.letter_sent", object_id=str(req.pk)).exists()
