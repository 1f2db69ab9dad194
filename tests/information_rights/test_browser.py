"""The IG dashboard in real Chromium."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_shows_clocks_and_compliance(page, world):
    from discretion.information_rights import services

    igo = world.staff("information_governance", username="igo-browser")
    services.log_request(
        igo,
        requester_name="A",
        requester_contact="a@example.org",
        channel="email",
        wording="Overdue question",
        received_on=dt.date(2026, 1, 5),
        received_on_reason="post",
    )
    fresh = services.log_request(
        igo, requester_name="B", requester_contact="b@example.org", channel="letter", wording="New question"
    )
    services.record_outcome(igo, fresh.pk, outcome="not_held")
    services.log_request(
        igo, requester_name="C", requester_contact="c@example.org", channel="email", wording="Open question"
    )
    sign_in(page, "igo-browser")
    page.goto("/information-rights/")
    assert page.title().startswith("Information rights dashboard")
    assert page.locator("#open-count").inner_text() == "2"
    assert page.locator("#overdue-count").inner_text() == "1"
    assert page.locator("#open-cases [data-rag=red]").first.inner_text() == "Overdue"
    assert page.locator("#compliance-chart rect").count() == 12
    last_row = page.locator("#compliance-table tbody tr").last
    assert "100%" in last_row.inner_text()
    page.click("text=Log an FOI or EIR request")
    page.click("main button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
