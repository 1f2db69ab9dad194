"""In real Chromium: work finds the worker. Each role lands on its own queue; a notification reaches the
approver, who approves with the evidence in front of them; a sender revokes a secure link and the
recipient is refused; and the police missing-child flow, counted page by page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from discretion.notifications.models import Notification
from tests.requests.helpers import PDF, council, log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tabs(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser (its own cookies) for each person in a test."""
    contexts: list[Any] = []

    def open_tab() -> Any:
        context = chromium.new_context(base_url=live_server.url)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15000)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def _signed_in(tab: Any, username: str, next_url: str = "") -> None:
    tab.goto("/sign-in/" + (f"?next={next_url}" if next_url else ""))
    tab.fill("#id_username", username)
    tab.fill("#id_password", "correct-horse-battery")
    tab.click("main button[type=submit]")
    tab.wait_for_url(lambda url: "/sign-in/" not in url)


def _named(c: Any, **names: str) -> None:
    for attr, username in names.items():
        member = getattr(c, attr)
        member.username = username
        member.email = f"{username}@council.example"
        member.save()


def _nav(tab: Any) -> list[str]:
    """The navigation's link names, without their counts."""
    return list(
        tab.eval_on_selector_all("#navigation a", "els => els.map(e => e.childNodes[0].textContent.trim())")
    )


def _count(tab: Any, label: str) -> str:
    badge = tab.locator("#navigation a", has_text=label).locator(".discretion-count")
    return str(badge.inner_text()) if badge.count() else ""


def test_each_role_lands_on_its_own_queue(world: Any, tabs: Any) -> None:
    from discretion.information_rights import services as ir
    from discretion.requests import documents
    from discretion.research import services as research

    c = council(world)
    _named(
        c,
        worker="sarah.hughes",
        manager="priya.patel",
        igo="gareth.morgan",
        legal="helen.evans",
        press="tom.taylor",
    )
    world.staff("research_governance", username="ruth.clarke")
    admin = world.staff("administrator", username="admin.jones")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    volunteer = world.staff(
        employment_type="volunteer", responsible=c.worker, team=c.team, username="amy.wright"
    )
    police = log(c, "police", channel="phone", purpose="missing_child")
    media = log(c, "media", channel="phone", purpose="media_story")
    court = log(c, "solicitor", channel="letter", purpose="legal_proceedings")
    documents.add_document(
        c.worker, court.pk, "court_order", SimpleUploadedFile("o.pdf", PDF), name="o.pdf",
        content_type="application/pdf", size=len(PDF),
    )  # fmt: skip
    foi = ir.log_request(
        c.igo, requester_name="Ms Curious", requester_contact="c@example.org", channel="email",
        wording="How many?", received_on=dt.date.today() - dt.timedelta(days=40), received_on_reason="Late",
    )  # fmt: skip
    research.submit_request(
        c.worker,
        research.Submission(
            title="Placement stability", purpose="Evaluation", lawful_basis="Art 6(1)(e)", fields=["district"],
            retention="1 year", audience="The team", requester_name="Dr R",
        ),
    )  # fmt: skip
    expected: dict[str, tuple[str, str, str]] = {
        "sarah.hughes": ("My work", "#handling", f"Request {police.pk}"),
        "priya.patel": ("My work", "#to-decide", f"Request {police.pk}"),
        "gareth.morgan": ("My work", "#information-rights", foi.ref),
        "helen.evans": ("My work", "#documents", f"Request {court.pk}"),
        "tom.taylor": ("My work", "#to-decide", f"Request {media.pk}"),
        "ruth.clarke": ("My work", "#research", "Placement stability"),
        "admin.jones": ("My work", "#administration", "Configuration"),
        "amy.wright": ("My cases", "#cases", "No cases have been shared with you yet."),
    }
    for username, (heading, section, text) in expected.items():
        tab = tabs()
        _signed_in(tab, username)
        assert tab.locator("h1").inner_text() == heading, username
        assert text in tab.locator(section).inner_text(), username
        assert "You have no allocated cases" not in tab.content() or username == "sarah.hughes"
        assert tab.locator("#signed-in").inner_text().startswith("Signed in as"), username
        nav = _nav(tab)
        if username == "priya.patel":
            assert (
                tab.locator("#to-decide li")
                .first.locator(".govuk-tag--red")
                .inner_text()
                .startswith("Urgent")
            )
            assert _count(tab, "Requests") == "1"  # the police request waits for her decision
        if username == "gareth.morgan":
            assert "Overdue" in tab.locator("#information-rights").inner_text()
        if username == "admin.jones":
            assert "Administration" in nav and "Find a person" not in nav and "Requests" not in nav
        if username == "tom.taylor":
            assert nav == ["My work", "Requests", "Notifications"]
        if username == "amy.wright":
            assert nav == ["My cases", "Find a person"]
        assert ("Commercial records" in nav) == (username == "priya.patel"), username
    assert volunteer.pk  # the volunteer was signed in above


