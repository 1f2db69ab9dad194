"""Misuse signals computed from the audit trail (policy 1.2: using someone else's login, or
looking at records without a need to know, is misuse).

Pure Python (no Django): plain audit rows in, findings out. Each finding carries a stable `key`
(signal, account and period) so that a re-run over overlapping events never raises the same
alert twice, and the evidence (event sequence numbers) a reviewer needs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# Reads of a record: what bulk reading counts (person and case pages, entries, attachments).
READ_ACTIONS = frozenset({"person.read", "case.read", "entry.read", "attachment.read"})
DATA_ACTIONS = frozenset(
    {
        "person.read",
        "case.read",
        "entry.read",
        "attachment.read",
        "people.search",
        "caseload.read",
        "access.break_glass",
    }
)
SIGN_IN = "auth.sign_in"
# A password (or council sign-in) accepted but the second factor not (yet) passed: while absent,
# as telling as a complete sign-in (someone else may know the password).
FIRST_FACTOR = "auth.first_factor_passed"
SIGN_INS = frozenset({SIGN_IN, FIRST_FACTOR})
REFUSED = "access.refused"
BREAK_GLASS = "access.break_glass"

# AlertKind values (staff.models.AlertKind), repeated here so this module stays free of Django.
CONCURRENT_SESSIONS = "concurrent_sessions"
ABSENT_SIGN_IN = "absent_sign_in"
UNALLOCATED_ACCESS = "unallocated_access"
BULK_READING = "bulk_reading"
OUT_OF_HOURS = "out_of_hours"


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    at: dt.datetime  # aware, UTC
    actor_id: int
    action: str
    ip: str = ""
    session: str = ""
    person_id: int | None = None
    object_type: str = ""
    object_id: str = ""


@dataclass(frozen=True)
class StaffFacts:
    staff_id: int
    role: str
    end_on: dt.date | None = None
    absences: tuple[tuple[dt.date, dt.date], ...] = ()

    def absent_on(self, day: dt.date) -> bool:
        return any(start <= day <= end for start, end in self.absences)


@dataclass(frozen=True)
class Thresholds:
    """Defaults chosen to be quiet for ordinary casework; councils tune them in settings."""

    concurrent_minutes: int = 10  # two addresses within this many minutes: concurrent use
    refusals: int = 5  # refused opens within refusal_minutes
    refusal_minutes: int = 60
    break_glass: int = 3  # break-glass uses within a day
    bulk_factor: float = 5.0  # reads in any 60 minutes above this multiple of the user's baseline...
    bulk_min_reads: int = 40  # ...and at least this many
    working_start: int = 7  # local hour, inclusive
    working_end: int = 20  # local hour, exclusive
    working_weekends: bool = False  # weekends and `holidays` count as working days
    holidays: frozenset[dt.date] = frozenset()  # the council's bank holidays: out of hours all day
    # Roles that work at any hour (e.g. an emergency duty team); all others are checked.
    any_hour_roles: frozenset[str] = frozenset()
    timezone: str = "Europe/London"


@dataclass(frozen=True)
class Finding:
    kind: str
    staff_id: int
    key: str
    summary: str
    evidence: dict[str, object] = field(default_factory=dict)


def parse_at(text: str) -> dt.datetime:
    at = dt.datetime.fromisoformat(text)
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def _hour_key(at: dt.datetime) -> int:
    """Hours since 0001-01-01 (UTC): cheaper than formatting a string for every event."""
    return at.toordinal() * 24 + at.hour


def hourly_read_baseline(events: Iterable[Event]) -> dict[int, float]:
    """Each actor's mean record reads per hour, over the hours in which they read at all."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for e in events:
        if e.action in READ_ACTIONS:
            counts[(e.actor_id, _hour_key(e.at))] += 1
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (actor, _), n in counts.items():
        totals[actor][0] += n
        totals[actor][1] += 1
    return {actor: reads / hours for actor, (reads, hours) in totals.items()}


def _concurrent(other: Event, e: Event, day: dt.date, how: str) -> Finding:
    """One account in use in two places at once (policy 1.2: someone else using the login)."""
    return Finding(
        CONCURRENT_SESSIONS,
        e.actor_id,
        f"{CONCURRENT_SESSIONS}:{e.actor_id}:{day}",
        f"Account used {how}",
        {"events": [other.seq, e.seq], "addresses": [other.ip, e.ip], "sessions": [other.session, e.session]},
    )


