"""The intake journey in real Chromium: one question per page, then the decision."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in

from .helpers import council

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_logging_a_police_request_by_phone_reaches_a_reasoned_referral(world, page) -> None:
    c = council(world)
    c.worker.username = "handler"
    c.worker.save()
    sign_in(page, "handler")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto("/requests/new/")
    page.click("main button[type=submit]")  # nothing chosen
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    page.get_by_label("Police").check()
    page.get_by_label("Their name").fill("DC Rao")
    page.get_by_label("Organisation").fill("County Police")
    page.click("main button[type=submit]")
    page.get_by_label("Telephone").check()
    page.click("main button[type=submit]")
    page.fill("#id_q", "Kayden Walsh")
    page.click("main button:has-text('Search')")
    page.get_by_label(re.compile("Kayden Walsh")).check()
    page.click("main button:has-text('Continue')")
    page.get_by_label("About the child").check()
    page.click("main button[type=submit]")
    page.get_by_label("Finding a missing child").check()
    page.click("main button[type=submit]")
    page.click("#see-decision")
    assert page.locator("#outcome").inner_text() == "refer"
    assert "manager" in page.locator("#routes").inner_text()
    assert "Policy 1.5" in page.locator("#reasons").inner_text()
