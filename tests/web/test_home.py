"""Each role's home page is their work, and the navigation offers only what the role can use, with
counts and who is signed in (issue "Work that finds the worker")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discretion.requests import documents
from discretion.requests import services as requests
from tests.requests.helpers import PDF, council, log

pytestmark = pytest.mark.django_db


def _page(client: Any, member: Any, url: str = "/") -> str:
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def _nav(page: str) -> list[str]:
    """The navigation's link texts, without the counts."""
    nav = page.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(
            r'__link" href="[^"]+"[^>]*>(.*?)(?: <span class="discretion-count|</a>)', nav
        )
    ]


def _section(page: str, key: str) -> str:
    return page.split(f'<section class="govuk-!-margin-bottom-8" id="{key}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def c(world: Any) -> Any:
    return council(world)


def test_a_practitioner_sees_their_requests_urgent_first_then_their_cases(c: Any, client: Any) -> None:
    gp = log(c, "other_agency", channel="secure_email", purpose="care_planning", works_with_child=True)
    police = log(c, "police", channel="phone", purpose="missing_child")
    page = _page(client, c.worker)
    assert '<h1 class="govuk-heading-l">My work</h1>' in page
    handling = _section(page, "handling")
    assert handling.index(f"Request {police.pk}") < handling.index(f"Request {gp.pk}")
    assert "Urgent" in handling.split(f"Request {gp.pk}")[0]
    assert c.case.ref in page  # "My cases" stays
    assert "Log a request" in page
    assert f"Signed in as <strong>{c.worker.display_name}</strong>" in page
    nav = _nav(page)
    assert nav[:3] == ["My work", "Find a person", "Requests"]
    for absent in (
        "Commercial records",
        "Disclosure register",
        "Alerts",
        "FOI and subject access",
        "Administration",
    ):
        assert absent not in nav
    # Commercial records appear only for those who may use them (policy 1.3).
    c.worker.user_permissions.add(Permission.objects.get(codename="view_commercial_records"))
    c.worker = type(c.worker).objects.get(pk=c.worker.pk)
    assert "Commercial records" in _nav(_page(client, c.worker))


def test_a_manager_sees_approvals_waiting_urgent_first_with_a_count(c: Any, client: Any) -> None:
    routine = log(c, "police", channel="letter", purpose="criminal_investigation")
    urgent = log(c, "police", channel="phone", purpose="missing_child")
    page = _page(client, c.manager)
    waiting = _section(page, "to-decide")
    assert waiting.index(f"Request {urgent.pk}") < waiting.index(f"Request {routine.pk}")
    assert "Urgent: a missing child" in waiting
    assert "Police, finding a missing child" in waiting and "Kayden" not in waiting
    assert 'Requests <span class="discretion-count" aria-hidden="true">2</span>' in page
    assert '<span class="govuk-visually-hidden"> (2 waiting for you)</span>' in page
    assert "Notifications <span" in page  # each referral told them
    assert {"Alerts", "Disclosure register", "Compliance"} <= set(_nav(page))
    assert c.case.ref in _section(page, "to-decide") or c.case.ref in page  # the team's cases stay


def test_the_igo_sees_cases_by_due_date_with_rag_and_documents_to_check(c: Any, client: Any) -> None:
    from discretion.information_rights import services as ir

    foi = ir.log_request(
        c.igo,
        requester_name="Ms Curious",
        requester_contact="curious@example.org",
        channel="email",
        wording="How many children are in care?",
        received_on=dt.date.today() - dt.timedelta(days=40),
        received_on_reason="Found in a shared mailbox",
    )
    req = log(c, "other_agency", channel="secure_email", purpose="care_planning", works_with_child=True)
    documents.add_document(
        c.worker, req.pk, "written_consent", SimpleUploadedFile("c.pdf", PDF), name="c.pdf",
        content_type="application/pdf", size=len(PDF),
    )  # fmt: skip
    page = _page(client, c.igo)
    cases = _section(page, "information-rights")
    assert foi.ref in cases and "Overdue" in cases and "govuk-tag--red" in cases
    assert f"Request {req.pk}" in _section(page, "documents")
    nav = _nav(page)
    assert "FOI and subject access" in nav and "Research" in nav and "Administration" not in nav


def test_legal_services_see_court_orders_to_check(c: Any, client: Any) -> None:
    req = log(c, "solicitor", channel="letter", purpose="legal_proceedings")
    documents.add_document(
        c.worker, req.pk, "court_order", SimpleUploadedFile("o.pdf", PDF), name="o.pdf",
        content_type="application/pdf", size=len(PDF),
    )  # fmt: skip
    page = _page(client, c.legal)
    assert f"Request {req.pk}" in _section(page, "documents")
    assert "Court orders to check" in page and "You have no allocated cases" not in page
    assert f"Request {req.pk}" in _section(page, "to-decide")  # referred to Legal Services too


def test_the_press_office_sees_its_media_enquiries_with_the_question(c: Any, client: Any) -> None:
    media = log(c, "media", channel="phone", purpose="media_story")
    page = _page(client, c.press)
    assert f"Request {media.pk}" in _section(page, "to-decide") and "Media enquiries" in page
    assert _nav(page) == ["My work", "Requests", "Notifications"]
    detail = _page(client, c.press, reverse("requests:detail", args=[media.pk]))
    assert "Will the council comment?" in detail  # the question asked, recorded at intake


def test_research_governance_sees_decisions_waiting(c: Any, client: Any, world: Any) -> None:
    from discretion.research import services as research

    rg = world.staff("research_governance")
    submitted = research.submit_request(
        c.worker,
        research.Submission(
            title="Placement stability",
            purpose="Service evaluation",
            lawful_basis="UK GDPR Art 6(1)(e)",
            fields=["district"],
            retention="12 months",
            audience="The team",
            requester_name="Dr R",
        ),
    )
    page = _page(client, rg)
    assert "Placement stability" in _section(page, "research")
    assert 'Research <span class="discretion-count" aria-hidden="true">1</span>' in page
    assert reverse("research:detail", args=[submitted.pk]) in page


def test_the_administrator_has_a_link_to_the_admin_and_nothing_they_cannot_use(
    c: Any, client: Any, world: Any
) -> None:
    admin = world.staff("administrator")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    page = _page(client, admin)
    assert reverse("admin:index") in _section(page, "administration")
    nav = _nav(page)
    assert "Administration" in nav and "Compliance" in nav
    for absent in (
        "Find a person",
        "Requests",
        "Letters to post",
        "Commercial records",
        "Disclosure register",
    ):
        assert absent not in nav


def test_a_volunteer_sees_only_the_cases_shared_with_them(c: Any, client: Any, world: Any) -> None:
    from discretion.records import sharing

    volunteer = world.staff(employment_type="volunteer", responsible=c.worker, team=c.team)
    sharing.share_case(c.worker, ref=c.case.ref, supervisee_username=volunteer.username)
    page = _page(client, volunteer)
    assert '<h1 class="govuk-heading-l">My cases</h1>' in page and c.case.ref in page
    assert _nav(page) == ["My cases", "Find a person"]
    assert f"Volunteer, with {c.worker.display_name}" in page


def test_nothing_of_the_home_queues_writes_a_count_into_the_audit_log(c: Any, client: Any) -> None:
    """The navigation's counts are numbers only: a page that shows nothing else audits nothing."""
    from discretion.audit.models import AuditEvent

    log(c, "police", channel="phone", purpose="missing_child")
    client.force_login(c.manager)
    before = AuditEvent.objects.count()
    client.get(reverse("notifications:list"))
    assert AuditEvent.objects.count() == before


def test_the_request_page_speaks_plainly(c: Any, client: Any) -> None:
    req = log(c, "police", channel="phone", purpose="missing_child")
    requests.decide_referral(c.manager, req.pk, approve=True, reasoning="Missing overnight.")
    page = _page(client, c.worker, reverse("requests:detail", args=[req.pk]))
    text = re.sub(
        r"<[^>]+>", " ", re.sub(r'\s(?:data-[a-z-]+|id|class|for|name|value|href|action)="[^"]*"', "", page)
    )
    for code in ("missing_child", "1.5-police", "need_more", "approvals_withdrawn", "UTC", "+00:00"):
        assert code not in text, code
    assert "Urgent: a missing child" in page and "More is needed first" in page
