"""Anonymising research extracts: generalise quasi-identifiers, check k-anonymity (policy 1.4).

Pure Python (no Django): rows in, rows plus a report out. Direct identifiers (names, references,
NHS numbers, addresses) never enter these rows; the caller reads only the fields listed in
`FIELDS`. Quasi-identifiers are generalised (date of birth to an age band or year, postcode to
its district, rare categories grouped) and any row whose combination of quasi-identifiers is
shared by fewer than k different people is suppressed: k counts people, not rows, since one
child with five cases is still one child. If too much would have to be suppressed the table fails
and must not be released (ICO Anonymisation guidance: the "motivated intruder" test). Rows leave
sorted by their values, never in record order, so two extracts cannot be joined row by row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# The fields a request may ask for; every one is a quasi-identifier once generalised.
FIELDS: dict[str, str] = {
    "age_band": "Age band (from date of birth)",
    "birth_year": "Year of birth",
    "gender": "Gender",
    "district": "Postcode district",
    "ethnicity": "Ethnicity (rare groups combined)",
    "case_kind": "Type of case (rare types combined)",
    "opened_year": "Year the case was opened",
    "closed": "Whether the case is closed",
    "age_group": "Broad age group (under 10, 10-17, 18-25, over 25)",
    "postcode_area": "Postcode area (the letters, for example BB)",
}
# Categorical fields whose rare values are grouped into OTHER before the k check.
GROUPABLE = frozenset({"ethnicity", "case_kind", "district"})
OTHER = "Other"
SUPPRESSED = "*"
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 4, "0-4"),
    (5, 9, "5-9"),
    (10, 15, "10-15"),
    (16, 17, "16-17"),
    (18, 24, "18-24"),
    (25, None, "25+"),
)


def age_on(born_on: dt.date, on: dt.date) -> int:
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


def age_band(born_on: dt.date | None, on: dt.date) -> str:
    """The Department for Education's children-in-need age bands, then adult bands."""
    if born_on is None:
        return "Not known"
    age = age_on(born_on, on)
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return "Not known"


def age_group(born_on: dt.date | None, on: dt.date) -> str:
    """Broader than the age bands: for a table too small for them."""
    if born_on is None:
        return "Not known"
    age = age_on(born_on, on)
    return "under 10" if age < 10 else "10-17" if age < 18 else "18-25" if age <= 25 else "over 25"


def birth_year(born_on: dt.date | None) -> str:
    return str(born_on.year) if born_on else "Not known"


def postcode_district(postcode: str | None) -> str:
    """The outward code ("BB2 3QX" -> "BB2"): a district of thousands of households."""
    text = (postcode or "").strip().upper()
    if not text:
        return "Not known"
    if " " in text:
        return text.split()[0]
    # Without a space the inward code is always the last three characters.
    return text[:-3] if len(text) > 4 else text


def pseudonym(key: bytes, person_ref: str) -> str:
    """A stable keyed hash of a person reference: the same child gets the same pseudonym in
    every extract made with the same key, and nobody without the key can reverse it."""
    return hmac.new(key, person_ref.encode(), hashlib.sha256).hexdigest()[:20]


@dataclass(frozen=True)
class SourceRow:
    """One case as read for research: nothing that names or directly identifies anyone."""

    person_ref: str
    date_of_birth: dt.date | None
    gender: str
    ethnicity: str
    postcode: str
    case_kind: str
    opened_on: dt.date
    closed_on: dt.date | None


def generalise(row: SourceRow, fields: Sequence[str], on: dt.date) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in fields:
        if name == "age_band":
            out[name] = age_band(row.date_of_birth, on)
        elif name == "birth_year":
            out[name] = birth_year(row.date_of_birth)
        elif name == "gender":
            out[name] = row.gender or "unknown"
        elif name == "district":
            out[name] = postcode_district(row.postcode)
        elif name == "ethnicity":
            out[name] = row.ethnicity or "Not known"
        elif name == "case_kind":
            out[name] = row.case_kind or "Not known"
        elif name == "opened_year":
            out[name] = str(row.opened_on.year)
        elif name == "closed":
            out[name] = "yes" if row.closed_on else "no"
        elif name == "age_group":
            out[name] = age_group(row.date_of_birth, on)
        elif name == "postcode_area":
            district = postcode_district(row.postcode)
            out[name] = district.rstrip("0123456789") if district != "Not known" else district
        else:
            raise ValueError(f"unknown field {name!r}")
    return out


