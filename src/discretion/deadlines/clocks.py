"""The statutory clocks: FOI (FOIA s10), EIR (reg 5, 7, 9), subject access (UK GDPR Art 12(3), 12A).

Every function takes `datetime.date`s (never datetimes) and returns a frozen `Deadline` that says the
due date, the rule applied in plain English with its section, and the non-working days skipped.
"""

from __future__ import annotations

import calendar as month_calendar
import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from discretion.deadlines.calendars import (
    ONE_DAY,
    CalendarOverrides,
    Nation,
    WorkingCalendar,
    foi_calendar,
    nation_calendar,
    require_date,
)

FOI_WORKING_DAYS = 20  # FOIA s10(1)
FOI_EXTENSION_LIMIT_WORKING_DAYS = 40  # ICO: a s10(3) extension should be no more than 20 further days
FEE_PAYMENT_MONTHS = 3  # FOIA s9(2): no duty to comply unless paid within three months of the notice
EIR_WORKING_DAYS = 20  # EIR reg 5(2)
EIR_EXTENDED_WORKING_DAYS = 40  # EIR reg 7(1)
REVIEW_WORKING_DAYS = 20  # FOIA s45 Code of Practice (2018), part 5: internal reviews
REVIEW_LIMIT_WORKING_DAYS = 40  # the same: no more than 40 working days in complex cases
EIR_REVIEW_WORKING_DAYS = 40  # EIR reg 11(4): the decision on representations within 40 working days
SAR_MONTHS = 1  # UK GDPR Art 12(3)
SAR_EXTENDED_MONTHS = 3  # Art 12(3): two further months, counted from the same start (ICO)

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Regime(enum.StrEnum):
    FOI = "foi"
    EIR = "eir"
    SAR = "sar"
    FOI_INTERNAL_REVIEW = "foi_internal_review"
    EIR_INTERNAL_REVIEW = "eir_internal_review"


@dataclass(frozen=True)
class SkippedDay:
    """A day the clock did not count, and why ("Saturday", "St Andrew's Day (Scotland)")."""

    day: date
    why: str


@dataclass(frozen=True)
class Deadline:
    """When a statutory clock runs out, and how that was worked out.

    `start_on` is the day the clock runs from: for FOI and EIR the date of receipt (day 0: day 1 is
    the next working day), for subject access the relevant day (the month runs from it).
    `skipped` lists the non-working days passed over; `disregarded` the working days that did not count
    while a fee was awaited (FOIA s10(2)); `paused_days` the calendar days that did not count while a
    clarification was awaited (UK GDPR Art 12A); `corresponding_on` the subject-access end date before a
    weekend or holiday moved it on; `latest_extension_on` the 40th working day where one applies.
    """

    regime: Regime
    received_on: date
    start_on: date
    due_on: date
    rule: str
    calendar: str
    skipped: list[SkippedDay] = field(default_factory=list, hash=False)
    extended: bool = False
    working_days: int | None = None
    disregarded: list[SkippedDay] = field(default_factory=list, hash=False)
    paused_days: int = 0
    corresponding_on: date | None = None
    latest_extension_on: date | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: dates as ISO strings."""

        def iso(day: date | None) -> str | None:
            return None if day is None else day.isoformat()

        return {
            "regime": self.regime.value,
            "due_on": self.due_on.isoformat(),
            "received_on": self.received_on.isoformat(),
            "start_on": self.start_on.isoformat(),
            "rule": self.rule,
            "calendar": self.calendar,
            "extended": self.extended,
            "working_days": self.working_days,
            "skipped": [{"day": s.day.isoformat(), "why": s.why} for s in self.skipped],
            "disregarded": [{"day": s.day.isoformat(), "why": s.why} for s in self.disregarded],
            "paused_days": self.paused_days,
            "corresponding_on": iso(self.corresponding_on),
            "latest_extension_on": iso(self.latest_extension_on),
        }


def _long(day: date) -> str:
    # Own names, not strftime: the locale must not change a legal notice.
    return f"{_WEEKDAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def add_months(day: date, months: int) -> date:
    """The corresponding date `months` later, or the last day of that month when it is shorter
    (ICO right of access: received 31 January, due 28 or 29 February)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    last = month_calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last))


def _optional_date(value: date | None, name: str) -> date | None:
    return None if value is None else require_date(value, name)


