"""List pages and list endpoints: the number of queries does not grow with the rows shown.

Each page is measured with a few rows, then again with 20+ more; the second load may use at most
a handful more queries than the first (per-row audit writes excluded by design are counted in
the slack)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

MORE = 22
SLACK = 3


def _count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)


def _check(
    client: Client,
    path: str,
    add: Callable[[int], None],
    django_assert_max_num_queries: Any,
    *,
    per_row: int = 0,
) -> None:
    """`per_row`: queries each row costs by design (an audited read of its own), never a lookup."""
    add(2)
    shown_few = len(client.get(path).content)  # also warms caches (sessions, content types)
    few = _count(client, path)
    add(MORE)
    with django_assert_max_num_queries(few + SLACK + per_row * MORE):
        response = client.get(path)
    assert response.status_code == 200
    assert len(response.content) > shown_few + MORE * 10, "the new rows are listed"


def _client(staff: Any) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_my_cases(world: Any, django_assert_max_num_queries: Any) -> None:
    team = world.team()
    worker = world.staff(team=team)

    def add(n: int) -> None:
        for _ in range(n):
            world.case(world.person(), team, workers=(worker,))

    _check(_client(worker), "/", add, django_assert_max_num_queries)


def test_search(world: Any, django_assert_max_num_queries: Any) -> None:
    team = world.team()
    worker = world.staff(team=team)

    def add(n: int) -> None:
        for _ in range(n):
            person = world.person("Ava", "Pemberton")
            world.case(person, team, workers=(worker,))

    _check(_client(worker), "/people/?q=Pemberton", add, django_assert_max_num_queries)


def test_search_api(world: Any, django_assert_max_num_queries: Any) -> None:
    team = world.team()
    worker = world.staff(team=team)

    def add(n: int) -> None:
        for _ in range(n):
            world.case(world.person("Ava", "Pemberton"), team, workers=(worker,))

    _check(_client(worker), "/api/records/people?q=Pemberton", add, django_assert_max_num_queries)


def _requests(world: Any, handler: Any) -> Callable[[int], None]:
    from discretion.requests.models import Request

    def add(n: int) -> None:
        for i in range(n):
            Request.objects.create(handler=handler, requester_name=f"Caller {i}")

    return add


@pytest.mark.parametrize("path", ["/requests/"])
def test_request_queue(world: Any, path: str, django_assert_max_num_queries: Any) -> None:
    team = world.team()
    worker = world.staff(team=team)
    _check(_client(worker), path, _requests(world, worker), django_assert_max_num_queries)


@pytest.mark.parametrize("path", ["/disclosures/", "/api/disclosures/", "/disclosures/?format=csv&person="])
def test_register(world: Any, path: str, django_assert_max_num_queries: Any) -> None:
    from discretion.disclosures.services import Recipient, disclose

    igo = world.staff("information_governance")
    team = world.team()
    manager = world.manager_of(team)

    def add(n: int) -> None:
        for i in range(n):
            child = world.person()
            world.case(child, team)
            disclose(
                igo,
                recipient=Recipient(name=f"Officer {i}", organisation="Police", address="p@example.org"),
                channel="secure_link",
                content=b"x",
                content_name="x.pdf",
                source="request",
                source_id=str(i),
                person_ids=[child.pk],
                approved_by=manager,
                rules=["2.4-police"],
            )

    _check(_client(igo), path, add, django_assert_max_num_queries)


def _foi(world: Any, igo: Any) -> Callable[[int], None]:
    from discretion.information_rights.models import InfoRequest

    def add(n: int) -> None:
        for _ in range(n):
            k = InfoRequest.objects.count()
            InfoRequest.objects.create(
                ref=f"FOI-{k}",
                requester_name="A",
                requester_contact="a@example.org",
                channel="email",
                received_on=dt.date(2025, 3, 3),
                wording="How many?",
                due_on=dt.date(2025, 3, 31),
                created_by=igo,
                handler=igo,
                published=True,
            )

    return add


@pytest.mark.parametrize(
    "path",
    [
        "/information-rights/",
        "/information-rights/requests/",
        "/information-rights/dashboard.csv",
        "/api/information-rights/dashboard",
        "/information-rights/disclosure-log/",
        "/api/information-rights/disclosure-log",
    ],
)
def test_foi_lists(world: Any, path: str, django_assert_max_num_queries: Any) -> None:
    igo = world.staff("information_governance")
    _check(_client(igo), path, _foi(world, igo), django_assert_max_num_queries)


def test_sar_list(world: Any, django_assert_max_num_queries: Any) -> None:
    from discretion.information_rights.models import SarCase

    igo = world.staff("information_governance")

    def add(n: int) -> None:
        for _ in range(n):
            k = SarCase.objects.count()
            SarCase.objects.create(
                ref=f"SAR-{k}",
                requester_name="A",
                requester_contact="a@example.org",
                requester_kind="subject",
                received_on=dt.date(2025, 3, 3),
                due_on=dt.date(2025, 4, 3),
                created_by=igo,
                handler=igo,
                subject=world.person(),
            )

    _check(_client(igo), "/information-rights/sar/", add, django_assert_max_num_queries)


@pytest.mark.parametrize("path", ["/staff/alerts/", "/api/staff/alerts"])
def test_alerts(world: Any, path: str, django_assert_max_num_queries: Any) -> None:
    from discretion.staff.models import Alert

    team = world.team()
    manager = world.manager_of(team)

    def add(n: int) -> None:
        for i in range(n):
            worker = world.staff(team=team)
            Alert.objects.create(kind="break_glass", subject_staff=worker, summary=f"Alert {i}")

    _check(_client(manager), path, add, django_assert_max_num_queries)


@pytest.mark.parametrize(
    "path", ["/staff/compliance/", "/api/staff/compliance", "/staff/compliance/?format=csv"]
)
def test_compliance(world: Any, path: str, django_assert_max_num_queries: Any) -> None:
    team = world.team()
    igo = world.staff("information_governance", team=team)

    def add(n: int) -> None:
        for i in range(n):
            volunteer = world.staff(
                team=team, employment_type="volunteer", responsible=igo, acknowledged=i % 2 == 0
            )
            assert volunteer

    _check(_client(igo), path, add, django_assert_max_num_queries)


@pytest.mark.parametrize("path", ["/research/", "/api/research/requests"])
def test_research_list(world: Any, path: str, django_assert_max_num_queries: Any) -> None:
    from discretion.research.models import ResearchRequest

    officer = world.staff("research_governance")

    def add(n: int) -> None:
        for i in range(n):
            ResearchRequest.objects.create(
                title=f"T{i}",
                purpose="P",
                lawful_basis="L",
                retention="1 year",
                audience="A",
                requester_name="R",
                submitted_by=world.staff(),
            )

    _check(_client(officer), path, add, django_assert_max_num_queries)


def _referred(world: Any, team: Any, handler: Any) -> Callable[[int], None]:
    from discretion.requests.models import Request, RequestSubject, State, Task

    def add(n: int) -> None:
        for i in range(n):
            req = Request.objects.create(
                handler=handler,
                team=team,
                requester_name=f"Officer {i}",
                state=State.REFERRED,
                facts={"purpose": "police_investigation"},
                decision={
                    "outcome": "refer",
                    "route_to": ["manager"],
                    "conditions": ["verify_identity", "inform_subject"],
                    "reasons": [],
                },
            )
            child = world.person()
            world.case(child, team, workers=(handler,))
            RequestSubject.objects.create(request=req, person=child)
            Task.objects.create(request=req, kind="inform_subject", done_by=handler, note="told")

    return add


@pytest.mark.parametrize("path", ["/requests/", "/api/requests/queue"])
def test_referral_queue_for_a_manager(world: Any, path: str, django_assert_max_num_queries: Any) -> None:
    team = world.team()
    manager = world.manager_of(team)
    worker = world.staff(team=team)
    client = _client(manager)
    # The API lists each request's subjects by reference: `access.person_refs` is one audited read
    # per request (a refs query and the audit chain's savepoint, head update, insert, hash, release).
    per_row = 6 if path.startswith("/api/") else 0
    _check(client, path, _referred(world, team, worker), django_assert_max_num_queries, per_row=per_row)
    body = client.get(path).content
    assert body.count(b"Officer" if path.startswith("/api/") else b"requests/") >= MORE


def test_case_page_entries(world: Any, django_assert_max_num_queries: Any) -> None:
    team = world.team()
    worker = world.staff(team=team)
    case = world.case(world.person(), team, workers=(worker,))

    def add(n: int) -> None:
        for i in range(n):
            world.entry(case, f"Visit number {i}. All well.", title=f"Visit {i}")

    _check(_client(worker), f"/cases/{case.ref}/", add, django_assert_max_num_queries)


def test_person_page_cases(world: Any, django_assert_max_num_queries: Any) -> None:
    team = world.team()
    worker = world.staff(team=team)
    child = world.person()

    def add(n: int) -> None:
        for _ in range(n):
            world.case(child, team, workers=(worker,))

    _check(_client(worker), f"/people/{child.ref}/", add, django_assert_max_num_queries)


def test_sar_review_redactions(world: Any, django_assert_max_num_queries: Any) -> None:
    path = "/information-rights/sar/{pk}/review/"
    from discretion.information_rights.models import Redaction, RedactionDecision, SarCase

    igo = world.staff("information_governance")
    team = world.team()
    child = world.person()
    case = world.case(child, team)
    sar = SarCase.objects.create(
        ref="SAR-9",
        requester_name="A",
        requester_contact="a@example.org",
        requester_kind="subject",
        received_on=dt.date(2025, 3, 3),
        due_on=dt.date(2025, 4, 3),
        created_by=igo,
        handler=igo,
        subject=child,
        compiled_at=dt.datetime(2025, 3, 4, tzinfo=dt.UTC),
    )

    def add(n: int) -> None:
        for i in range(n):
            entry = world.entry(case, f"Spoke to Mr Jones about visit {i}.")
            red = Redaction.objects.create(
                sar=sar, entry_id=entry.pk, start=9, end=17, text="Mr Jones", reason="third_party"
            )
            RedactionDecision.objects.create(redaction=red, decision="accepted", decided_by=igo, note="ok")
            sar.entry_ids = [*sar.entry_ids, entry.pk]
        sar.save()

    _check(_client(igo), path.format(pk=sar.pk), add, django_assert_max_num_queries)
