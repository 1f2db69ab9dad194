"""In real Chromium, under the strict Content-Security-Policy: GOV.UK Frontend still starts (its
scripts are files), no page breaks the policy, and the API docs (Swagger UI from ninja's own
static files) render."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in


def _violations(page: Any) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_and_the_api_docs_keep_to_the_content_security_policy(page, world):
    team = world.team()
    worker = world.staff(team=team, username="sarah.hughes")
    child = world.person("Kayden Lee", "Walsh")
    case = world.case(child, team, workers=(worker,))
    entry = world.entry(case)
    violations = _violations(page)
    sign_in(page, "sarah.hughes")
    for path in (
        "/",
        f"/people/{child.ref}/",
        f"/cases/{case.ref}/",
        f"/entries/{entry.pk}/",
        "/people/?q=Walsh",
    ):
        page.goto(path)
        assert page.locator("h1").count() >= 1
        # GOV.UK Frontend ran: its marker class came from our script file, not an inline script.
        assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    page.goto(f"/outbound/cases/{case.ref}/compose/")  # htmx, told to inject no styles
    assert page.locator("#compose-form").count() == 1
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=30000)
    assert "Discretion API" in page.locator(".swagger-ui .info").inner_text()
    assert violations == []
