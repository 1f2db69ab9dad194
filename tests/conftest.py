"""Shared fixtures: a small world built through the real models, and the audit checkpoint
kept per test so a test's chain never meets another's."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.browser.conftest import ARGS, CHROMIUM

# One profile, for CI and for every machine alike (CI is a loaded 2-core box, and a developer's is
# shared): no deadline, and no health check that times anything (too_slow is the only one; the
# others count sizes or rejections, which load does not change). Failing examples are printed
# as a blob to reproduce with @reproduce_failure.
hypothesis_settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
hypothesis_settings.load_profile("ci")

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _audit_checkpoint(tmp_path, settings):
    settings.AUDIT_CHECKPOINT_PATH = tmp_path / "audit-checkpoint.json"
    settings.RESEARCH_PSEUDONYM_KEY = "test-research-key"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 is the production hasher (settings.PASSWORD_HASHERS); tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Two-factor sign-in is tested on its own (tests/security); elsewhere tests sign in directly.
    settings.DISCRETION_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _no_refusal_left_pending():
    # A refusal queued inside a transaction is written by the front (web, API, CLI) once it ends;
    # a test calling services directly must not leave one behind for the next test.
    from discretion import access

    access._pending_refusals.set(())
    yield
    access._pending_refusals.set(())


@pytest.fixture(autouse=True)
def _fresh_subject_index():
    # The outbound guard caches the known-people index per process; each test starts clean.
    from discretion.outbound.subjects import reset_index

    reset_index()
    yield
    reset_index()


@pytest.fixture
def world(db) -> World:
    return World()


class World:
    """Builds teams, staff, people and cases with acknowledged policy, through the models."""

    def __init__(self) -> None:
        from discretion.seed import ensure_policy

        self.policy = ensure_policy()

    def team(self, name: str | None = None, manager: Any = None) -> Any:
        from discretion.staff.models import Team

        return Team.objects.create(name=name or f"Team {next(_counter)}", manager=manager)

    def staff(
        self,
        role: str = "practitioner",
        *,
        team: Any = None,
        employment_type: str = "employee",
        responsible: Any = None,
        acknowledged: bool = True,
        username: str | None = None,
        end_on: dt.date | None = None,
    ) -> Any:
        from discretion.staff.models import Acknowledgement, Staff

        n = next(_counter)
        member = Staff.objects.create_user(
            username=username or f"user{n}",
            password="correct-horse-battery",
            first_name=f"Staff{n}",
            last_name="Member",
            role=role,
            team=team,
            employment_type=employment_type,
            responsible_staff=responsible,
            end_on=end_on,
        )
        if acknowledged:
            Acknowledgement.objects.create(staff=member, policy=self.policy)
        return member

    def manager_of(self, team: Any) -> Any:
        manager = self.staff("team_manager", team=team)
        team.manager = manager
        team.save()
        return manager

    def person(
        self,
        given: str = "Kayden Lee",
        family: str = "Walsh",
        *,
        dob: dt.date | None = dt.date(2015, 4, 3),
        child: bool = True,
        aliases: tuple[tuple[str, str, str], ...] = (),
        **fields: Any,
    ) -> Any:
        from discretion.records.models import Person
        from discretion.records.services import index_names

        n = next(_counter)
        person = Person.objects.create(
            ref=f"P{900000 + n}",
            given_names=given,
            family_name=family,
            date_of_birth=dob,
            is_child=child,
            **fields,
        )
        index_names(person, aliases)
        return person

    def case(
        self,
        subject: Any,
        team: Any,
        *,
        members: tuple[Any, ...] = (),
        workers: tuple[Any, ...] = (),
        opened_on: dt.date = dt.date(2025, 1, 6),
    ) -> Any:
        from discretion.records.models import Case, CaseMember
        from discretion.staff.models import Allocation

        n = next(_counter)
        case = Case.objects.create(ref=f"C{900000 + n}", subject=subject, team=team, opened_on=opened_on)
        CaseMember.objects.create(case=case, person=subject, role="subject")
        for m in members:
            CaseMember.objects.create(case=case, person=m, role="parent")
        for w in workers:
            Allocation.objects.create(staff=w, case=case, start_on=opened_on)
        return case

    def entry(self, case: Any, text: str = "Home visit. All well.", **flags: Any) -> Any:
        from discretion.records.models import Entry

        return Entry.objects.create(
            case=case,
            kind=flags.pop("kind", "case_note"),
            occurred_on=flags.pop("occurred_on", dt.date(2025, 2, 1)),
            title=flags.pop("title", "Visit"),
            text=text,
            **flags,
        )


def approved_request(world: World, handler: Any, person: Any, *addresses: str) -> int:
    """An approved request about `person` from whoever is at `addresses`, handled by `handler` (given
    a case about the person if they have none), every check done: the lawful basis a message with
    personal data must cite (policy 1.1)."""
    from discretion import access
    from discretion.records.models import Case
    from discretion.requests import services as requests

    if not any(
        access.case_grant(handler, case_id)
        for case_id in Case.objects.filter(subject=person).values_list("id", flat=True)
    ):
        team = handler.team or world.team()
        world.case(person, team, workers=(handler,))
    req = requests.log_request(
        handler,
        requester=requests.RequesterDetails(
            name="Ms Patel",
            category="other_agency",
            organisation="Primary school",
            contact=", ".join(addresses),
            works_with_child=True,
        ),
        channel="secure_email",
        person_ids=[person.pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    for kind in ("verify_identity", "verify_entitlement"):
        requests.complete_task(handler, req.pk, kind, note="Checked.")
    requests.complete_task(handler, req.pk, "inform_subject", note="Told.", outcome="told")
    req.refresh_from_db()
    assert req.state == "approved" and not requests.unmet_conditions(req)
    return int(req.pk)


@pytest.fixture
def audit_actions() -> Callable[..., list[str]]:
    def actions(**filters: Any) -> list[str]:
        from discretion.audit.models import AuditEvent

        return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True))

    return actions


# --- real Chromium (Debian's package) driven by Playwright against Django's live server -------
# Defined once here: Playwright allows one sync instance per thread, so every app shares it.


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="discretion-chromium-")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()