def detect(
    events: Iterable[Event],
    staff: Mapping[int, StaffFacts],
    *,
    thresholds: Thresholds = Thresholds(),
    baseline: Mapping[int, float] | None = None,
) -> list[Finding]:
    """Every signal over `events` (in sequence order). `baseline` is reads per hour per actor from
    an earlier period; without one, only the absolute minimum applies to bulk reading."""
    detector = _Detector(staff, thresholds, baseline or {})
    for e in events:
        detector.see(e)
    return detector.findings()


@dataclass
class _Seen:
    """One event with the local day and time it happened on (in the council's time zone)."""

    event: Event
    local: dt.datetime

    @property
    def day(self) -> dt.date:
        return self.local.date()


class _Detector:
    """Walks the events once, keeping for each actor only the recent events each signal needs."""

    def __init__(self, staff: Mapping[int, StaffFacts], t: Thresholds, baseline: Mapping[int, float]) -> None:
        self.staff, self.t, self.baseline = staff, t, baseline
        self.zone = ZoneInfo(t.timezone)
        self.found: dict[str, Finding] = {}
        self.last_by_ip: dict[int, dict[str, Event]] = defaultdict(dict)  # each address's latest event
        self.sessions: dict[int, dict[str, Event]] = defaultdict(dict)  # each session's latest event
        self.refusals: dict[int, deque[Event]] = defaultdict(deque)
        self.glass: dict[int, deque[Event]] = defaultdict(deque)
        self.reads: dict[int, deque[Event]] = defaultdict(deque)  # each actor's reads in the last hour
        self.bulk: dict[str, tuple[int, list[Event]]] = {}  # the largest burst per actor and day
        self.concurrent_window = dt.timedelta(minutes=t.concurrent_minutes)

    def add(self, f: Finding) -> None:
        self.found.setdefault(f.key, f)

    def see(self, e: Event) -> None:
        seen = _Seen(e, e.at.astimezone(self.zone))
        facts = self.staff.get(e.actor_id)
        self.two_addresses(seen)
        self.two_sessions(seen)
        if facts is not None:
            self.absent_or_ended(seen, facts)
        if e.action == REFUSED:
            self.refusal_burst(seen)
        elif e.action == BREAK_GLASS:
            self.break_glass_burst(seen)
        if e.action in READ_ACTIONS:
            self.bulk_reading(e)
        if e.action in DATA_ACTIONS and facts is not None and facts.role not in self.t.any_hour_roles:
            self.out_of_hours(seen, facts)

    def two_addresses(self, s: _Seen) -> None:
        """Same account from two addresses at once, or in impossible succession (policy 1.2)."""
        e = s.event
        seen = self.last_by_ip[e.actor_id]
        if e.ip and len(seen) == 1 and e.ip in seen:
            seen[e.ip] = e  # the common case: the same address as before
        elif e.ip:
            for ip in [ip for ip, w in seen.items() if e.at - w.at > self.concurrent_window]:
                del seen[ip]
            other = max((w for ip, w in seen.items() if ip != e.ip), key=lambda w: w.seq, default=None)
            if other is not None:
                how = f"from two addresses within {self.t.concurrent_minutes} minutes"
                self.add(_concurrent(other, e, s.day, how))
            seen[e.ip] = e

    def two_sessions(self, s: _Seen) -> None:
        """... or from two devices: another session's events fall between this session's (A, B, A),
        even from one address (an office behind one router). A new sign-in ending the old session
        is not that: the old session is not used again."""
        e = s.event
        active = self.sessions[e.actor_id]
        if e.session and len(active) == 1 and e.session in active:
            active[e.session] = e  # the common case: the same session as before
        elif e.session:
            for key in [k for k, w in active.items() if e.at - w.at > self.concurrent_window]:
                del active[key]
            mine = active.get(e.session)
            later = [w for k, w in active.items() if k != e.session and mine is not None and w.seq > mine.seq]
            if later:
                other = max(later, key=lambda w: w.seq)
                how = f"in two sessions at once within {self.t.concurrent_minutes} minutes"
                self.add(_concurrent(other, e, s.day, how))
            active[e.session] = e

    def absent_or_ended(self, s: _Seen, facts: StaffFacts) -> None:
        """Signed in, or used records, while recorded as absent; any use after the end date."""
        e, day, actor = s.event, s.day, s.event.actor_id
        if not (e.action in SIGN_INS or e.action in DATA_ACTIONS):
            return
        key = f"{ABSENT_SIGN_IN}:{actor}:{day}"
        if facts.absent_on(day):
            what = "Signed in" if e.action in SIGN_INS else "Records used"
            self.add(
                Finding(
                    ABSENT_SIGN_IN,
                    actor,
                    key,
                    f"{what} on {day} while recorded as absent",
                    {"events": [e.seq], "date": day.isoformat()},
                )
            )
        elif facts.end_on is not None and day > facts.end_on:
            self.add(
                Finding(
                    ABSENT_SIGN_IN,
                    actor,
                    key,
                    f"Account used on {day}, after its end date {facts.end_on}",
                    {"events": [e.seq], "date": day.isoformat(), "end_on": facts.end_on.isoformat()},
                )
            )

    def refusal_burst(self, s: _Seen) -> None:
        """Opening records of children not allocated: a burst of refusals."""
        e, t = s.event, self.t
        q = _within(self.refusals[e.actor_id], e, dt.timedelta(minutes=t.refusal_minutes))
        if len(q) >= t.refusals:
            self.add(
                Finding(
                    UNALLOCATED_ACCESS,
                    e.actor_id,
                    f"{UNALLOCATED_ACCESS}:refused:{e.actor_id}:{s.day}",
                    f"{len(q)} refused attempts to open records within {t.refusal_minutes} minutes",
                    {
                        "events": [x.seq for x in q],
                        "people": sorted({x.person_id for x in q if x.person_id is not None}),
                    },
                )
            )

    def break_glass_burst(self, s: _Seen) -> None:
        """... and of break-glass openings within a day."""
        e = s.event
        q = _within(self.glass[e.actor_id], e, dt.timedelta(days=1))
        if len(q) >= self.t.break_glass:
            self.add(
                Finding(
                    UNALLOCATED_ACCESS,
                    e.actor_id,
                    f"{UNALLOCATED_ACCESS}:break_glass:{e.actor_id}:{s.day}",
                    f"{len(q)} break-glass openings within 24 hours",
                    {"events": [x.seq for x in q], "cases": [x.object_id for x in q]},
                )
            )

    def bulk_reading(self, e: Event) -> None:
        """Reads in any 60 minutes against the actor's own usual rate: the largest burst a day."""
        window = self.reads[e.actor_id]
        window.append(e)
        while e.at - window[0].at >= HOUR:
            window.popleft()
        t = self.t
        if len(window) >= max(float(t.bulk_min_reads), t.bulk_factor * self.baseline.get(e.actor_id, 0.0)):
            key = f"{BULK_READING}:{e.actor_id}:{e.at.astimezone(self.zone).date()}"
            if len(window) > self.bulk.get(key, (0, []))[0]:
                self.bulk[key] = (len(window), list(window))

    def out_of_hours(self, s: _Seen, facts: StaffFacts) -> None:
        """Use of personal data out of hours by a role that does not work then."""
        t, local, day, e = self.t, s.local, s.day, s.event
        weekend = (local.weekday() >= 5 or day in t.holidays) and not t.working_weekends
        if weekend or not (t.working_start <= local.hour < t.working_end):
            self.add(
                Finding(
                    OUT_OF_HOURS,
                    e.actor_id,
                    f"{OUT_OF_HOURS}:{e.actor_id}:{day}",
                    f"Records used out of hours ({local:%a %H:%M})",
                    {
                        "events": [e.seq],
                        "local_time": local.isoformat(timespec="minutes"),
                        "role": facts.role,
                    },
                )
            )

    def findings(self) -> list[Finding]:
        """Every finding so far, then one for each day's largest bulk-reading burst."""
        for key, (count, burst) in self.bulk.items():
            actor = burst[0].actor_id
            usual = self.baseline.get(actor, 0.0)
            self.add(
                Finding(
                    BULK_READING,
                    actor,
                    key,
                    f"{count} records read within 60 minutes (usually {usual:.1f} an hour)",
                    {
                        "events": [x.seq for x in burst[:50]],
                        "count": count,
                        "from": burst[0].at.isoformat(timespec="minutes"),
                        "to": burst[-1].at.isoformat(timespec="minutes"),
                        "baseline": round(usual, 2),
                    },
                )
            )
        return list(self.found.values())


HOUR = dt.timedelta(hours=1)


def _within(q: deque[Event], e: Event, span: dt.timedelta) -> deque[Event]:
    """Add `e` to the actor's recent events and drop those more than `span` before it."""
    q.append(e)
    while e.at - q[0].at > span:
        q.popleft()
    return q
