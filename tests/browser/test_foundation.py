"""In real Chromium: sign in, acknowledge the policy, open an allocated child, be refused another."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_acknowledge_open_allocated_child_and_be_refused_another(page, world):
    team = world.team("Chorley Safeguarding")
    worker = world.staff(team=team, username="sarah.hughes", acknowledged=False)
    mine = world.person("Kayden Lee", "Walsh")
    world.case(mine, team, workers=(worker,))
    other_team = world.team("Burnley Child Protection")
    not_mine = world.person("Mia", "Roberts")
    other_case = world.case(not_mine, other_team, workers=(world.staff(team=other_team),))

    sign_in(page, "sarah.hughes")
    assert page.locator("h1").inner_text() == "Read the Confidentiality Policy"
    page.click("main button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    page.check("#id_confirm")
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "My work"
    page.click(f"text={mine.full_name}")
    assert page.locator("h1").inner_text() == "Kayden Lee Walsh"

    page.goto(f"/cases/{other_case.ref}/")
    assert page.locator("h1").inner_text() == "You cannot open this record"
    assert "Mia" not in page.content()
    assert page.locator("text=Use break-glass access").is_visible()