def _pair(
    first: date | None, second: date | None, first_name: str, second_name: str
) -> tuple[date, date] | None:
    first = _optional_date(first, first_name)
    second = _optional_date(second, second_name)
    if first is None and second is None:
        return None
    if first is None or second is None:
        raise ValueError(f"give both {first_name} and {second_name}, or neither")
    return first, second


def _clarification(
    received_on: date, requested_on: date | None, arrived_on: date | None
) -> tuple[date, date] | None:
    pair = _pair(requested_on, arrived_on, "clarification_requested_on", "clarification_received_on")
    if pair is None:
        return None
    asked, answered = pair
    if asked < received_on:
        raise ValueError(
            f"clarification was asked for on {asked.isoformat()}, before the request was received "
            f"on {received_on.isoformat()}"
        )
    if answered < asked:
        raise ValueError(
            f"clarification was received on {answered.isoformat()}, before it was asked for on "
            f"{asked.isoformat()}"
        )
    return pair


def _walk(
    cal: WorkingCalendar, start: date, count: int, fee_window: tuple[date, date] | None
) -> tuple[date, list[SkippedDay], list[SkippedDay]]:
    """The `count`th counted working day after `start`, with the days passed over and why."""
    skipped: list[SkippedDay] = []
    disregarded: list[SkippedDay] = []
    day = start
    counted = 0
    while counted < count:
        day += ONE_DAY
        why = cal.why_not_working(day)
        if why is not None:
            skipped.append(SkippedDay(day, why))
        elif _in_window(day, fee_window):
            disregarded.append(SkippedDay(day, "fee awaited (FOIA s10(2))"))
        else:
            counted += 1
    return day, skipped, disregarded


def _foi_start(
    received_on: date,
    clarification_requested_on: date | None,
    clarification_received_on: date | None,
    cal: WorkingCalendar,
    limit_days: int,
    section: str,
) -> tuple[date, str]:
    """The date of receipt the clock runs from: the request's, or the clarification's when one was
    asked for (FOIA s1(3), s10(6)(b); EIR reg 9(4))."""
    clar = _clarification(received_on, clarification_requested_on, clarification_received_on)
    if clar is None:
        return received_on, ""
    asked, answered = clar
    # The clarification has to be sought inside the original time (EIR reg 9(2); ICO FOI guidance:
    # as soon as possible, and within the 20 working days): a later one cannot revive a lapsed clock.
    original_due = _walk(cal, received_on, limit_days, None)[0]
    if asked > original_due:
        raise ValueError(
            f"clarification was asked for on {asked.isoformat()}, after the time for answering ran out "
            f"on {original_due.isoformat()}"
        )
    return answered, (
        f" The clock restarted when the clarification asked for on {_long(asked)} arrived on "
        f"{_long(answered)} ({section})."
    )


def _fee_window(
    received_on: date, notice_on: date | None, paid_on: date | None, start: date, cal: WorkingCalendar
) -> tuple[date, date] | None:
    pair = _pair(notice_on, paid_on, "fee_notice_on", "fee_received_on")
    if pair is None:
        return None
    notice, paid = pair
    if notice < received_on:
        raise ValueError(
            f"the fees notice ({notice.isoformat()}) is dated before the request was received "
            f"({received_on.isoformat()})"
        )
    if paid < notice:
        raise ValueError(
            f"the fee was received on {paid.isoformat()}, before the fees notice of {notice.isoformat()}"
        )
    due_without_fee = _walk(cal, start, FOI_WORKING_DAYS, None)[0]
    if notice > due_without_fee:
        raise ValueError(
            f"the fees notice of {notice.isoformat()} was given after the request fell due on "
            f"{due_without_fee.isoformat()}: it cannot stop the clock (FOIA s10(2))"
        )
    # FOIA s9(2): the period of three months beginning with the day the notice is given.
    # "Three months beginning with the day on which the fees notice is given" (s9(2)): it ends on the
    # day before the corresponding date, or at the end of the month that has none (31 Jan -> 30 Apr,
    # like 1 Feb -> 30 Apr), so the day before the notice, three months on.
    last_day_to_pay = add_months(notice - ONE_DAY, FEE_PAYMENT_MONTHS)
    if paid > last_day_to_pay:
        raise ValueError(
            f"the fee arrived on {paid.isoformat()}, after the three months allowed by FOIA s9(2) "
            f"(last day {last_day_to_pay.isoformat()}): there is no duty to comply"
        )
    return notice, paid


