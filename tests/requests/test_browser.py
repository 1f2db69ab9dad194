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
    # The error summary links to the question at fault (its first option).
    page.click(".govuk-error-summary a:has-text('Select who is asking')")
    assert page.evaluate("document.activeElement.id") == "id_category_0"
    page.get_by_label("Police").check()
    page.get_by_label("Their name").fill("DC Rao")
    page.get_by_label("Organisation").fill("County Police")
    page.get_by_label("Telephone").check()
    page.click("main button[type=submit]")
    page.fill("#id_q", "Kayden Walsh")
    page.click("main button:has-text('Search')")
    page.get_by_label(re.compile("Kayden Walsh")).check()
    page.click("main button:has-text('Continue')")
    page.get_by_label("About the child").check()
    page.get_by_label("What they asked, in their words").fill("Where might Kayden go?")
    page.get_by_label("Finding a missing child").check()
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Check your answers before logging the request"
    assert "Where might Kayden go?" in page.locator("#answers-what").inner_text()
    page.click("#log-request")
    assert page.locator("#outcome").inner_text() == "Referred for a decision"
    assert "manager" in page.locator("#routes").inner_text().lower()
    assert "Policy 1.5" in page.locator("#reasons").inner_text()
    assert "1.5-police" not in page.locator("main").inner_text()
