"""UK working-day calendars for the statutory clocks.

A working day is any day except Saturday, Sunday, Christmas Day, Good Friday and a day that is a bank
holiday under the Banking and Financial Dealings Act 1971 in any part of the United Kingdom (FOIA
s10(6)). The bank holidays come from the `holidays` package (England, Wales, Scotland and Northern
Ireland, with substitute days and proclaimed one-off days) and a council may lay one-off changes on top
(`CalendarOverrides`). Pure: no I/O, no Django.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

ONE_DAY = timedelta(days=1)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Region(enum.StrEnum):
    """A part of the UK with its own bank holidays (the `holidays` package's subdivision codes)."""

    ENGLAND = "ENG"
    WALES = "WLS"
    SCOTLAND = "SCT"
    NORTHERN_IRELAND = "NIR"


class Nation(enum.StrEnum):
    """The council's own jurisdiction, for clocks that use local bank holidays (subject access)."""

    ENGLAND_WALES = "england_wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


NATION_REGIONS: Mapping[Nation, frozenset[Region]] = MappingProxyType(
    {
        # The 1971 Act has one schedule for England and Wales together.
        Nation.ENGLAND_WALES: frozenset({Region.ENGLAND, Region.WALES}),
        Nation.SCOTLAND: frozenset({Region.SCOTLAND}),
        Nation.NORTHERN_IRELAND: frozenset({Region.NORTHERN_IRELAND}),
    }
)
ALL_REGIONS = frozenset(Region)


def require_date(value: object, name: str) -> date:
    """Dates are calendar dates, never datetimes (a datetime is a date subclass, so check first)."""
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a datetime.date, not a datetime; use received_on_from() to turn a "
            "timestamp into the London calendar date"
        )
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


@dataclass(frozen=True)
class CalendarOverrides:
    """A council's one-off changes laid over the package calendar.

    `added` maps a day to its name (a proclaimed bank holiday announced after the package was
    released); `removed` lists package holidays that are not (any more) holidays. Weekends, Christmas
    Day and Good Friday can never be removed: FOIA s10(6) names them outright. The overrides apply to
    whichever calendar they are given to.
    """

    added: Mapping[date, str] = field(default_factory=dict)
    removed: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        added: dict[date, str] = {}
        for day, name in self.added.items():
            require_date(day, "an added day")
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"the added day {day.isoformat()} needs a name")
            added[day] = name.strip()
        removed = frozenset(require_date(day, "a removed day") for day in self.removed)
        both = sorted(set(added) & removed)
        if both:
            raise ValueError(f"{both[0].isoformat()} is both added and removed")
        object.__setattr__(self, "added", MappingProxyType(added))
        object.__setattr__(self, "removed", removed)

    def __hash__(self) -> int:
        return hash((frozenset(self.added.items()), self.removed))


NO_OVERRIDES = CalendarOverrides()


def easter_sunday(year: int) -> date:
    """Easter Day (Gregorian, the anonymous "Meeus/Jones/Butcher" computus), for Good Friday."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * el) // 433
    month = (h + el - 7 * m + 90) // 25
    return date(year, month, (h + el - 7 * m + 33 * month + 19) % 32)


@lru_cache(maxsize=1024)
def _package_holidays(region: Region, year: int) -> Mapping[date, tuple[str, ...]]:
    """The package's bank holidays for one part of the UK and one year (cached: building is slow)."""
    table = holidays.country_holidays("GB", subdiv=region.value, years=year)
    # The package joins two holidays on one day with "; " (e.g. Scotland 2 January 2023).
    return MappingProxyType({day: tuple(str(name).split("; ")) for day, name in table.items()})


def _pretty(name: str) -> str:
    # Plain English as GOV.UK writes it: "St Andrew's Day", "substitute day".
    name = name.replace("Saint ", "St ")
    return name.replace(" (observed)", " (substitute day)")


def _regions_label(regions: Iterable[Region]) -> str:
    found = set(regions)
    if found == set(ALL_REGIONS):
        return "all of the UK"
    parts = []
    if {Region.ENGLAND, Region.WALES} <= found:
        parts.append("England and Wales")
    else:
        parts += [
            label
            for region, label in ((Region.ENGLAND, "England"), (Region.WALES, "Wales"))
            if region in found
        ]
    if Region.SCOTLAND in found:
        parts.append("Scotland")
    if Region.NORTHERN_IRELAND in found:
        parts.append("Northern Ireland")
    return ", ".join(parts)