def _foi_parts(
    received_on: date,
    clarification_requested_on: date | None,
    clarification_received_on: date | None,
    fee_notice_on: date | None,
    fee_received_on: date | None,
    overrides: CalendarOverrides | None,
) -> tuple[WorkingCalendar, date, str, tuple[date, date] | None]:
    received_on = require_date(received_on, "received_on")
    cal = foi_calendar(overrides)
    start, clar_text = _foi_start(
        received_on,
        clarification_requested_on,
        clarification_received_on,
        cal,
        FOI_WORKING_DAYS,
        "FOIA s1(3), s10(6)(b)",
    )
    fee = _fee_window(received_on, fee_notice_on, fee_received_on, start, cal)
    return cal, start, clar_text, fee


def foi_extension_limit(
    received_on: date,
    *,
    clarification_requested_on: date | None = None,
    clarification_received_on: date | None = None,
    fee_notice_on: date | None = None,
    fee_received_on: date | None = None,
    overrides: CalendarOverrides | None = None,
) -> date:
    """The latest reasonable date for a public-interest extension (FOIA s10(3)): the 40th working day
    after the date of receipt, since the ICO expects no more than 20 further working days."""
    cal, start, _, fee = _foi_parts(
        received_on,
        clarification_requested_on,
        clarification_received_on,
        fee_notice_on,
        fee_received_on,
        overrides,
    )
    return _walk(cal, start, FOI_EXTENSION_LIMIT_WORKING_DAYS, fee)[0]


def foi_due(
    received_on: date,
    *,
    clarification_requested_on: date | None = None,
    clarification_received_on: date | None = None,
    fee_notice_on: date | None = None,
    fee_received_on: date | None = None,
    extended_to: date | None = None,
    overrides: CalendarOverrides | None = None,
) -> Deadline:
    """FOI: the 20th working day following the date of receipt (FOIA s10(1)).

    Day 1 is the first working day after the day of receipt, which may itself be a weekend or holiday.
    Working days exclude weekends, Christmas Day, Good Friday and bank holidays in any part of the UK
    (s10(6)). A clarification under s1(3) restarts the clock from the day it arrives (s10(6)(b)); the
    working days from a fees notice to the fee's arrival, both included, do not count (s10(2)).
    `extended_to` records a public-interest extension (s10(3)); it must fall between the normal due
    date and the 40th working day (ICO guidance).
    """
    cal, start, clar_text, fee = _foi_parts(
        received_on,
        clarification_requested_on,
        clarification_received_on,
        fee_notice_on,
        fee_received_on,
        overrides,
    )
    due, skipped, disregarded = _walk(cal, start, FOI_WORKING_DAYS, fee)
    # The walk is sequential, so 20 more counted days after the 20th is the 40th.
    limit, more_skipped, more_disregarded = _walk(
        cal, due, FOI_EXTENSION_LIMIT_WORKING_DAYS - FOI_WORKING_DAYS, fee
    )
    limit_skipped, limit_disregarded = skipped + more_skipped, disregarded + more_disregarded
    rule = (
        f"FOIA s10(1): the 20th working day following the date of receipt, {_long(start)}; working days "
        "exclude Saturdays, Sundays, Christmas Day, Good Friday and bank holidays in any part of the "
        f"UK (s10(6)).{clar_text}"
    )
    if fee is not None:
        rule += (
            f" The {len(disregarded)} working days from the fees notice on {_long(fee[0])} to the fee "
            f"arriving on {_long(fee[1])} do not count (s10(2))."
        )
    working_days = FOI_WORKING_DAYS
    if extended_to is not None:
        extended_to = require_date(extended_to, "extended_to")
        if extended_to < due:
            raise ValueError(
                f"the extension to {extended_to.isoformat()} is earlier than the due date {due.isoformat()}"
            )
        if extended_to > limit:
            raise ValueError(
                f"the extension to {extended_to.isoformat()} is beyond {limit.isoformat()}, the 40th "
                "working day: the ICO expects no more than 20 further working days (FOIA s10(3))"
            )
        rule += (
            f" Extended to {_long(extended_to)} to consider the public interest (s10(3)); the ICO "
            f"expects no more than 20 further working days, so no later than {_long(limit)}."
        )
        skipped = [s for s in limit_skipped if s.day <= extended_to]
        disregarded = [s for s in limit_disregarded if s.day <= extended_to]
        working_days = sum(
            1 for day in _days(start, extended_to) if cal.is_working_day(day) and not _in_window(day, fee)
        )
        due = extended_to
    return Deadline(
        regime=Regime.FOI,
        received_on=received_on,
        start_on=start,
        due_on=due,
        rule=rule,
        calendar=cal.label,
        skipped=skipped,
        extended=extended_to is not None,
        working_days=working_days,
        disregarded=disregarded,
        latest_extension_on=limit,
    )


