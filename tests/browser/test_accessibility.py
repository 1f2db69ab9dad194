"""Every role's pages in real Chromium on the demo council: axe-core (the npm package, read from
node_modules and injected here; nothing fetched) finds no WCAG 2.2 AA violation, and at 320 CSS pixels
wide no page scrolls sideways (wide tables scroll inside their own container). One browser; one
context per role, under the service's own Content-Security-Policy: axe is evaluated through the
browser's debugging protocol, which the policy does not govern, so nothing is bypassed, and any page
(or axe) breaking the policy fails the test. Only pages that really load (200, HTML, where they were
asked for) count towards the 60."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import demo_world
from tests.browser.conftest import sign_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""
# Every violation of the policy, as the page itself sees it (set before any of the page's scripts).
WATCH_CSP = """window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));"""
MINIMUM = 60


def _check(tab: Any, axe_source: str, url: str, problems: list[str]) -> bool:
    """axe and the 320-pixel check on one page; whether it was a real page (200, HTML, not moved)."""
    tab.set_viewport_size({"width": 1280, "height": 900})
    response = tab.goto(url)
    assert response is not None and response.status < 500, f"{url}: {response and response.status}"
    real = (
        response.status == 200
        and "text/html" in (response.header_value("content-type") or "")
        and tab.url.endswith(url)
    )
    # Open every "details" so the forms folded inside them are checked too.
    tab.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    _check_current(tab, axe_source, url, problems)
    return real


def _check_current(tab: Any, axe_source: str, label: str, problems: list[str]) -> None:
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.evaluate(axe_source)
    for violation in tab.evaluate(RUN_AXE, TAGS):
        problems.append(f"{label}: {violation}")
    for blocked in tab.evaluate("window.__csp || []"):
        problems.append(f"{label}: breaks the Content-Security-Policy: {blocked}")
    tab.set_viewport_size({"width": 320, "height": 640})
    width = tab.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        problems.append(f"{label}: scrolls sideways at 320 pixels wide ({width} pixels)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_role_s_pages_pass_axe_at_wcag_2_2_aa_and_fit_320_pixels(chromium, live_server):
    assert AXE.exists(), "axe-core is installed by `npm ci` (package.json)"
    axe_source = AXE.read_text()
    state = demo_world.build()
    problems: list[str] = []
    checked: set[str] = set()  # distinct pages (path and query), whoever opened them
    by_role: set[tuple[str, str]] = set()
    not_pages: list[str] = []
    for username, urls in demo_world.pages(state).items():
        context = chromium.new_context(base_url=live_server.url)  # the service's own CSP applies
        context.add_init_script(WATCH_CSP)
        tab = context.new_page()
        tab.set_default_timeout(20000)
        who = username or "signed out"
        tab.on(
            "console",
            lambda message, who=who: (
                problems.append(f"{who}: {message.text}")
                if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
                else None
            ),
        )
        if username:
            sign_in(tab, username)
            tab.wait_for_url(lambda url: "/sign-in/" not in url)
        for url in urls:
            if _check(tab, axe_source, url, problems):
                checked.add(url)
                by_role.add((who, url))
            else:
                not_pages.append(f"{who} {url} -> {tab.url}")
        if username == "sarah.hughes":
            # The intake's later questions and "check your answers", as a person logging a request.
            for path in _intake(tab):
                _check_current(tab, axe_source, path, problems)
                checked.add(path)
                by_role.add((who, path))
        if username == "gareth.morgan":
            # A page showing an error summary, as a person who left a form blank sees it.
            tab.goto("/information-rights/requests/new/")
            tab.click("main button[type=submit]")
            _check_current(tab, axe_source, "/information-rights/requests/new/ (errors)", problems)
        context.close()
    print(
        f"axe checked {len(checked)} distinct pages ({len(by_role)} role and page pairs); refusals: {not_pages}"
    )
    assert not problems, "\n".join(problems)
    assert len(checked) >= MINIMUM, f"only {len(checked)} distinct pages checked; not pages: {not_pages}"
    assert len(by_role) > len(checked)  # the shared pages were opened by several roles


def _intake(tab: Any) -> Iterator[str]:
    """Walk the intake to "check your answers" (nothing is logged), yielding each page's path."""
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto("/requests/new/who/")
    tab.get_by_label("Police").check()
    tab.get_by_label("Their name").fill("DC Rao")
    tab.get_by_label("Organisation").fill("Lancashire Police")
    tab.get_by_label("Telephone").check()
    tab.click("main button[type=submit]")
    tab.wait_for_url("**/requests/new/whom/")
    yield "/requests/new/whom/"
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.locator("main input[name=person]").first.check()
    tab.click("main button:has-text('Continue')")
    tab.wait_for_url("**/requests/new/what/")
    yield "/requests/new/what/"
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.get_by_label("About the child").check()
    tab.get_by_label("What they asked, in their words").fill("Where might the child go?")
    tab.get_by_label("Finding a missing child").check()
    tab.click("main button[type=submit]")
    tab.wait_for_url("**/requests/new/check/")
    yield "/requests/new/check/"
