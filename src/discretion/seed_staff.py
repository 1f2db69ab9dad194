"""The synthetic council's staff: teams, the demo accounts, team managers and social workers, with
their inductions and briefings (policy 1.2). Shared by every size of council (seed, seed_bulk)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from importlib import resources
from typing import Any

from discretion.seed_words import TEAM_KINDS, TOWNS, Size
from discretion.staff.models import (
    Briefing,
    EmploymentType,
    Induction,
    PolicyVersion,
    Role,
    Staff,
    Team,
)

ANCHOR = dt.date(2026, 10, 31)  # fixed, so a seed gives the same council on any day


DEMO_USERS: list[dict[str, Any]] = [
    {
        "username": "sarah.hughes",
        "first_name": "Sarah",
        "last_name": "Hughes",
        "role": Role.PRACTITIONER,
        "team": 0,
    },
    {
        "username": "imran.khan",
        "first_name": "Imran",
        "last_name": "Khan",
        "role": Role.PRACTITIONER,
        "team": 1,
    },
    {
        "username": "priya.patel",
        "first_name": "Priya",
        "last_name": "Patel",
        "role": Role.TEAM_MANAGER,
        "team": 0,
    },
    {
        "username": "gareth.morgan",
        "first_name": "Gareth",
        "last_name": "Morgan",
        "role": Role.IGO,
        "team": None,
    },
    {
        "username": "helen.evans",
        "first_name": "Helen",
        "last_name": "Evans",
        "role": Role.LEGAL,
        "team": None,
    },
    {"username": "tom.taylor", "first_name": "Tom", "last_name": "Taylor", "role": Role.PRESS, "team": None},
    {
        "username": "ruth.clarke",
        "first_name": "Ruth",
        "last_name": "Clarke",
        "role": Role.RESEARCH,
        "team": None,
    },
    {
        "username": "amy.wright",
        "first_name": "Amy",
        "last_name": "Wright",
        "role": Role.PRACTITIONER,
        "team": 0,
        "employment_type": EmploymentType.VOLUNTEER,
        "responsible": "sarah.hughes",
    },
    {
        "username": "zainab.ali",
        "first_name": "Zainab",
        "last_name": "Ali",
        "role": Role.PRACTITIONER,
        "team": 0,
        "employment_type": EmploymentType.STUDENT,
        "responsible": "sarah.hughes",
    },
    {
        "username": "dan.brown",
        "first_name": "Dan",
        "last_name": "Brown",
        "role": Role.PRACTITIONER,
        "team": 1,
        "employment_type": EmploymentType.AGENCY,
        "end_on": dt.date(2027, 3, 31),
    },
    {
        "username": "admin.jones",
        "first_name": "Chris",
        "last_name": "Jones",
        "role": Role.ADMIN,
        "team": None,
    },
]


def ensure_policy() -> PolicyVersion:
    text = resources.files("discretion.staff").joinpath("data/confidentiality-policy.txt").read_text()
    policy, _ = PolicyVersion.objects.get_or_create(
        version="2018-09", defaults={"title": "Children's Services Confidentiality Policy", "text": text}
    )
    return policy


def build_staff(
    spec: Size, rng: random.Random, given_f: list[str], given_m: list[str], family: list[str], password: str
) -> tuple[list[Team], list[Staff], dict[int, list[Staff]]]:
    """Teams, the demo accounts, team managers and social workers (with inductions and briefings),
    written at once; shared by every size of council."""
    ensure_policy()
    teams = [
        Team(
            id=i + 1,
            name=f"{TOWNS[i % len(TOWNS)][0]} {TEAM_KINDS[i % len(TEAM_KINDS)]}"
            + (f" {i // len(TOWNS) + 1}" if i >= len(TOWNS) else ""),
        )
        for i in range(spec.teams)
    ]
    Team.objects.bulk_create(teams)
    staff: list[Staff] = []
    by_username: dict[str, Staff] = {}
    next_staff = 1
    for demo in DEMO_USERS:
        member = Staff(
            id=next_staff,
            username=demo["username"],
            first_name=demo["first_name"],
            last_name=demo["last_name"],
            email=f"{demo['username']}@council.example",
            role=demo["role"],
            employment_type=demo.get("employment_type", EmploymentType.EMPLOYEE),
            team_id=teams[demo["team"]].id if demo["team"] is not None else None,
            end_on=demo.get("end_on"),
            password=password,
            is_staff=demo["role"] == Role.ADMIN,
            is_superuser=demo["role"] == Role.ADMIN,
        )
        if "responsible" in demo:
            member.responsible_staff_id = by_username[demo["responsible"]].id
        staff.append(member)
        by_username[member.username] = member
        next_staff += 1
    workers_by_team: dict[int, list[Staff]] = {t.id: [] for t in teams}
    workers_by_team[teams[0].id].append(by_username["sarah.hughes"])
    workers_by_team[teams[1].id].append(by_username["imran.khan"])
    workers_by_team[teams[1].id].append(by_username["dan.brown"])
    per_team = max(2, spec.children // spec.teams // 18)
    names = given_f + given_m

    def invented(prefix: str, role: Role, team: Team) -> Staff:
        nonlocal next_staff
        first, last = rng.choice(names), rng.choice(family)
        member = Staff(
            id=next_staff,
            username=f"{prefix}{next_staff}.{last.lower()}",
            first_name=first,
            last_name=last,
            role=role,
            team_id=team.id,
            password=password,
        )
        staff.append(member)
        next_staff += 1
        return member

    for team in teams:
        if team.id == teams[0].id:
            team.manager_id = by_username["priya.patel"].id
        else:
            team.manager_id = invented("tm", Role.TEAM_MANAGER, team).id
        for _ in range(per_team):
            workers_by_team[team.id].append(invented("sw", Role.PRACTITIONER, team))
    Staff.objects.bulk_create(staff, batch_size=2000)
    Team.objects.bulk_update(teams, ["manager_id"])
    # policy 1.2: confidentiality discussed at induction; volunteers and students briefed by
    # their responsible member of staff. The agency worker's induction is left unrecorded so
    # the compliance page has something to show.
    manager = by_username["priya.patel"]
    Induction.objects.bulk_create(
        [
            Induction(staff_id=m.id, discussed_by_id=manager.id, discussed_on=ANCHOR - dt.timedelta(days=90))
            for m in staff
            if m.username != "dan.brown"
        ]
    )
    Briefing.objects.bulk_create(
        [
            Briefing(staff_id=m.id, responsible_id=m.responsible_staff_id)
            for m in staff
            if m.responsible_staff_id
        ]
    )
    return teams, staff, workers_by_team


def demo_accounts() -> Iterator[tuple[str, str]]:
    for demo in DEMO_USERS:
        label = str(Role(demo["role"]).label)
        kind = demo.get("employment_type")
        if kind:
            label = f"{EmploymentType(kind).label} ({label.lower()})"
        yield demo["username"], label
