"""A reviewer works a scanned page in real Chromium: accepts a proposal, draws a box by dragging
across the page image, includes the document and releases the bundle."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_review_a_scanned_page_accept_draw_release(page, world):
    from discretion.information_rights import services
    from discretion.information_rights.documents import reads
    from discretion.information_rights.documents.models import PageBox, SarPage
    from discretion.information_rights.documents.synthetic import carefile
    from discretion.information_rights.models import SarStatus

    team = world.team()
    care = carefile.build(
        carefile.Plan(pages=3, scanned=1, word=0, emails=0, duplicated_letter_copies=1), team=team, seed=3
    )
    igo = world.staff("information_governance", username="igo-pages")
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
    scanned = SarPage.objects.get(sar=sar, source="ocr")
    proposal = scanned.boxes.filter(decision="proposed").first()
    assert proposal is not None

    sign_in(page, "igo-pages")
    page.goto(f"/information-rights/sar/{sar.pk}/documents/")
    page.click(f"a[data-page='{scanned.pk}']")
    assert page.locator(f".page-box[data-box='{proposal.pk}']").is_visible()
    page.locator(f".box-row[data-box='{proposal.pk}'] button[value=accepted]").first.click()
    assert page.locator(f".page-box[data-box='{proposal.pk}']").get_attribute("data-decision") == "accepted"

    before = scanned.boxes.count()
    page.locator("#page-image").scroll_into_view_if_needed()
    image = page.locator("#page-image").bounding_box()
    page.mouse.move(image["x"] + image["width"] * 0.1, image["y"] + image["height"] * 0.05)
    page.mouse.down()
    page.mouse.move(image["x"] + image["width"] * 0.4, image["y"] + image["height"] * 0.08, steps=5)
    with page.expect_navigation():
        page.mouse.up()
    assert page.locator(".page-box").count() == before + 1
    drawn = PageBox.objects.filter(page=scanned, proposed_by_system=False).get()
    assert drawn.decision == "accepted" and 0.09 < drawn.x0 < 0.11 and 0.39 < drawn.x1 < 0.41

    page.goto(f"/information-rights/sar/{sar.pk}/review/")
    for form in page.locator("form.attachment-review").all():
        form.locator("button[value=yes]").click()
    # Four eyes (issue 12): the reviewer asks, a second officer signs off, then the release is confirmed.
    from discretion.information_rights import review

    review.ask_for_sign_off(igo, sar.pk)
    review.sign_off(world.staff("information_governance"), sar.pk)
    page.goto(f"/information-rights/sar/{sar.pk}/")
    page.click("text=Check and release the bundle")
    page.click("#release")
    assert "released" in page.locator("main").inner_text().lower()
    sar.refresh_from_db()
    assert sar.status == SarStatus.RELEASED
