"""The compose page in real Chromium: findings shown before anything is sent."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ARGS, CHROMIUM, sign_in

from .conftest import CASE_UPDATE, answerable


def in_chromium(base_url: str, steps: Callable[[Any], None]) -> None:
    """Run `steps(page)` in a Chromium of its own, on a thread of its own: Playwright's sync API allows one
    instance per thread, and tests/browser keeps a session-wide one on the main thread."""
    failure: list[BaseException] = []

    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                try:
                    tab = browser.new_context(base_url=base_url).new_page()
                    tab.set_default_timeout(15000)
                    steps(tab)
                finally:
                    browser.close()
        except BaseException as exc:  # re-raised on the test's thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="outbound-chromium")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_compose_page_shows_findings_and_offers_the_secure_route(live_server: Any, scene: Any) -> None:
    request_id = answerable(scene, "nan.walsh@gmail.com")

    def steps(page: Any) -> None:
        sign_in(page, scene.worker.username)
        page.goto(f"/outbound/cases/{scene.case.ref}/compose/")
        page.select_option("#id_request", str(request_id))
        page.fill("#id_to", "nan.walsh@gmail.com")
        page.fill("#id_subject", "Update")
        page.fill("#id_body", CASE_UPDATE)
        page.click("button[name=action][value=check]")

        table = page.locator("#findings-table")
        table.wait_for()
        assert "Kayden Walsh" in table.inner_text()
        assert "PERSON" in table.inner_text() and "DOB" in table.inner_text()
        assert page.locator("#id_body").input_value().startswith("Dear Ms Patel")  # the draft is kept
        page.click("button[name=action][value=secure_link]")
        page.get_by_text("Tell the recipient their one-time code").wait_for()
        assert page.locator("#code-1").inner_text().isdigit()

    in_chromium(live_server.url, steps)