def _in_window(day: date, window: tuple[date, date] | None) -> bool:
    return window is not None and window[0] <= day <= window[1]


def _days(after: date, through: date) -> list[date]:
    """The days after `after` up to and including `through`."""
    return [after + timedelta(days=n) for n in range(1, (through - after).days + 1)]


def eir_due(
    received_on: date,
    *,
    clarification_requested_on: date | None = None,
    clarification_received_on: date | None = None,
    extended: bool = False,
    overrides: CalendarOverrides | None = None,
) -> Deadline:
    """EIR: no later than 20 working days after the date of receipt (reg 5(2)), 40 when the request is
    complex and voluminous (reg 7(1)); a clarification under reg 9 restarts the 20 days from its arrival
    (reg 9(4)). Working days are counted on the all-UK calendar of FOIA s10(6), as the ICO does."""
    received_on = require_date(received_on, "received_on")
    cal = foi_calendar(overrides)
    start, clar_text = _foi_start(
        received_on,
        clarification_requested_on,
        clarification_received_on,
        cal,
        EIR_WORKING_DAYS,
        "EIR reg 9(4)",
    )
    count = EIR_EXTENDED_WORKING_DAYS if extended else EIR_WORKING_DAYS
    due, skipped, _ = _walk(cal, start, count, None)
    rule = (
        f"EIR reg 5(2): no later than {count} working days after the date of receipt, {_long(start)}"
        + (", extended under reg 7(1) because the request is complex and voluminous" if extended else "")
        + ". Working days are counted as FOIA s10(6) counts them (weekends, Christmas Day, Good Friday and "
        f"bank holidays in any part of the UK excluded), as the ICO does.{clar_text}"
    )
    return Deadline(
        regime=Regime.EIR,
        received_on=received_on,
        start_on=start,
        due_on=due,
        rule=rule,
        calendar=cal.label,
        skipped=skipped,
        extended=extended,
        working_days=count,
        latest_extension_on=None
        if extended
        else _walk(cal, due, EIR_EXTENDED_WORKING_DAYS - EIR_WORKING_DAYS, None)[0],
    )


def internal_review_due(
    received_on: date,
    *,
    extended: bool = False,
    overrides: CalendarOverrides | None = None,
    regime: Regime = Regime.FOI,
) -> Deadline:
    """FOI internal review: 20 working days from receipt of the complaint, at most 40 in complex cases
    (FOIA s45 Code of Practice, 2018, part 5), counted on the FOIA s10(6) calendar.
    EIR reconsideration (`regime=Regime.EIR`): reg 11(4) sets 40 working days, with no extension."""
    received_on = require_date(received_on, "received_on")
    cal = foi_calendar(overrides)
    if regime == Regime.EIR:
        due, skipped, _ = _walk(cal, received_on, EIR_REVIEW_WORKING_DAYS, None)
        return Deadline(
            regime=Regime.EIR_INTERNAL_REVIEW,
            received_on=received_on,
            start_on=received_on,
            due_on=due,
            rule=(
                f"EIR reg 11(4): the decision on representations received on {_long(received_on)} "
                f"within {EIR_REVIEW_WORKING_DAYS} working days; working days counted as for the request itself."
            ),
            calendar=cal.label,
            skipped=skipped,
            working_days=EIR_REVIEW_WORKING_DAYS,
            latest_extension_on=due,
        )
    count = REVIEW_LIMIT_WORKING_DAYS if extended else REVIEW_WORKING_DAYS
    due, skipped, _ = _walk(cal, received_on, count, None)
    rule = (
        f"FOIA s45 Code of Practice (part 5): an internal review within {count} working days of the "
        f"complaint received on {_long(received_on)}"
        + (" (the most the Code allows, for complex reviews)" if extended else "")
        + "; working days as in FOIA s10(6)."
    )
    return Deadline(
        regime=Regime.FOI_INTERNAL_REVIEW,
        received_on=received_on,
        start_on=received_on,
        due_on=due,
        rule=rule,
        calendar=cal.label,
        skipped=skipped,
        extended=extended,
        working_days=count,
        latest_extension_on=_walk(cal, received_on, REVIEW_LIMIT_WORKING_DAYS, None)[0],
    )


