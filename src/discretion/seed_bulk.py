"""The council-sized synthetic council (`discretion seed --size large`): progress, batches, resume.

A million people and ten million entries cannot be built in one transaction. This builder:

- writes the staff and teams first (seed.build_staff), then the families in chunks of a few
  thousand children, each chunk committed on its own with a progress line on stderr;
- makes each chunk from its own random stream (seed and chunk number), so a build stopped at any
  point resumes at the first chunk not committed and makes exactly what an unbroken run would;
  where it stands is kept in a one-row table written in the same transaction as each chunk;
- on PostgreSQL loads each chunk with COPY, and drops the loaded tables' secondary indexes and
  foreign keys before the first chunk and makes them again after the last (their definitions are
  kept in the progress row, so a resumed build still knows them). Memory stays flat: one chunk's
  rows at a time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from faker import Faker

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
from discretion.seed import (
    ANCHOR,
    CASE_KINDS,
    CONFIDENTIAL_NOTES,
    DEMO_PASSWORD,
    NOTES,
    SCHOOLS,
    SPECIAL_NOTES,
    STREETS,
    THIRD_PARTY_NOTES,
    TOWNS,
    SeedReport,
    Size,
    _date_between,
    _postcode,
    build_staff,
    person_rows,
)
from discretion.staff.models import Allocation, Role, Staff

PROGRESS_TABLE = "discretion_seed_progress"
LOADED: tuple[type[models.Model], ...] = (
    Person,
    PersonName,
    Address,
    Relationship,
    Case,
    CaseMember,
    Allocation,
    Entry,
)
_KIND_LABELS = {k.value: str(k.label) for k in EntryKind}
_ROUTINE_KINDS = [
    EntryKind.CASE_NOTE.value,
    EntryKind.VISIT.value,
    EntryKind.CASE_NOTE.value,
    EntryKind.STRATEGY.value,
    EntryKind.CORRESPONDENCE.value,
]


class Counters(dict[str, int]):
    """The next ids and running totals, as kept in the progress row."""


def _ensure_progress_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} (id integer PRIMARY KEY, size varchar(16), "
            "seed integer, next_chunk integer, chunks integer, state text, deferred text, done boolean)"
        )


def _read_progress() -> dict[str, Any] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT size, seed, next_chunk, chunks, state, deferred, done FROM {PROGRESS_TABLE} WHERE id = 1"  # noqa: S608
        )
        row = cursor.fetchone()
    if row is None:
        return None
    keys = ("size", "seed", "next_chunk", "chunks", "state", "deferred", "done")
    return dict(zip(keys, row, strict=True))


def _write_progress(**values: Any) -> None:
    sets = ", ".join(f"{k} = %s" for k in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {PROGRESS_TABLE} SET {sets} WHERE id = 1", list(values.values()))  # noqa: S608


# --- deferring indexes and foreign keys (PostgreSQL) ---------------------------------------


def _defer_indexes() -> list[str]:
    """Drop the loaded tables' secondary indexes, unique constraints and foreign keys; return the
    statements that make them again (constraints after indexes)."""
    tables = [m._meta.db_table for m in LOADED]
    remake: list[str] = []
    with connection.cursor() as cursor:
        # Check the staff just written now: a constraint with deferred checks pending cannot be dropped.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u') ORDER BY contype DESC",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, definition, _kind in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            remake.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Unique constraints before foreign keys that may lean on them; plain indexes first of all.
        unique = [r for r in remake if " UNIQUE " in r]
        foreign = [r for r in remake if " FOREIGN KEY " in r]
        return [definition for _name, definition in indexes] + unique + foreign


def _remake_indexes(statements: list[str], say: Callable[[str], None]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in statements:
            started = time.perf_counter()
            cursor.execute(statement)
            say(
                f"  {statement.split(' ON ')[0].split(' ADD ')[-1][:70]} ({time.perf_counter() - started:.0f} s)"
            )


# --- writing rows ---------------------------------------------------------------------------


class _Table:
    """Rows for one model, in its columns' order, with the model's defaults filled in."""

    def __init__(self, model: type[models.Model], *, with_id: bool) -> None:
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.name = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields if f.has_default()}
        self.rows: list[tuple[Any, ...]] = []

    def add(self, **values: object) -> None:
        merged = {**self.defaults, **values}
        self.rows.append(tuple(merged.get(a, "") for a in self.attnames))

    def write(self) -> None:
        if not self.rows:
            return
        columns = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.name} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {self.name} ({columns}) VALUES ({marks})", self.rows)  # noqa: S608
        self.rows = []


# --- one chunk of families --------------------------------------------------------------------


def _chunk(
    k: int,
    seed: int,
    spec: Size,
    children: int,
    counters: Counters,
    names: tuple[list[str], list[str], list[str]],
    teams: list[int],
    workers_by_team: dict[int, list[int]],
) -> list[_Table]:
    given_f, given_m, family = names
    rng = random.Random(f"discretion-seed:{seed}:{k}")
    now = dt.datetime.now(dt.UTC)
    people = _Table(Person, with_id=True)
    person_names = _Table(PersonName, with_id=False)
    addresses = _Table(Address, with_id=False)
    relationships = _Table(Relationship, with_id=False)
    cases = _Table(Case, with_id=True)
    members = _Table(CaseMember, with_id=False)
    allocations = _Table(Allocation, with_id=False)
    entries = _Table(Entry, with_id=True)
    any_given = given_f + given_m

    def new_person(given: str, fam: str, dob: dt.date, gender: str, child: bool) -> int:
        counters["person_id"] += 1
        pid = counters["person_id"]
        fields, names = person_rows(rng, (any_given, family), given, fam, child)
        people.add(
            id=pid,
            ref=f"P{pid:07d}",
            date_of_birth=dob,
            gender=gender,
            is_child=child,
            created_at=now,
            **fields,
        )
        for row in names:
            person_names.add(person_id=pid, **row)
        return pid

    made = 0
    while made < children:
        fam = rng.choice(family)
        town, district = rng.choice(TOWNS)
        street = rng.choice(STREETS)
        line1 = f"{rng.randint(1, 180)} {street}"
        postcode = _postcode(rng, district)
        parents: list[tuple[int, str, str]] = []
        for i in range(1 if rng.random() < 0.35 else 2):
            female = i == 0
            given = rng.choice(given_f if female else given_m)
            surname = fam if i == 0 or rng.random() < 0.6 else rng.choice(family)
            dob = _date_between(rng, dt.date(1970, 1, 1), dt.date(2002, 12, 31))
            pid = new_person(given, surname, dob, "female" if female else "male", False)
            parents.append((pid, given, f"{given} {surname}"))
            counters["adults"] += 1
        kids: list[tuple[int, str]] = []
        for _ in range(min(rng.choice([1, 1, 2, 2, 3, 4]), children - made)):
            girl = rng.random() < 0.5
            given = rng.choice(given_f if girl else given_m)
            if rng.random() < 0.3:
                given = f"{given} {rng.choice(given_f if girl else given_m)}"
            dob = _date_between(rng, dt.date(2009, 1, 1), dt.date(2026, 6, 30))
            kids.append((new_person(given, fam, dob, "female" if girl else "male", True), given))
            made += 1
            counters["children"] += 1
        household = [p[0] for p in parents] + [k[0] for k in kids]
        for pid in household:
            addresses.add(person_id=pid, line1=line1, line2="", town=town, postcode=postcode, is_current=True)
            if rng.random() < 0.2:
                old_town, old_district = rng.choice(TOWNS)
                addresses.add(
                    person_id=pid,
                    line1=f"{rng.randint(1, 99)} {rng.choice(STREETS)}",
                    line2="",
                    town=old_town,
                    postcode=_postcode(rng, old_district),
                    is_current=False,
                )
        for parent in parents:
            for kid in kids:
                relationships.add(person_id=parent[0], relative_id=kid[0], kind="parent")
        for a in kids:
            for b in kids:
                if a[0] != b[0]:
                    relationships.add(person_id=a[0], relative_id=b[0], kind="sibling")
        team = teams[rng.randrange(len(teams))]
        workers = workers_by_team[team]
        for kid_id, kid_given in kids:
            counters["case_id"] += 1
            case_id = counters["case_id"]
            opened = _date_between(rng, dt.date(2019, 1, 1), ANCHOR - dt.timedelta(days=30))
            closed = _date_between(rng, opened, ANCHOR) if rng.random() < 0.25 else None
            cases.add(
                id=case_id,
                ref=f"C{case_id:07d}",
                subject_id=kid_id,
                team_id=team,
                kind=rng.choice(CASE_KINDS),
                opened_on=opened,
                closed_on=closed,
            )
            members.add(case_id=case_id, person_id=kid_id, role="subject")
            for parent in parents:
                members.add(case_id=case_id, person_id=parent[0], role="parent")
            worker = workers[case_id % len(workers)]
            if rng.random() < 0.3 and len(workers) > 1:
                previous = workers[(case_id + 1) % len(workers)]
                handover = _date_between(rng, opened, ANCHOR - dt.timedelta(days=10))
                allocations.add(staff_id=previous, case_id=case_id, start_on=opened, end_on=handover)
                allocations.add(
                    staff_id=worker,
                    case_id=case_id,
                    start_on=handover + dt.timedelta(days=1),
                    end_on=closed if closed and closed > handover else None,
                )
            else:
                allocations.add(staff_id=worker, case_id=case_id, start_on=opened, end_on=closed)
            sibling = next((g for i, g in kids if i != kid_id), None)
            fill = {
                "child": f"{kid_given} {fam}",
                "child_first": kid_given.split()[0],
                "parent": parents[0][2],
                "parent_first": parents[0][1],
                "other_adult": f"{rng.choice(any_given)} {rng.choice(family)}",
                "school": rng.choice(SCHOOLS),
                "street": street,
                "sibling_first": sibling.split()[0] if sibling else "a cousin",
            }
            count = max(1, int(rng.gauss(spec.entries_per_case, spec.entries_per_case / 4)))
            span = ((closed or ANCHOR) - opened).days
            for n in range(count):
                counters["entry_id"] += 1
                roll = rng.random()
                third = confidential = special = False
                if roll < 0.06:
                    template, confidential, kind = (
                        rng.choice(CONFIDENTIAL_NOTES),
                        True,
                        EntryKind.REFERRAL.value,
                    )
                elif roll < 0.18:
                    template, third, kind = rng.choice(THIRD_PARTY_NOTES), True, EntryKind.CASE_NOTE.value
                elif roll < 0.24:
                    template, special, kind = rng.choice(SPECIAL_NOTES), True, EntryKind.ASSESSMENT.value
                else:
                    template, kind = rng.choice(NOTES), rng.choice(_ROUTINE_KINDS)
                when = opened + dt.timedelta(days=rng.randint(0, max(span, 0)))
                entries.add(
                    id=counters["entry_id"],
                    case_id=case_id,
                    kind=kind,
                    author_id=worker,
                    occurred_on=when,
                    title=f"{_KIND_LABELS[kind]} {n + 1}",
                    text=template.format(date=when.strftime("%d %B %Y"), **fill),
                    third_party=third or "{other_adult}" in template,
                    confidential_source=confidential,
                    special_category=special,
                    commercial=False,
                )
                counters["entries"] += 1
    return [people, person_names, addresses, relationships, cases, members, allocations, entries]


# --- the build --------------------------------------------------------------------------------


def build(
    size: str, spec: Size, seed: int = 1, *, chunk_children: int = 4000, out: TextIO | None = None
) -> SeedReport:
    """Build (or resume building) the synthetic council `size` in chunks; see the module doc."""
    out = out or sys.stderr
    started = time.perf_counter()

    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    _ensure_progress_table()
    progress = _read_progress()
    if progress is not None and (progress["size"], progress["seed"]) != (size, seed):
        raise ValueError(
            f"A {progress['size']} council (seed {progress['seed']}) is part built here: resume it with the same "
            "--size and --seed, or start from an empty database."
        )
    if progress is not None and progress["done"]:
        raise ValueError("The database already holds people: seed only builds into an empty database.")
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    given_m = list(dict.fromkeys(fake.first_name_male() for _ in range(600)))
    given_f = list(dict.fromkeys(fake.first_name_female() for _ in range(600)))
    family = list(dict.fromkeys(fake.last_name() for _ in range(1500)))
    chunks = -(-spec.children // chunk_children)
    if progress is None:
        if Person.objects.exists():
            raise ValueError("The database already holds people: seed only builds into an empty database.")
        with transaction.atomic():
            _, staff, _ = build_staff(
                spec, random.Random(seed), given_f, given_m, family, make_password(DEMO_PASSWORD)
            )
            deferred = _defer_indexes() if connection.vendor == "postgresql" else []
            state = Counters(
                person_id=0, case_id=0, entry_id=0, children=0, adults=0, entries=0, staff=len(staff)
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {PROGRESS_TABLE} (id, size, seed, next_chunk, chunks, state, deferred, done) "  # noqa: S608
                    "VALUES (1, %s, %s, 0, %s, %s, %s, false)",
                    [size, seed, chunks, json.dumps(state), json.dumps(deferred)],
                )
        say(
            f"seed {size}: {len(staff)} staff in {spec.teams} teams; {chunks} chunks of {chunk_children} children to build"
        )
        progress = _read_progress()
        assert progress is not None
    else:
        say(f"seed {size}: resuming at chunk {progress['next_chunk'] + 1} of {progress['chunks']}")
    state = Counters(json.loads(progress["state"]))
    teams = sorted(
        {t for t in Staff.objects.filter(team_id__isnull=False).values_list("team_id", flat=True) if t}
    )
    workers_by_team: dict[int, list[int]] = {t: [] for t in teams}
    for staff_id, team_id in (
        Staff.objects.filter(role=Role.PRACTITIONER, team_id__isnull=False, responsible_staff__isnull=True)
        .order_by("id")
        .values_list("id", "team_id")
    ):
        workers_by_team[team_id].append(staff_id)
    teams = [t for t in teams if workers_by_team[t]]
    first = int(progress["next_chunk"])
    for k in range(first, chunks):
        children = min(chunk_children, spec.children - k * chunk_children)
        with transaction.atomic():
            for table in _chunk(
                k, seed, spec, children, state, (given_f, given_m, family), teams, workers_by_team
            ):
                table.write()
            _write_progress(next_chunk=k + 1, state=json.dumps(state))
        elapsed = time.perf_counter() - started
        done_now = k + 1 - first
        left = (chunks - k - 1) * elapsed / done_now
        say(
            f"seed {size}: chunk {k + 1}/{chunks}: {state['children']:,} children, {state['adults']:,} adults, "
            f"{state['entries']:,} entries; {elapsed:.0f} s, about {left:.0f} s to go before indexes"
        )
    deferred = json.loads(progress["deferred"] or "[]")
    if deferred:
        say(f"seed {size}: making {len(deferred)} indexes and constraints")
        _remake_indexes(deferred, say)
    from discretion.audit import services as audit

    with transaction.atomic():
        _finish()
        _write_progress(done=True, deferred="[]")
        audit.record(
            None,
            "seed.built",
            object_type="council",
            details={"size": size, "seed": seed, "children": state["children"], "entries": state["entries"]},
        )
    report = SeedReport(
        children=state["children"],
        adults=state["adults"],
        cases=state["case_id"],
        entries=state["entries"],
        staff=state["staff"],
        seconds=time.perf_counter() - started,
    )
    say(f"seed {size}: done in {report.seconds:.0f} s")
    return report


def _finish() -> None:
    """PostgreSQL: the id sequences past the explicit ids, and fresh planner statistics."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in LOADED:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # noqa: S608
            )
        cursor.execute("ANALYZE")
