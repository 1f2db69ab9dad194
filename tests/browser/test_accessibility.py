"""Every role's pages in real Chromium on the demo council: axe-core (the npm package, read from
node_modules and injected here; nothing fetched) finds no WCAG 2.2 AA violation, and at 320 CSS pixels
wide no page scrolls sideways (wide tables scroll inside their own container). One browser; one
context per role."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import sign_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""


def _state() -> dict[str, Any]:
    """The demo council, and the casework that fills each role's pages."""
    from discretion import access, seed
    from discretion.information_rights import services as ir
    from discretion.records.models import Case, Entry
    from discretion.requests import services as requests
    from discretion.research import services as research
    from discretion.staff.models import Staff

    seed.build("small", 1)
    staff = {s.username: s for s in Staff.objects.all()}
    from discretion.staff.models import Acknowledgement

    policy = seed.ensure_policy()
    for member in staff.values():
        member.set_password("correct-horse-battery")
        member.save(update_fields=["password"])
        Acknowledgement.objects.get_or_create(staff=member, policy=policy)
    sarah, igo = staff["sarah.hughes"], staff["gareth.morgan"]
    grants = [c for c in Case.objects.order_by("id") if access.case_grant(sarah, c.pk)]
    case = next(c for c in grants if Entry.objects.filter(case=c).count() >= 3)
    other = Case.objects.exclude(team=case.team).order_by("id").first()
    assert other is not None
    entry = Entry.objects.filter(case=case).order_by("id").first()
    assert entry is not None
    access.break_glass(staff["imran.khan"], case.pk, "Police called: the child is missing tonight")

    police = requests.log_request(
        sarah,
        requester=requests.RequesterDetails(
            name="DC Rao", category="police", organisation="Lancashire Police"
        ),
        channel="phone",
        person_ids=[case.subject_id],
        information=["child_personal"],
        purpose="missing_child",
    )
    foi = ir.log_request(
        igo,
        requester_name="Alex Reporter",
        requester_contact="alex@example.org",
        channel="email",
        wording="How many children were in care on 31 March 2026?",
    )
    answered = ir.log_request(
        igo,
        requester_name="B Smith",
        requester_contact="1 High Street, Preston",
        channel="letter",
        wording="Budget",
    )
    ir.record_outcome(
        igo, answered.pk, outcome="provided", response_text="The budget was £12m.", publish=True
    )
    sar = ir.open_sar(
        igo,
        requester_name=case.subject.full_name,
        requester_contact="young.person@example.org",
        requester_kind="self",
        received_on=dt.date.today(),
    )
    ir.verify_identity(igo, sar.pk, evidence="Passport", subject_ref=case.subject.ref)
    ir.compile_records(igo, sar.pk)
    study = research.submit_request(
        sarah,
        research.Submission(
            title="Placement stability",
            purpose="Service evaluation of placement moves",
            lawful_basis="UK GDPR Art 6(1)(e)",
            fields=["age_band", "district"],
            retention="One year",
            audience="Performance team",
            requester_name="Sarah Hughes",
        ),
    )
    return {
        "staff": staff,
        "case": case,
        "other": other,
        "entry": entry,
        "police": police,
        "foi": foi,
        "answered": answered,
        "sar": sar,
        "study": study,
    }


def _pages(s: dict[str, Any]) -> dict[str, list[str]]:
    case, other, person = s["case"], s["other"], s["case"].subject
    sar, foi, study = s["sar"].pk, s["foi"].pk, s["study"].pk
    everyone = ["/", "/people/", "/requests/", "/research/commercial/", "/research/", "/staff/supervised/"]
    return {
        "": ["/sign-in/", "/information-rights/disclosure-log/"],
        "sarah.hughes": [
            *everyone,
            f"/people/?q={person.family_name}",
            f"/people/{person.ref}/",
            f"/cases/{case.ref}/",
            f"/entries/{s['entry'].pk}/",
            f"/outbound/cases/{case.ref}/compose/",
            f"/disclosures/people/{person.ref}/",
            f"/requests/{s['police'].pk}/",
            "/requests/new/who/",
            "/disclosures/print-queue/",
            "/research/new/",
            f"/research/{study}/",
            f"/cases/{other.ref}/",
            f"/cases/{other.ref}/break-glass/",
        ],
        "priya.patel": [
            *everyone,
            "/disclosures/",
            "/staff/alerts/",
            "/staff/compliance/",
            "/staff/inductions/new/",
            f"/people/{person.ref}/",
            f"/cases/{case.ref}/",
            f"/requests/{s['police'].pk}/",
        ],
        "gareth.morgan": [
            *everyone,
            "/information-rights/",
            "/information-rights/requests/",
            "/information-rights/requests/new/",
            f"/information-rights/requests/{foi}/",
            f"/information-rights/requests/{s['answered'].pk}/",
            "/information-rights/sar/",
            "/information-rights/sar/new/",
            f"/information-rights/sar/{sar}/",
            f"/information-rights/sar/{sar}/review/",
            f"/information-rights/sar/{sar}/release/",
            "/disclosures/",
            "/staff/alerts/",
            "/staff/compliance/",
            f"/audit/people/{person.ref}/",
            f"/research/{study}/",
            "/staff/policy/publish/",
            f"/staff/{s['staff']['sarah.hughes'].pk}/reset-authenticator/",
        ],
        "helen.evans": [*everyone],
        "tom.taylor": ["/", "/requests/", "/research/commercial/"],
        "ruth.clarke": [*everyone, f"/research/{study}/", "/research/new/"],
        "amy.wright": ["/", "/people/", "/requests/"],
        "zainab.ali": ["/", "/people/"],
        "dan.brown": ["/", "/people/", "/requests/"],
        "admin.jones": ["/", "/staff/compliance/", "/staff/alerts/", "/staff/policy/publish/"],
    }


def _check(tab: Any, axe_source: str, url: str, problems: list[str]) -> None:
    tab.set_viewport_size({"width": 1280, "height": 900})
    response = tab.goto(url)
    assert response is not None and response.status < 500, f"{url}: {response and response.status}"
    # Open every "details" so the forms folded inside them are checked too.
    tab.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    tab.evaluate(axe_source)
    for violation in tab.evaluate(RUN_AXE, TAGS):
        problems.append(f"{url}: {violation}")
    tab.set_viewport_size({"width": 320, "height": 640})
    width = tab.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        problems.append(f"{url}: scrolls sideways at 320 pixels wide ({width} pixels)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_role_s_pages_pass_axe_at_wcag_2_2_aa_and_fit_320_pixels(chromium, live_server):
    assert AXE.exists(), "axe-core is installed by `npm ci` (package.json)"
    axe_source = AXE.read_text()
    state = _state()
    problems: list[str] = []
    checked = 0
    for username, urls in _pages(state).items():
        context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
        tab = context.new_page()
        tab.set_default_timeout(20000)
        if username:
            sign_in(tab, username)
        for url in urls:
            _check(tab, axe_source, url, problems)
            checked += 1
        if username == "gareth.morgan":
            # A page showing an error summary, as a person who left a form blank sees it.
            tab.goto("/information-rights/requests/new/")
            tab.click("main button[type=submit]")
            _check_current(tab, axe_source, "/information-rights/requests/new/ (errors)", problems)
            checked += 1
        context.close()
    assert checked >= 60, f"only {checked} pages checked"
    assert not problems, "\n".join(problems)


def _check_current(tab: Any, axe_source: str, label: str, problems: list[str]) -> None:
    tab.evaluate(axe_source)
    for violation in tab.evaluate(RUN_AXE, TAGS):
        problems.append(f"{label}: {violation}")