@dataclass(frozen=True)
class WorkingCalendar:
    """The non-working days of one or more parts of the UK, plus a council's overrides.

    Holidays are built once per year and kept on the instance, so counting is a dictionary look-up.
    """

    regions: frozenset[Region]
    overrides: CalendarOverrides = NO_OVERRIDES
    label: str = ""
    _years: dict[int, Mapping[date, str]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if not self.regions:
            raise ValueError("a calendar needs at least one part of the UK")
        if not self.label:
            object.__setattr__(self, "label", _regions_label(self.regions))

    def holidays_in(self, year: int) -> Mapping[date, str]:
        """The year's non-working days other than plain weekends, each with why it is one."""
        table = self._years.get(year)
        if table is None:
            table = self._build_year(year)
            self._years[year] = table
        return table

    def _build_year(self, year: int) -> Mapping[date, str]:
        names: dict[date, dict[str, set[Region]]] = {}
        for region in self.regions:
            for day, day_names in _package_holidays(region, year).items():
                for name in day_names:
                    names.setdefault(day, {}).setdefault(name, set()).add(region)
        # FOIA s10(6): Christmas Day and Good Friday are named outright, whatever a calendar says.
        statutory = {date(year, 12, 25): "Christmas Day", easter_sunday(year) - 2 * ONE_DAY: "Good Friday"}
        for day, name in statutory.items():
            names.setdefault(day, {}).setdefault(name, set(self.regions))
        reasons = {
            day: "; ".join(f"{_pretty(name)} ({_regions_label(regions)})" for name, regions in found.items())
            for day, found in names.items()
        }
        for day in self.overrides.removed:
            if day.year == year and day not in statutory:
                reasons.pop(day, None)
        for day, name in self.overrides.added.items():
            if day.year == year:
                reasons[day] = f"{reasons[day]}; {name}" if day in reasons else name
        return MappingProxyType(reasons)

    def why_not_working(self, day: date) -> str | None:
        """None on a working day; otherwise why not ("Saturday", "St Andrew's Day (Scotland)")."""
        holiday = self.holidays_in(day.year).get(day)
        weekday = day.weekday()
        if weekday >= 5:
            return _WEEKDAY_NAMES[weekday] if holiday is None else f"{_WEEKDAY_NAMES[weekday]}; {holiday}"
        return holiday

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays_in(day.year)


@lru_cache(maxsize=256)
def foi_calendar(overrides: CalendarOverrides | None = None) -> WorkingCalendar:
    """All-UK calendar: a bank holiday in any part of the UK is not a working day (FOIA s10(6))."""
    return WorkingCalendar(ALL_REGIONS, overrides or NO_OVERRIDES, "all of the UK (FOIA s10(6))")


@lru_cache(maxsize=256)
def nation_calendar(nation: Nation | str, overrides: CalendarOverrides | None = None) -> WorkingCalendar:
    """One nation's calendar (subject access rolls forward over the council's own bank holidays)."""
    try:
        chosen = Nation(nation)
    except ValueError:
        known = ", ".join(n.value for n in Nation)
        raise ValueError(f"unknown nation {nation!r}: use one of {known}") from None
    return WorkingCalendar(NATION_REGIONS[chosen], overrides or NO_OVERRIDES)


def is_working_day(day: date, calendar: WorkingCalendar | None = None) -> bool:
    """Whether `day` is a working day (by default on the all-UK FOIA calendar)."""
    require_date(day, "day")
    return (calendar or foi_calendar()).is_working_day(day)


def working_days_between(start: date, end: date, calendar: WorkingCalendar | None = None) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`.

    So an FOI due date is exactly 20 working days after the day of receipt:
    working_days_between(received_on, due_on) == 20.
    """
    require_date(start, "start")
    require_date(end, "end")
    cal = calendar or foi_calendar()
    low, high, sign = (start, end, 1) if end >= start else (end, start, -1)
    count = 0
    day = low + ONE_DAY
    while day <= high:
        if cal.is_working_day(day):
            count += 1
        day += ONE_DAY
    return sign * count


def add_working_days(start: date, count: int, calendar: WorkingCalendar | None = None) -> date:
    """The `count`th working day after `start` (day 1 is the first working day after it)."""
    require_date(start, "start")
    if count < 0:
        raise ValueError("count must not be negative")
    cal = calendar or foi_calendar()
    day = start
    while count:
        day += ONE_DAY
        if cal.is_working_day(day):
            count -= 1
    return day


class Rag(enum.StrEnum):
    """Dashboard status of a clock."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


RED_WITHIN_WORKING_DAYS = 2
AMBER_WITHIN_WORKING_DAYS = 5


def days_left(due_on: date, today: date, calendar: WorkingCalendar | None = None) -> int:
    """Working days left before the deadline: 0 on the due day itself, 1 on the working day before it,
    and negative once it has passed (-1 on the first working day after the due day)."""
    return working_days_between(today, due_on, calendar)


def rag_status(due_on: date, today: date, calendar: WorkingCalendar | None = None) -> Rag:
    """Red when overdue or at most 2 working days are left (the due day itself is red), amber when at
    most 5 are left, green otherwise."""
    left = days_left(due_on, today, calendar)
    if left <= RED_WITHIN_WORKING_DAYS:
        return Rag.RED
    if left <= AMBER_WITHIN_WORKING_DAYS:
        return Rag.AMBER
    return Rag.GREEN


def received_on_from(moment: datetime, tz: str = "Europe/London") -> date:
    """The calendar date, in the council's time zone, of an aware timestamp.

    The local date is what counts: 23:59 London time on a Friday is Friday, and 23:30 UTC on a Friday
    in summer (00:30 Saturday British Summer Time) is Saturday.
    """
    if not isinstance(moment, datetime):
        raise TypeError(f"moment must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be timezone-aware: a naive timestamp has no calendar date")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {tz!r}") from None
    return moment.astimezone(zone).date()
