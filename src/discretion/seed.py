"""A synthetic council: families, cases, notes, staff and allocations, deterministic per seed.

Everything is invented (Faker en_GB names, Lancashire-like places). Rows are built in memory
with explicit primary keys and written with bulk inserts, so the medium council (about 20,000
children and 500,000 entries) builds in minutes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from faker import Faker

from discretion.audit import services as audit
from discretion.records.identifiers import format_nhs_number
from discretion.records.models import (
    Address,
    Case,
    CaseMember,
    Entry,
    EntryKind,
    Person,
    PersonName,
    Relationship,
)
from discretion.records.search import name_rows
from discretion.staff.models import (
    Allocation,
    Briefing,
    EmploymentType,
    Induction,
    PolicyVersion,
    Role,
    Staff,
    Team,
)

ANCHOR = dt.date(2026, 10, 31)  # fixed, so a seed gives the same council on any day
DEMO_PASSWORD = "discretion-demo-2026"


@dataclass(frozen=True)
class Size:
    children: int
    entries_per_case: int
    teams: int


SIZES = {
    "small": Size(children=200, entries_per_case=10, teams=4),
    "medium": Size(children=20_000, entries_per_case=25, teams=40),
    # About 1,000,000 people and 10,000,000 entries, built in committed chunks (seed_bulk).
    "large": Size(children=570_000, entries_per_case=18, teams=400),
}

TOWNS = [
    ("Preston", "PR1"),
    ("Preston", "PR2"),
    ("Chorley", "PR7"),
    ("Leyland", "PR25"),
    ("Blackburn", "BB1"),
    ("Blackburn", "BB2"),
    ("Burnley", "BB11"),
    ("Burnley", "BB12"),
    ("Accrington", "BB5"),
    ("Lancaster", "LA1"),
    ("Morecambe", "LA4"),
    ("Skelmersdale", "WN8"),
    ("Ormskirk", "L39"),
    ("Nelson", "BB9"),
    ("Colne", "BB8"),
    ("Fleetwood", "FY7"),
    ("Clitheroe", "BB7"),
    ("Darwen", "BB3"),
    ("Garstang", "PR3"),
    ("Longridge", "PR3"),
]
STREETS = [
    "Mill Lane",
    "Church Street",
    "Victoria Road",
    "Station Road",
    "Park Avenue",
    "Queen Street",
    "Moor Lane",
    "Brook Street",
    "Canal Side",
    "Albert Terrace",
    "Bank Top",
    "Cotton Court",
    "Weavers Way",
    "Ribble Drive",
    "Pendle View",
    "Fell Road",
    "Market Street",
    "School Lane",
    "Chapel Street",
    "Hollins Road",
]
TEAM_KINDS = [
    "Safeguarding",
    "Children in Need",
    "Child Protection",
    "Children Looked After",
    "Leaving Care",
    "Early Help",
    "Disabled Children",
    "Assessment",
]
CASE_KINDS = [
    "Child in need",
    "Child protection",
    "Child looked after",
    "Care leaver",
    "Early help",
    "Assessment",
    "Disabled children",
]
ETHNICITIES = ["White British"] * 14 + [
    "Pakistani",
    "Indian",
    "Mixed White and Black Caribbean",
    "Bangladeshi",
    "White Irish",
    "Gypsy/Roma",
    "Black African",
    "Polish",
]
SCHOOLS = [
    "St Mary's Primary",
    "Moor Park Academy",
    "Ribblesdale High",
    "Brookfield Primary",
    "Pendle Vale College",
    "Hillside Primary",
    "Queen's Park Academy",
    "Fellside Community School",
]

NOTES = [
    "Home visit to {child}. {child_first} was at home with {parent}. The house was tidy and there was food "
    "in "
    "the fridge. {child_first} showed me their bedroom and said they were happy at {school}.",
    "Telephone call with {parent} about {child_first}'s attendance at {school}. {parent_first} said "
    "{child_first} had been unwell. I explained the school's concerns and agreed to visit next week.",
    "Strategy discussion with police and health. Concerns raised by {school} about bruising to "
    "{child_first}'s arm. Agreed that a Section 47 enquiry is needed.",
    "{child_first} spoke to me alone. They said {other_adult} sometimes stays at the house and shouts at "
    "{parent_first}. {child_first} said they feel safe with their grandmother.",
    "Core group meeting. Present: {parent}, the school nurse and the family support worker. Plan reviewed; "
    "{child_first}'s attendance has improved to 92%.",
    "Letter received from {school} about {child_first}'s behaviour in class. Shared with {parent_first} "
    "at the visit on {date}.",
]
THIRD_PARTY_NOTES = [
    "Neighbour {other_adult} of {street} told me that {parent_first} has a new partner who has a conviction "
    "for assault. This is third-party information and has not been verified.",
    "{parent}'s sister {other_adult} said she is worried about {parent_first}'s drinking and that "
    "{child_first} is often left with {sibling_first}.",
]
CONFIDENTIAL_NOTES = [
    "Anonymous referral received by telephone. The referrer, a neighbour who asked not to be named, reported "
    "that {child_first} was seen outside late at night without a coat. The referrer's identity must not be "
    "disclosed.",
    "Referral from a member of the public who asked for anonymity: they heard shouting from the house on "
    "{street} and a child crying. Referrer details held separately and confidential.",
]
SPECIAL_NOTES = [
    "Health assessment: {child_first} has asthma and was referred to CAMHS for low mood. GP is aware.",
    "{parent_first} disclosed a mental health diagnosis and is receiving support from the community team.",
]


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return format_nhs_number("".join(map(str, digits)) + str(check)).replace(" ", "")


def _postcode(rng: random.Random, district: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = max((end - start).days, 0)
    return start + dt.timedelta(days=rng.randint(0, span))


@dataclass
class SeedReport:
    children: int = 0
    adults: int = 0
    cases: int = 0
    entries: int = 0
    staff: int = 0
    seconds: float = 0.0


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
    for team in teams:
        if team.id == teams[0].id:
            team.manager_id = by_username["priya.patel"].id
        else:
            first, last = rng.choice(given_f + given_m), rng.choice(family)
            manager = Staff(
                id=next_staff,
                username=f"tm{next_staff}.{last.lower()}",
                first_name=first,
                last_name=last,
                role=Role.TEAM_MANAGER,
                team_id=team.id,
                password=password,
            )
            staff.append(manager)
            team.manager_id = manager.id
            next_staff += 1
        for _ in range(per_team):
            first, last = rng.choice(given_f + given_m), rng.choice(family)
            worker = Staff(
                id=next_staff,
                username=f"sw{next_staff}.{last.lower()}",
                first_name=first,
                last_name=last,
                role=Role.PRACTITIONER,
                team_id=team.id,
                password=password,
            )
            staff.append(worker)
            workers_by_team[team.id].append(worker)
            next_staff += 1
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


def build(size: str = "small", seed: int = 1) -> SeedReport:
    """Build the synthetic council into an empty database."""
    import time

    started = time.perf_counter()
    if size == "large":
        from discretion import seed_bulk

        return seed_bulk.build(size, SIZES[size], seed)
    if Person.objects.exists():
        raise ValueError("The database already holds people: seed only builds into an empty database.")
    spec = SIZES[size]
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    given_m = list(dict.fromkeys(fake.first_name_male() for _ in range(600)))
    given_f = list(dict.fromkeys(fake.first_name_female() for _ in range(600)))
    family = list(dict.fromkeys(fake.last_name() for _ in range(1500)))
    report = SeedReport()
    password = make_password(DEMO_PASSWORD)

    with transaction.atomic():
        teams, staff, workers_by_team = build_staff(spec, rng, given_f, given_m, family, password)
        report.staff = len(staff)

        people: list[Person] = []
        names: list[PersonName] = []
        addresses: list[Address] = []
        relationships: list[Relationship] = []
        cases: list[Case] = []
        members: list[CaseMember] = []
        allocations: list[Allocation] = []
        entries_total = 0
        person_id = case_id = entry_id = 0

        def new_person(given: str, fam: str, dob: dt.date, gender: str, child: bool) -> Person:
            nonlocal person_id
            person_id += 1
            person = Person(
                id=person_id,
                ref=f"P{person_id:06d}",
                given_names=given,
                family_name=fam,
                date_of_birth=dob,
                gender=gender,
                ethnicity=rng.choice(ETHNICITIES),
                is_child=child,
                nhs_number=_nhs_number(rng) if rng.random() < 0.9 else "",
            )
            people.append(person)
            names.append(PersonName(person_id=person_id, **name_rows(given, fam, "legal")))
            if rng.random() < 0.12:
                alias_given = given.split()[0][:3] if child else rng.choice(given_f + given_m)
                names.append(PersonName(person_id=person_id, **name_rows(alias_given, fam, "known_as")))
            if not child and rng.random() < 0.15:
                names.append(
                    PersonName(person_id=person_id, **name_rows(given, rng.choice(family), "previous"))
                )
            return person

        entry_buffer: list[Entry] = []

        def flush(force: bool = False) -> None:
            nonlocal people, names, addresses, relationships, cases, members, allocations, entry_buffer
            if not force and len(entry_buffer) < 20_000:
                return
            Person.objects.bulk_create(people, batch_size=5000)
            PersonName.objects.bulk_create(names, batch_size=5000)
            Address.objects.bulk_create(addresses, batch_size=5000)
            Relationship.objects.bulk_create(relationships, batch_size=5000)
            Case.objects.bulk_create(cases, batch_size=5000)
            CaseMember.objects.bulk_create(members, batch_size=5000)
            Allocation.objects.bulk_create(allocations, batch_size=5000)
            Entry.objects.bulk_create(entry_buffer, batch_size=5000)
            people, names, addresses, relationships, cases, members, allocations, entry_buffer = (
                [],
                [],
                [],
                [],
                [],
                [],
                [],
                [],
            )

        children_made = 0
        while children_made < spec.children:
            fam = rng.choice(family)
            town, district = rng.choice(TOWNS)
            street = rng.choice(STREETS)
            line1 = f"{rng.randint(1, 180)} {street}"
            postcode = _postcode(rng, district)
            parents = []
            for i in range(1 if rng.random() < 0.35 else 2):
                female = i == 0
                parent = new_person(
                    rng.choice(given_f if female else given_m),
                    fam if i == 0 or rng.random() < 0.6 else rng.choice(family),
                    _date_between(rng, dt.date(1970, 1, 1), dt.date(2002, 12, 31)),
                    "female" if female else "male",
                    False,
                )
                parents.append(parent)
                report.adults += 1
            kids = []
            for _ in range(min(rng.choice([1, 1, 2, 2, 3, 4]), spec.children - children_made)):
                girl = rng.random() < 0.5
                given = rng.choice(given_f if girl else given_m)
                if rng.random() < 0.3:
                    given = f"{given} {rng.choice(given_f if girl else given_m)}"
                # Care leavers are 16 to 25 (Children (Leaving Care) Act 2000; Children and Social Work
                # Act 2017 s3): a few of the young people are that age, and only they have that case.
                leaver = rng.random() < 0.06
                born = (
                    _date_between(
                        rng, ANCHOR.replace(year=ANCHOR.year - 25), ANCHOR.replace(year=ANCHOR.year - 16)
                    )
                    if leaver
                    else _date_between(rng, dt.date(2011, 1, 1), dt.date(2026, 6, 30))
                )
                child = new_person(
                    given,
                    fam,
                    born,
                    "female" if girl else "male",
                    not leaver or born > ANCHOR.replace(year=ANCHOR.year - 18),
                )
                child.care_leaver = leaver  # type: ignore[attr-defined]
                kids.append(child)
                children_made += 1
                report.children += 1
            household = parents + kids
            for person in household:
                addresses.append(Address(person_id=person.id, line1=line1, town=town, postcode=postcode))
                if rng.random() < 0.2:
                    old_town, old_district = rng.choice(TOWNS)
                    addresses.append(
                        Address(
                            person_id=person.id,
                            line1=f"{rng.randint(1, 99)} {rng.choice(STREETS)}",
                            town=old_town,
                            postcode=_postcode(rng, old_district),
                            is_current=False,
                        )
                    )
            for parent in parents:
                for child in kids:
                    relationships.append(
                        Relationship(person_id=parent.id, relative_id=child.id, kind="parent")
                    )
            # Once per pair: the person page lists each relationship from both sides.
            for a in kids:
                for b in kids:
                    if a.id < b.id:
                        relationships.append(Relationship(person_id=a.id, relative_id=b.id, kind="sibling"))
            team = teams[rng.randrange(len(teams))] if children_made > 40 else teams[children_made % 2]
            for child in kids:
                case_id += 1
                report.cases += 1
                opened = _date_between(rng, dt.date(2019, 1, 1), ANCHOR - dt.timedelta(days=30))
                closed = _date_between(rng, opened, ANCHOR) if rng.random() < 0.25 else None
                case = Case(
                    id=case_id,
                    ref=f"C{case_id:06d}",
                    subject_id=child.id,
                    team_id=team.id,
                    kind="Care leaver"
                    if getattr(child, "care_leaver", False)
                    else rng.choice([k for k in CASE_KINDS if k != "Care leaver"]),
                    opened_on=opened,
                    closed_on=closed,
                )
                cases.append(case)
                members.append(CaseMember(case_id=case_id, person_id=child.id, role="subject"))
                for parent in parents:
                    members.append(CaseMember(case_id=case_id, person_id=parent.id, role="parent"))
                workers = workers_by_team[team.id]
                worker = workers[case_id % len(workers)]
                if rng.random() < 0.3 and len(workers) > 1:
                    previous = workers[(case_id + 1) % len(workers)]
                    handover = _date_between(rng, opened, ANCHOR - dt.timedelta(days=10))
                    allocations.append(
                        Allocation(staff_id=previous.id, case_id=case_id, start_on=opened, end_on=handover)
                    )
                    allocations.append(
                        Allocation(
                            staff_id=worker.id,
                            case_id=case_id,
                            start_on=handover + dt.timedelta(days=1),
                            end_on=closed if closed and closed > handover else None,
                        )
                    )
                else:
                    allocations.append(
                        Allocation(staff_id=worker.id, case_id=case_id, start_on=opened, end_on=closed)
                    )
                sibling = next((k for k in kids if k.id != child.id), None)
                fill = {
                    "child": child.full_name,
                    "child_first": child.given_names.split()[0],
                    "parent": parents[0].full_name,
                    "parent_first": parents[0].given_names,
                    "other_adult": f"{rng.choice(given_f + given_m)} {rng.choice(family)}",
                    "school": rng.choice(SCHOOLS),
                    "street": street,
                    "sibling_first": sibling.given_names.split()[0] if sibling else "a cousin",
                }
                count = max(1, int(rng.gauss(spec.entries_per_case, spec.entries_per_case / 4)))
                for n in range(count):
                    entry_id += 1
                    roll = rng.random()
                    third = confidential = special = False
                    if roll < 0.06:
                        template, confidential, kind = (
                            rng.choice(CONFIDENTIAL_NOTES),
                            True,
                            EntryKind.REFERRAL,
                        )
                    elif roll < 0.18:
                        template, third, kind = rng.choice(THIRD_PARTY_NOTES), True, EntryKind.CASE_NOTE
                    elif roll < 0.24:
                        template, special, kind = rng.choice(SPECIAL_NOTES), True, EntryKind.ASSESSMENT
                    else:
                        template = rng.choice(NOTES)
                        kind = rng.choice(
                            [
                                EntryKind.CASE_NOTE,
                                EntryKind.VISIT,
                                EntryKind.CASE_NOTE,
                                EntryKind.STRATEGY,
                                EntryKind.CORRESPONDENCE,
                            ]
                        )
                    when = _date_between(rng, opened, closed or ANCHOR)
                    entry_buffer.append(
                        Entry(
                            id=entry_id,
                            case_id=case_id,
                            kind=kind,
                            author_id=worker.id,
                            occurred_on=when,
                            title=f"{EntryKind(kind).label} {n + 1}",
                            text=template.format(date=when.strftime("%d %B %Y"), **fill),
                            third_party=third or "{other_adult}" in template,
                            confidential_source=confidential,
                            special_category=special,
                        )
                    )
                    entries_total += 1
            flush()
        flush(force=True)
        # Sarah Hughes' volunteer and student work under her allocations (policy 1.2).
        report.entries = entries_total
        audit.record(
            None,
            "seed.built",
            object_type="council",
            details={"size": size, "seed": seed, "children": report.children, "entries": entries_total},
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("staff_staff", "staff_team", "records_person", "records_case", "records_entry"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )
            cursor.execute("ANALYZE")
    report.seconds = time.perf_counter() - started
    return report


def demo_accounts() -> Iterator[tuple[str, str]]:
    for demo in DEMO_USERS:
        label = str(Role(demo["role"]).label)
        kind = demo.get("employment_type")
        if kind:
            label = f"{EmploymentType(kind).label} ({label.lower()})"
        yield demo["username"], label
