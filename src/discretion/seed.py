"""A synthetic council: families, cases, notes, staff and allocations, deterministic per seed.

Everything is invented (Faker en_GB names, Lancashire-like places). Rows are built in memory
with explicit primary keys and written with bulk inserts, so the medium council (about 20,000
children and 500,000 entries) builds in minutes.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from faker import Faker

from discretion.audit import services as audit
from discretion.detect.patterns import nhs_check_digit
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
from discretion.seed_staff import ANCHOR as ANCHOR
from discretion.seed_staff import DEMO_USERS as DEMO_USERS
from discretion.seed_staff import build_staff as build_staff
from discretion.seed_staff import demo_accounts as demo_accounts
from discretion.seed_staff import ensure_policy as ensure_policy
from discretion.seed_words import CASE_KINDS as CASE_KINDS
from discretion.seed_words import CONFIDENTIAL_NOTES as CONFIDENTIAL_NOTES
from discretion.seed_words import ETHNICITIES as ETHNICITIES
from discretion.seed_words import NOTES as NOTES
from discretion.seed_words import SCHOOLS as SCHOOLS
from discretion.seed_words import SIZES as SIZES
from discretion.seed_words import SPECIAL_NOTES as SPECIAL_NOTES
from discretion.seed_words import STREETS as STREETS
from discretion.seed_words import TEAM_KINDS as TEAM_KINDS
from discretion.seed_words import THIRD_PARTY_NOTES as THIRD_PARTY_NOTES
from discretion.seed_words import TOWNS as TOWNS
from discretion.seed_words import Size as Size
from discretion.staff.models import (
    Allocation,
    Staff,
    Team,
)

DEMO_PASSWORD = "discretion-demo-2026"


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = "".join(str(rng.randint(0, 9)) for _ in range(9))
        check = nhs_check_digit(digits)
        if check is not None:
            return format_nhs_number(digits + str(check)).replace(" ", "")


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


def person_rows(
    rng: random.Random, pools: tuple[list[str], list[str]], given: str, fam: str, child: bool
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A new person's invented details (ethnicity, NHS number for nine in ten) and their names:
    legal, sometimes a known-as name, and for some adults a previous surname. `pools` are the given
    and family names to draw from. Shared by every size of council (seed_bulk)."""
    any_given, family = pools
    fields = {
        "given_names": given,
        "family_name": fam,
        "ethnicity": rng.choice(ETHNICITIES),
        "nhs_number": _nhs_number(rng) if rng.random() < 0.9 else "",
    }
    names = [name_rows(given, fam, "legal")]
    if rng.random() < 0.12:
        alias_given = given.split()[0][:3] if child else rng.choice(any_given)
        names.append(name_rows(alias_given, fam, "known_as"))
    if not child and rng.random() < 0.15:
        names.append(name_rows(given, rng.choice(family), "previous"))
    return fields, names


@dataclass
class _Rows:
    """Rows waiting to be written in one batch (bulk inserts, in foreign-key order)."""

    people: list[Person] = field(default_factory=list)
    names: list[PersonName] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    members: list[CaseMember] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    def write(self) -> None:
        Person.objects.bulk_create(self.people, batch_size=5000)
        PersonName.objects.bulk_create(self.names, batch_size=5000)
        Address.objects.bulk_create(self.addresses, batch_size=5000)
        Relationship.objects.bulk_create(self.relationships, batch_size=5000)
        Case.objects.bulk_create(self.cases, batch_size=5000)
        CaseMember.objects.bulk_create(self.members, batch_size=5000)
        Allocation.objects.bulk_create(self.allocations, batch_size=5000)
        Entry.objects.bulk_create(self.entries, batch_size=5000)


