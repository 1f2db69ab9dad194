"""The person, case and entry pages and person search make a fixed, small number of queries:
the same for a record with one relative, case, alias and entry as for one with many."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

# Queries per page besides writing its audit events: the session, the signed-in account (with
# its policy acknowledgement, whether a newer sign-in has ended this session, its team and its
# commercial-records permission: staff.signed_in), need to know, the record, and the navigation's
# counts (waiting requests, then letters, alerts and notifications in one query).
# PostgreSQL's search reads its trigram candidates in one more query than SQLite's.
BUDGET = {"person": 11, "case": 7, "entry": 6, "search": 7, "home": 7}
SEARCH_POSTGRESQL = 8
# Audit events each page writes: the record read; the home page's caseload, letters to post and
# the worker's own requests.
EVENTS = {"person": 1, "case": 1, "entry": 1, "search": 1, "home": 3}


def _audit_statements() -> int:
    """The audit event as each engine writes it in production: SQLite chains it at once (five
    statements); PostgreSQL accepts it (one INSERT) for the sequencer process to integrate."""
    return 5 if connection.vendor == "sqlite" else 1


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm: content types, the session's first save
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _family(world: Any, worker: Any, team: Any, *, size: int) -> tuple[Any, Any, Any]:
    """A child with `size` parents, siblings, aliases, cases and entries."""
    child = world.person(
        "Kayden", "Walsh", aliases=tuple(("known_as", f"Kay{i}", "Walsh") for i in range(size))
    )
    from discretion.records.models import Relationship

    for i in range(size):
        parent = world.person(f"Parent{i}", "Walsh", child=False)
        Relationship.objects.create(person=parent, relative=child, kind="parent")
        Relationship.objects.create(person=child, relative=parent, kind="child")
    cases = [world.case(child, team, workers=(worker,)) for _ in range(size)]
    entries = [world.entry(cases[0], f"Visit {i}.") for i in range(size * 3)]
    return child, cases[0], entries[0]


def _pages(client: Client, child: Any, case: Any, entry: Any) -> dict[str, int]:
    return {
        "person": _count(client, f"/people/{child.ref}/"),
        "case": _count(client, f"/cases/{case.ref}/"),
        "entry": _count(client, f"/entries/{entry.pk}/"),
        "search": _count(client, "/people/?q=Kayden+Walsh"),
        "home": _count(client, "/"),
    }


def test_page_queries_are_few_and_do_not_grow_with_the_record(world, settings):
    settings.AUDIT_SEQUENCER = "daemon"  # as the production stack runs
    team = world.team()
    worker = world.staff(team=team)
    client = Client()
    client.force_login(worker)
    small = _pages(client, *_family(world, worker, team, size=1))
    large = _pages(client, *_family(world, worker, team, size=6))
    assert large == small, (small, large)
    budget = {
        **BUDGET,
        "search": SEARCH_POSTGRESQL if connection.vendor == "postgresql" else BUDGET["search"],
    }
    assert small == {page: queries + EVENTS[page] * _audit_statements() for page, queries in budget.items()}