def sar_due(
    received_on: date,
    *,
    id_received_on: date | None = None,
    fee_received_on: date | None = None,
    clarification_requested_on: date | None = None,
    clarification_received_on: date | None = None,
    extended: bool = False,
    nation: Nation | str = Nation.ENGLAND_WALES,
    overrides: CalendarOverrides | None = None,
) -> Deadline:
    """Subject access: one month (three when extended), UK GDPR Art 12(3) and Art 12A.

    The month runs from the relevant day, the latest of the request, the identity evidence asked for
    and any fee (Art 12A; ICO right of access, "How long do we have to comply?"), to the corresponding
    date of the next month, or that month's last day when it is shorter (31 January -> 28/29 February).
    The days from asking for a clarification to receiving it, both included, do not count (Art 12A,
    worded as DPA 2018 s54(3C)), so they push that date back. A weekend or a bank holiday of the
    council's own nation moves the end to the next working day (ICO).
    """
    received_on = require_date(received_on, "received_on")
    cal = nation_calendar(nation, overrides)
    start = received_on
    for value, name in ((id_received_on, "id_received_on"), (fee_received_on, "fee_received_on")):
        arrived = _optional_date(value, name)
        if arrived is None:
            continue
        if arrived < received_on:
            raise ValueError(
                f"{name} ({arrived.isoformat()}) is before the request was received "
                f"({received_on.isoformat()})"
            )
        start = max(start, arrived)
    months = SAR_EXTENDED_MONTHS if extended else SAR_MONTHS
    corresponding = add_months(start, months)
    clar = _clarification(received_on, clarification_requested_on, clarification_received_on)
    paused = 0
    pause_text = ""
    if clar is not None:
        asked, answered = clar
        due_without = _roll_forward(corresponding, cal)[0]
        if asked > due_without:
            raise ValueError(
                f"clarification was asked for on {asked.isoformat()}, after the time for answering ran "
                f"out on {due_without.isoformat()}"
            )
        # Only days inside the relevant time period can stop counting: days before the relevant day
        # (while identity evidence or a fee was awaited) were not being counted anyway.
        first_paused = max(asked, start)
        paused = max(0, (answered - first_paused).days + 1)
        pause_text = (
            f" The {paused} days from asking for clarification on {_long(asked)} to receiving it on "
            f"{_long(answered)} do not count (Art 12A)"
        )
    unadjusted = corresponding + timedelta(days=paused)
    due, skipped = _roll_forward(unadjusted, cal)
    chosen = Nation(nation)
    period = "three months (extended by two further months for complexity or the number of requests)"
    rule = (
        f"UK GDPR Art 12(3), Art 12A: {period if extended else 'one month'} from the relevant day, "
        f"{_long(start)} (the latest of receiving the request, any identity evidence asked for and any "
        f"fee), to the corresponding date {_long(corresponding)}"
        + (" (the month is shorter, so its last day)" if corresponding.day != start.day else "")
        + "."
    )
    if paused:
        rule += f"{pause_text}, so {_long(unadjusted)}."
    if skipped:
        rule += (
            f" That is not a working day in {cal.label}, so the next working day (ICO right of access "
            "guidance)."
        )
    return Deadline(
        regime=Regime.SAR,
        received_on=received_on,
        start_on=start,
        due_on=due,
        rule=rule,
        calendar=f"{cal.label} ({chosen.value})",
        skipped=skipped,
        extended=extended,
        paused_days=paused,
        corresponding_on=unadjusted,
    )


def _roll_forward(day: date, cal: WorkingCalendar) -> tuple[date, list[SkippedDay]]:
    skipped: list[SkippedDay] = []
    while (why := cal.why_not_working(day)) is not None:
        skipped.append(SkippedDay(day, why))
        day += ONE_DAY
    return day, skipped