def test_a_notification_reaches_the_approver_who_approves_with_the_evidence(world: Any, tabs: Any) -> None:
    from discretion.requests import services

    c = council(world)
    _named(c, worker="sarah.hughes", manager="priya.patel")
    req = services.log_request(
        c.worker,
        requester=services.RequesterDetails(name="DC Rao", category="police", organisation="County Police", contact="01632 960123"),
        channel="phone",
        person_ids=[c.child.pk],
        information=["child_personal"],
        purpose="missing_child",
        summary="Kayden has been missing since 6pm; where might he go?",
    )  # fmt: skip
    services.complete_task(
        c.worker, req.pk, "verify_entitlement", note="Rang the force control room back.",
        callback_number="01632 960000", number_source="Force switchboard, from the police website",
    )  # fmt: skip
    manager = tabs()
    _signed_in(manager, "priya.patel")
    assert _count(manager, "Notifications") == "1"
    manager.click("#navigation a:has-text('Notifications')")
    assert manager.locator("h1").inner_text() == "Notifications"
    item = manager.locator("#notifications li").first
    assert "Urgent" in item.inner_text() and f"Request {req.pk} waits for your decision" in item.inner_text()
    item.locator("a").click()
    manager.wait_for_url(f"**/requests/{req.pk}/")
    # The evidence: their words, how entitlement was checked (the call-back and its source), history.
    assert "missing since 6pm" in manager.locator("#their-words").inner_text()
    entitlement = manager.locator("[data-check='verify_entitlement']").inner_text()
    assert "01632 960000" in entitlement and "Force switchboard" in entitlement and "Done" in entitlement
    assert "Not done yet" in manager.locator("[data-check='verify_identity']").inner_text()
    assert "Rang the force control room back." in manager.locator("#history-table").inner_text()
    assert manager.locator("#urgent").inner_text() == "Urgent: a missing child"
    assert (
        "1.5-police" not in manager.content() and "missing_child" not in manager.locator("main").inner_text()
    )
    assert _count(manager, "Notifications") == ""  # read once opened
    manager.click("#approve-yes")
    manager.fill("#id_reasoning", "Missing overnight: the police need the places he goes.")
    manager.click("main button:has-text('Record decision')")
    assert "Your decision is recorded" in manager.locator("#done").inner_text()
    told = Notification.objects.get(recipient=c.worker, kind="approved")
    assert told.triggered_by == c.manager and told.email is not None


def test_the_sender_revokes_a_secure_link_and_the_recipient_is_refused(world: Any, tabs: Any) -> None:
    from discretion.requests import services

    c = council(world)
    _named(c, worker="sarah.hughes")
    req = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    for kind in services.open_tasks(req):
        services.complete_task(c.worker, req.pk, kind, note="Done", outcome="told")
    services.select_entries(c.worker, req.pk, {c.visit.pk: "Needed for the enquiry"})
    release = services.release_request(c.worker, req.pk, channel="secure_link", address="dr@nhs.example")
    recipient = tabs()
    recipient.goto(f"/disclosures/download/{release.link_token}/")
    assert c.worker.display_name in recipient.locator("#sender").inner_text()
    assert "This link expires on" in recipient.locator("#expires").inner_text()

    sender = tabs()
    _signed_in(sender, "sarah.hughes")
    sender.click("#navigation a:has-text('Secure links sent')")
    row = sender.locator("#links tbody tr").first
    assert row.locator("[data-status]").inner_text() == "Opened"
    row.locator("a:has-text('Revoke')").click()
    sender.click("#revoke")  # no reason given
    assert sender.title().startswith("Error:")
    sender.click(".govuk-error-summary a")
    assert sender.evaluate("document.activeElement.id") == "id_reason"
    sender.fill("#id_reason", "Sent to the wrong GP practice")
    sender.click("#revoke")
    assert "The link is revoked" in sender.locator("#done").inner_text()
    assert sender.locator("#links tbody tr").first.locator("[data-status]").inner_text() == "Revoked"

    recipient.reload()
    assert "withdrawn" in recipient.locator("#refusal").inner_text()
    assert recipient.locator("#id_code").count() == 0


