from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from discretion.research import services
from discretion.research.services import Submission


@pytest.fixture
def children(world) -> list[Any]:
    """Twenty-one children in one team: twenty in BB2, one in LA1 (a group of one)."""
    from discretion.records.models import Address

    team = world.team()
    kids = []
    for i in range(21):
        child = world.person(
            f"Child{i}",
            "Test",
            dob=dt.date(2015, 4, 3),
            gender="female",
            ethnicity="White British",
            nhs_number="",
        )
        world.case(child, team)
        Address.objects.create(
            person=child,
            line1=f"{i} Mill Lane",
            town="Blackburn",
            postcode="LA1 1AA" if i == 20 else f"BB2 {i % 9 + 1}QX",
        )
        kids.append(child)
    return kids


@pytest.fixture
def people(world) -> dict[str, Any]:
    return {
        "worker": world.staff(),
        "research": world.staff("research_governance"),
        "research2": world.staff("research_governance"),
        "igo": world.staff("information_governance"),
        "volunteer": world.staff(employment_type="volunteer"),
    }


def submission(**overrides: Any) -> Submission:
    values: dict[str, Any] = {
        "title": "Placement stability",
        "purpose": "Service evaluation of children in need plans",
        "lawful_basis": "UK GDPR Art 6(1)(e) public task; Art 9(2)(j) research",
        "fields": ["district", "gender"],
        "retention": "12 months, then deleted",
        "audience": "The evaluation team (3 named analysts)",
        "requester_name": "Dr Ann Researcher",
    }
    values.update(overrides)
    return Submission(**values)


@pytest.fixture
def approved(people):
    req = services.submit_request(people["worker"], submission(wants_pseudonyms=True))
    return services.decide_request(
        people["research"], req.pk, approve=True, reasons="Proportionate and lawful"
    )