@dataclass
class Report:
    """What was done to the table, shown to research governance and kept with the extract."""

    k: int
    rows_in: int
    rows_out: int = 0
    suppressed: int = 0
    generalised: dict[str, str] = field(default_factory=dict)
    grouped: dict[str, list[str]] = field(default_factory=dict)
    smallest_group: int = 0
    passed: bool = False
    reason: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "k": self.k,
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "suppressed": self.suppressed,
            "generalised": dict(self.generalised),
            "grouped": {k: sorted(v) for k, v in self.grouped.items()},
            "smallest_group": self.smallest_group,
            "passed": self.passed,
            "reason": self.reason,
        }


GENERALISATIONS = {
    "age_band": "date of birth reduced to an age band",
    "birth_year": "date of birth reduced to the year",
    "district": "postcode reduced to the postcode district",
    "opened_year": "case opening date reduced to the year",
    "closed": "case closing date reduced to yes or no",
    "age_group": "date of birth reduced to a broad age group",
    "postcode_area": "postcode reduced to the postcode area",
}


def group_rare(rows: list[dict[str, str]], column: str, k: int, people: Sequence[str]) -> list[str]:
    """Combine the values of `column` held by fewer than k people into OTHER; returns them."""
    holders: dict[str, set[str]] = {}
    for row, person in zip(rows, people, strict=True):
        holders.setdefault(row[column], set()).add(person)
    counts = Counter({value: len(who) for value, who in holders.items()})
    rare = sorted(v for v, n in counts.items() if n < k)
    if len(rare) == 1 and counts.get(OTHER, 0) == 0:
        # One rare value renamed "Other" is still that value: nothing gained, suppression decides.
        return []
    if rare:
        rare_set = set(rare)
        for r in rows:
            if r[column] in rare_set:
                r[column] = OTHER
    return rare


def equivalence_classes(
    rows: Iterable[Mapping[str, str]], quasi: Sequence[str], people: Iterable[str]
) -> Counter[tuple[str, ...]]:
    """How many different people share each combination of quasi-identifiers."""
    members: dict[tuple[str, ...], set[str]] = {}
    for row, person in zip(rows, people, strict=True):
        members.setdefault(tuple(row[q] for q in quasi), set()).add(person)
    return Counter({combination: len(who) for combination, who in members.items()})


def smallest_class(rows: Sequence[Mapping[str, str]], quasi: Sequence[str], people: Sequence[str]) -> int:
    classes = equivalence_classes(rows, quasi, people)
    return min(classes.values()) if classes else 0


@dataclass(frozen=True)
class AnonymisedTable:
    columns: list[str]
    rows: list[dict[str, str]]
    report: Report


def anonymise(
    source: Sequence[SourceRow],
    fields: Sequence[str],
    *,
    k: int = 5,
    on: dt.date,
    max_suppressed: float = 0.1,
    pseudonym_key: bytes | None = None,
) -> AnonymisedTable:
    """Generalise, group rare values, suppress small groups, and decide whether it may be released.

    The table passes only when every remaining group of identical quasi-identifiers holds at least
    k different people, no more than `max_suppressed` of the rows had to be dropped, and at least k
    people remain.
    With `pseudonym_key` each row also carries a stable pseudonym (approval for that is the
    caller's check); the pseudonym is not a quasi-identifier and does not enter the k check.
    """
    if k < 2:
        raise ValueError("k must be at least 2")
    unknown = [f for f in fields if f not in FIELDS]
    if unknown or not fields:
        raise ValueError(f"unknown fields: {', '.join(unknown)}" if unknown else "choose at least one field")
    quasi = list(dict.fromkeys(fields))
    report = Report(k=k, rows_in=len(source))
    report.generalised = {f: GENERALISATIONS[f] for f in quasi if f in GENERALISATIONS}
    rows = [generalise(r, quasi, on) for r in source]
    refs = [r.person_ref for r in source]
    for column in quasi:
        if column in GROUPABLE:
            rare = group_rare(rows, column, k, refs)
            if rare:
                report.grouped[column] = rare
    classes = equivalence_classes(rows, quasi, refs)
    keep = [i for i, r in enumerate(rows) if classes[tuple(r[q] for q in quasi)] >= k]
    report.suppressed = len(rows) - len(keep)
    kept_rows = [rows[i] for i in keep]
    kept_people = [refs[i] for i in keep]
    report.rows_out = len(kept_rows)
    report.smallest_group = smallest_class(kept_rows, quasi, kept_people)
    columns = list(quasi)
    if pseudonym_key is not None:
        columns = ["pseudonym", *columns]
        kept_rows = [{"pseudonym": pseudonym(pseudonym_key, refs[i]), **rows[i]} for i in keep]
    # By value, never by record order (which would line up with case references and other extracts).
    order = [*quasi, *columns[: len(columns) - len(quasi)]]  # the values, then any pseudonym
    kept_rows.sort(key=lambda row: tuple(row[c] for c in order))
    if len(set(kept_people)) < k:
        report.reason = f"fewer than {k} people would remain after suppressing small groups"
    elif report.rows_in and report.suppressed / report.rows_in > max_suppressed:
        report.reason = (
            f"{report.suppressed} of {report.rows_in} rows would have to be suppressed "
            f"(more than {max_suppressed:.0%}); ask for fewer or coarser fields"
        )
    else:
        report.passed = True
    return AnonymisedTable(columns, kept_rows if report.passed else [], report)