def test_the_police_missing_child_flow_takes_at_most_twelve_pages(
    world: Any, tabs: Any, live_server: Any, settings: Any
) -> None:
    """Intake → decision → approval → release → register, counted as the pages each person loads
    (signing in not counted). Work reaches the approver and the handler by notification e-mail."""
    from discretion.disclosures.models import Disclosure

    settings.SITE_URL = live_server.url
    c = council(world)
    _named(c, worker="sarah.hughes", manager="priya.patel")
    pages: list[tuple[str, str]] = []

    def counted(tab: Any, who: str) -> None:
        def seen(frame: Any) -> None:
            if frame == tab.main_frame and "/sign-in/" not in frame.url:
                pages.append((who, frame.url))

        tab.on("framenavigated", seen)

    def link_in_email(member: Any, kind: str) -> str:
        notification = Notification.objects.filter(recipient=member, kind=kind).latest("id")
        assert notification.email is not None
        (url,) = re.findall(r"https?://\S+", notification.email.body)
        return url.removeprefix(live_server.url)

    worker = tabs()
    _signed_in(worker, "sarah.hughes")
    counted(worker, "handler")
    worker.goto("/")  # 1: home
    worker.click("main a:has-text('Log a request')")  # 2: who is asking
    worker.get_by_label("Police").check()
    worker.get_by_label("Their name").fill("DC Rao")
    worker.get_by_label("Organisation").fill("County Police")
    worker.get_by_label("Contact details").fill("dc.rao@police.example")
    worker.get_by_label("Telephone").check()
    worker.click("main button[type=submit]")  # 3: who it is about (their caseload, no search)
    worker.get_by_label(re.compile("Kayden Walsh")).check()
    worker.click("main button:has-text('Continue')")  # 4: what and why
    worker.get_by_label("About the child").check()
    worker.get_by_label("What they asked, in their words").fill("Kayden missing since 6pm. Places he goes?")
    worker.get_by_label("Finding a missing child").check()
    worker.click("main button[type=submit]")  # 5: check your answers, with the checks made on the phone
    assert "Urgent: a missing child" in worker.locator("main").inner_text()
    assert "Team manager" in worker.locator("#preview").inner_text()
    worker.get_by_label("How you checked who they are").fill("Warrant number checked with the force.")
    worker.get_by_label("How you checked they are entitled to the information").fill("Called back.")
    worker.get_by_label("Number you called back on").fill("01632 960000")
    worker.get_by_label("Where the number came from").fill("Force switchboard")
    worker.click("#log-request")  # 6: the request, referred to the manager
    assert worker.locator("#outcome").inner_text() == "Referred for a decision"

    manager = tabs()
    counted(manager, "approver")
    _signed_in(manager, "priya.patel", link_in_email(c.manager, "referred"))  # 7: the request
    assert "Warrant number checked" in manager.locator("[data-check='verify_identity']").inner_text()
    manager.click("#approve-yes")
    manager.fill("#id_reasoning", "Missing overnight: police need the places he goes.")
    manager.click("main button:has-text('Record decision')")  # 8: decision recorded

    worker.goto(link_in_email(c.worker, "approved"))  # 9: choose what to release and send it
    assert worker.locator("h1").inner_text() == "Choose what to release and send it"
    worker.check(f"#entry-{c.visit.pk}")
    worker.fill(f"#reason-{c.visit.pk}", "Places he goes")
    worker.check("#inform-not_possible")
    worker.fill("#id_inform_reason", "He is missing: he will be told when he is found.")
    worker.check("#channel-secure_link")
    # Only to the contact recorded (and checked) with the request: already filled in.
    assert worker.input_value("#id_address") == "dc.rao@police.example"
    worker.click("#release")  # 10: released and recorded, with the register entry
    assert worker.locator(".govuk-panel__title").inner_text() == "Released and recorded"
    entry = Disclosure.objects.get()
    assert worker.locator("#register-entry").inner_text() == str(entry.pk)
    assert entry.approved_by == c.manager and entry.entry_ids == [c.visit.pk]

    counts = {who: sum(1 for w, _ in pages if w == who) for who in ("handler", "approver")}
    assert counts == {"handler": 8, "approver": 2}, pages
    assert len(pages) <= 12
