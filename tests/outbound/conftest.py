from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

# A case update a social worker might write: names a known child, with a date of birth.
CASE_UPDATE = (
    "Dear Ms Patel,\n\nFollowing today's review, Kayden Walsh (DOB 3/4/15) will be collected by his "
    "grandmother on Fridays. Please let me know if kayden's attendance changes.\n\nKind regards,\n"
    "Sarah Hughes\nSocial Worker, Children's Services\nsarah.hughes@council.example\n01772 123456\n"
)
NEWSLETTER = (
    "Dear colleagues,\n\nThe summer newsletter is attached below. Our foster carer recruitment evening "
    "is on 12 June at County Hall, Fishergate, Preston PR1 8XJ. Call 01772 123456 to book a place.\n\n"
    "Sarah Hughes\nSocial Worker, Children's Services\n"
)


@pytest.fixture(autouse=True)
def _fresh_index(settings: Any) -> Iterator[None]:
    """The finder's index is process-wide: each test starts from its own database."""
    from discretion.outbound import subjects

    settings.COUNCIL_PHONES = ["01772 123456"]
    settings.COUNCIL_ADDRESSES = ["County Hall, Fishergate, Preston PR1 8XJ"]
    subjects.reset_index()
    yield
    subjects.reset_index()


@dataclass
class Scene:
    team: Any
    worker: Any
    other: Any
    igo: Any
    child: Any
    case: Any


@pytest.fixture
def scene(world: Any) -> Scene:
    from discretion.records.models import Address

    team = world.team()
    worker = world.staff("practitioner", team=team)
    worker.first_name, worker.last_name, worker.email = "Sarah", "Hughes", "sarah.hughes@council.example"
    worker.save()
    other = world.staff("practitioner", team=world.team())
    igo = world.staff("information_governance")
    child = world.person("Kayden Lee", "Walsh", dob=dt.date(2015, 4, 3), nhs_number="9434765919")
    Address.objects.create(person=child, line1="12 Mill Lane", town="Chorley", postcode="PR7 1AB")
    case = world.case(child, team, workers=(worker,))
    return Scene(team, worker, other, igo, child, case)


def make_token(staff: Any) -> str:
    from discretion.staff.tokens import issue_api_token

    return issue_api_token(staff, name="mail server")


def answerable(scene: Scene, *addresses: str) -> int:
    """An approved request about the scene's child from whoever is at `addresses` (see
    tests.conftest.approved_request)."""
    from tests.conftest import World, approved_request

    return approved_request(World(), scene.worker, scene.child, *addresses)