# --- when a table fails: which fields make groups too small, and what would pass ------------

# A field and the coarser fields that could stand in for it, finest first.
COARSER: dict[str, tuple[str, ...]] = {
    "birth_year": ("age_band", "age_group"),
    "age_band": ("age_group",),
    "district": ("postcode_area",),
    "opened_year": (),
}


@dataclass(frozen=True)
class Alternative:
    """A set of fields that passes the same k check on the same rows, and what changed to get there."""

    fields: tuple[str, ...]
    changes: tuple[str, ...]
    rows_out: int
    suppressed: int


@dataclass(frozen=True)
class Diagnosis:
    culprits: tuple[tuple[str, int], ...]  # (field, rows that would no longer be suppressed without it)
    alternatives: tuple[Alternative, ...]


def diagnose(
    source: Sequence[SourceRow],
    fields: Sequence[str],
    *,
    k: int,
    on: dt.date,
    max_suppressed: float = 0.1,
    most: int = 3,
) -> Diagnosis:
    """Tried, not guessed: each candidate is put through `anonymise` with the same k and limit.
    Culprits are the fields whose absence would save the most rows from suppression. Alternatives
    are coarser versions of fields (age band for year of birth, postcode area for district), then
    one field left out, then two, smallest change first and, among equals, the most rows kept."""
    quasi = list(dict.fromkeys(fields))

    def run(candidate: Sequence[str]) -> Report:
        return anonymise(source, candidate, k=k, on=on, max_suppressed=max_suppressed).report

    base = run(quasi)
    culprits = []
    if len(quasi) > 1:
        for name in quasi:
            saved = base.suppressed - run([f for f in quasi if f != name]).suppressed
            if saved > 0:
                culprits.append((name, saved))
    culprits.sort(key=lambda pair: -pair[1])

    candidates: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    swaps = [[(name, None)] + [(name, c) for c in COARSER.get(name, ())] for name in quasi]

    def combine(i: int, chosen: list[tuple[str, str | None]]) -> None:
        if i == len(swaps):
            new = tuple(c or n for n, c in chosen)
            changes = tuple(f"{FIELDS[n]} → {FIELDS[c]}" for n, c in chosen if c)
            if changes and len(set(new)) == len(new):
                candidates.append((new, changes))
            return
        for option in swaps[i]:
            combine(i + 1, [*chosen, option])

    combine(0, [])
    for drop in quasi if len(quasi) > 1 else []:
        candidates.append((tuple(f for f in quasi if f != drop), (f"leave out {FIELDS[drop]}",)))
    for i, a in enumerate(quasi):
        for b in quasi[i + 1 :]:
            if len(quasi) > 2:
                kept = tuple(f for f in quasi if f not in (a, b))
                candidates.append((kept, (f"leave out {FIELDS[a]}", f"leave out {FIELDS[b]}")))
    passing = []
    for candidate, changes in candidates[:200]:
        report = run(candidate)
        if report.passed:
            passing.append(Alternative(candidate, changes, report.rows_out, report.suppressed))
    passing.sort(key=lambda alt: (len(alt.changes), alt.suppressed, len(alt.fields) * -1))
    return Diagnosis(tuple(culprits), tuple(passing[:most]))