@dataclass
class _Families:
    """Builds households one at a time: parents and children with names and addresses, a case per
    child allocated to a worker of one team, and the case's notes. Every random choice is taken in
    a fixed order from one generator, so a seed always gives the same council."""

    spec: Size
    rng: random.Random
    given_f: list[str]
    given_m: list[str]
    family: list[str]
    teams: list[Team]
    workers_by_team: dict[int, list[Staff]]
    report: SeedReport
    rows: _Rows = field(default_factory=_Rows)
    person_id: int = 0
    case_id: int = 0
    entry_id: int = 0
    children_made: int = 0

    def build(self) -> None:
        while self.children_made < self.spec.children:
            self.household()
            if len(self.rows.entries) >= 20_000:
                self.flush()
        self.flush()

    def flush(self) -> None:
        self.rows.write()
        self.rows = _Rows()

    def new_person(self, given: str, fam: str, dob: dt.date, gender: str, child: bool) -> Person:
        self.person_id += 1
        fields, names = person_rows(self.rng, (self.given_f + self.given_m, self.family), given, fam, child)
        person = Person(
            id=self.person_id,
            ref=f"P{self.person_id:06d}",
            date_of_birth=dob,
            gender=gender,
            is_child=child,
            **fields,
        )
        self.rows.people.append(person)
        self.rows.names += [PersonName(person_id=self.person_id, **row) for row in names]
        return person

    def household(self) -> None:
        rng = self.rng
        fam = rng.choice(self.family)
        town, district = rng.choice(TOWNS)
        street = rng.choice(STREETS)
        line1 = f"{rng.randint(1, 180)} {street}"
        postcode = _postcode(rng, district)
        parents = self.parents(fam)
        kids = self.children(fam)
        self.addresses(parents + kids, line1, town, postcode)
        self.relationships(parents, kids)
        made = self.children_made
        team = self.teams[rng.randrange(len(self.teams))] if made > 40 else self.teams[made % 2]
        for child in kids:
            self.open_case(child, parents, kids, team, street)

    def parents(self, fam: str) -> list[Person]:
        rng = self.rng
        parents = []
        for i in range(1 if rng.random() < 0.35 else 2):
            female = i == 0
            parent = self.new_person(
                rng.choice(self.given_f if female else self.given_m),
                fam if i == 0 or rng.random() < 0.6 else rng.choice(self.family),
                _date_between(rng, dt.date(1970, 1, 1), dt.date(2002, 12, 31)),
                "female" if female else "male",
                False,
            )
            parents.append(parent)
            self.report.adults += 1
        return parents

    def children(self, fam: str) -> list[Person]:
        rng = self.rng
        kids = []
        for _ in range(min(rng.choice([1, 1, 2, 2, 3, 4]), self.spec.children - self.children_made)):
            girl = rng.random() < 0.5
            given = rng.choice(self.given_f if girl else self.given_m)
            if rng.random() < 0.3:
                given = f"{given} {rng.choice(self.given_f if girl else self.given_m)}"
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
            child = self.new_person(
                given,
                fam,
                born,
                "female" if girl else "male",
                not leaver or born > ANCHOR.replace(year=ANCHOR.year - 18),
            )
            child.care_leaver = leaver  # type: ignore[attr-defined]
            kids.append(child)
            self.children_made += 1
            self.report.children += 1
        return kids

    def addresses(self, household: list[Person], line1: str, town: str, postcode: str) -> None:
        rng = self.rng
        for person in household:
            self.rows.addresses.append(
                Address(person_id=person.id, line1=line1, town=town, postcode=postcode)
            )
            if rng.random() < 0.2:
                old_town, old_district = rng.choice(TOWNS)
                self.rows.addresses.append(
                    Address(
                        person_id=person.id,
                        line1=f"{rng.randint(1, 99)} {rng.choice(STREETS)}",
                        town=old_town,
                        postcode=_postcode(rng, old_district),
                        is_current=False,
                    )
                )

    def relationships(self, parents: list[Person], kids: list[Person]) -> None:
        rows = self.rows.relationships
        for parent in parents:
            for child in kids:
                rows.append(Relationship(person_id=parent.id, relative_id=child.id, kind="parent"))
        # Once per pair: the person page lists each relationship from both sides.
        for a in kids:
            for b in kids:
                if a.id < b.id:
                    rows.append(Relationship(person_id=a.id, relative_id=b.id, kind="sibling"))

    def open_case(
        self, child: Person, parents: list[Person], kids: list[Person], team: Team, street: str
    ) -> None:
        rng = self.rng
        self.case_id += 1
        case_id = self.case_id
        self.report.cases += 1
        opened = _date_between(rng, dt.date(2019, 1, 1), ANCHOR - dt.timedelta(days=30))
        closed = _date_between(rng, opened, ANCHOR) if rng.random() < 0.25 else None
        self.rows.cases.append(
            Case(
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
        )
        self.rows.members.append(CaseMember(case_id=case_id, person_id=child.id, role="subject"))
        for parent in parents:
            self.rows.members.append(CaseMember(case_id=case_id, person_id=parent.id, role="parent"))
        worker = self.allocate(team, opened, closed)
        sibling = next((k for k in kids if k.id != child.id), None)
        fill = {
            "child": child.full_name,
            "child_first": child.given_names.split()[0],
            "parent": parents[0].full_name,
            "parent_first": parents[0].given_names,
            "other_adult": f"{rng.choice(self.given_f + self.given_m)} {rng.choice(self.family)}",
            "school": rng.choice(SCHOOLS),
            "street": street,
            "sibling_first": sibling.given_names.split()[0] if sibling else "a cousin",
        }
        self.write_notes(worker, opened, closed, fill)

    def allocate(self, team: Team, opened: dt.date, closed: dt.date | None) -> Staff:
        """The case's worker now; some cases were handed over from another worker of the team."""
        rng, case_id = self.rng, self.case_id
        workers = self.workers_by_team[team.id]
        worker = workers[case_id % len(workers)]
        allocations = self.rows.allocations
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
        return worker

    def write_notes(
        self, worker: Staff, opened: dt.date, closed: dt.date | None, fill: dict[str, str]
    ) -> None:
        rng, spec = self.rng, self.spec
        count = max(1, int(rng.gauss(spec.entries_per_case, spec.entries_per_case / 4)))
        for n in range(count):
            self.entry_id += 1
            template, kind, flags = _note_kind(rng)
            when = _date_between(rng, opened, closed or ANCHOR)
            self.rows.entries.append(
                Entry(
                    id=self.entry_id,
                    case_id=self.case_id,
                    kind=kind,
                    author_id=worker.id,
                    occurred_on=when,
                    title=f"{EntryKind(kind).label} {n + 1}",
                    text=template.format(date=when.strftime("%d %B %Y"), **fill),
                    third_party=flags["third_party"] or "{other_adult}" in template,
                    confidential_source=flags["confidential_source"],
                    special_category=flags["special_category"],
                )
            )
            self.report.entries += 1


def _note_kind(rng: random.Random) -> tuple[str, str, dict[str, bool]]:
    """A note's template, its kind, and which of the entry flags it carries."""
    roll = rng.random()
    flags = {"third_party": False, "confidential_source": False, "special_category": False}
    if roll < 0.06:
        flags["confidential_source"] = True
        return rng.choice(CONFIDENTIAL_NOTES), EntryKind.REFERRAL, flags
    if roll < 0.18:
        flags["third_party"] = True
        return rng.choice(THIRD_PARTY_NOTES), EntryKind.CASE_NOTE, flags
    if roll < 0.24:
        flags["special_category"] = True
        return rng.choice(SPECIAL_NOTES), EntryKind.ASSESSMENT, flags
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
    return template, kind, flags


def _name_pools(seed: int) -> tuple[list[str], list[str], list[str]]:
    """Faker en_GB given names (female, male) and family names, fixed by the seed."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    given_m = list(dict.fromkeys(fake.first_name_male() for _ in range(600)))
    given_f = list(dict.fromkeys(fake.first_name_female() for _ in range(600)))
    family = list(dict.fromkeys(fake.last_name() for _ in range(1500)))
    return given_f, given_m, family


def _reset_sequences() -> None:
    """PostgreSQL: rows were written with explicit ids, so move each id sequence past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("staff_staff", "staff_team", "records_person", "records_case", "records_entry"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )
        cursor.execute("ANALYZE")


def build(size: str = "small", seed: int = 1) -> SeedReport:
    """Build the synthetic council into an empty database."""
    started = time.perf_counter()
    if size == "large":
        from discretion import seed_bulk  # seed_bulk builds on this module's steps

        return seed_bulk.build(size, SIZES[size], seed)
    if Person.objects.exists():
        raise ValueError("The database already holds people: seed only builds into an empty database.")
    spec = SIZES[size]
    rng = random.Random(seed)
    given_f, given_m, family = _name_pools(seed)
    report = SeedReport()
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        teams, staff, workers_by_team = build_staff(spec, rng, given_f, given_m, family, password)
        report.staff = len(staff)
        _Families(spec, rng, given_f, given_m, family, teams, workers_by_team, report).build()
        audit.record(
            None,
            "seed.built",
            object_type="council",
            details={"size": size, "seed": seed, "children": report.children, "entries": report.entries},
        )
    _reset_sequences()
    report.seconds = time.perf_counter() - started
    return report
