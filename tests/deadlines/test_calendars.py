"""Calendars, overrides, dates-not-datetimes, and the dashboard counters."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from discretion.deadlines import (
    CalendarOverrides,
    Rag,
    days_left,
    foi_calendar,
    foi_due,
    is_working_day,
    nation_calendar,
    rag_status,
    received_on_from,
    sar_due,
    working_days_between,
)
from discretion.deadlines.calendars import easter_sunday


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 4, 6), "Easter Monday (England and Wales, Northern Ireland)"),
        (date(2026, 1, 2), "New Year Holiday (Scotland)"),
        (date(2026, 11, 30), "St Andrew's Day (Scotland)"),
        (date(2025, 12, 1), "St Andrew's Day (substitute day) (Scotland)"),
        (date(2026, 3, 17), "St Patrick's Day (Northern Ireland)"),
        (date(2027, 7, 12), "Battle of the Boyne (Northern Ireland)"),
        (date(2026, 7, 13), "Battle of the Boyne (substitute day) (Northern Ireland)"),
        (date(2026, 8, 3), "Summer Bank Holiday (Scotland)"),
        (date(2026, 8, 31), "Late Summer Bank Holiday (England and Wales, Northern Ireland)"),
        (date(2026, 12, 28), "Boxing Day (substitute day) (all of the UK)"),
        (date(2022, 6, 3), "Platinum Jubilee of Elizabeth II (all of the UK)"),
    ],
)
def test_foi_calendar_knows_every_part_of_the_uk(day: date, why: str) -> None:
    # FOIA s10(6): a bank holiday anywhere in the UK is not a working day.
    assert not is_working_day(day)
    assert foi_calendar().why_not_working(day) == why


def test_scotland_2026_one_off_day() -> None:
    why = foi_calendar().why_not_working(date(2026, 6, 15))
    assert why is not None and why.endswith("(Scotland)")
    assert not nation_calendar("scotland").is_working_day(date(2026, 6, 15))
    assert nation_calendar("england_wales").is_working_day(date(2026, 6, 15))


def test_nation_calendars_differ() -> None:
    easter_monday = date(2026, 4, 6)
    assert nation_calendar("scotland").is_working_day(easter_monday)
    assert not nation_calendar("england_wales").is_working_day(easter_monday)
    assert not nation_calendar("northern_ireland").is_working_day(easter_monday)
    assert nation_calendar("england_wales").is_working_day(date(2026, 11, 30))


def test_easter() -> None:
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2027) == date(2027, 3, 28)
    assert easter_sunday(2038) == date(2038, 4, 25)


def test_an_ordinary_weekday_is_a_working_day() -> None:
    assert is_working_day(date(2026, 3, 4))
    assert foi_calendar().why_not_working(date(2026, 3, 4)) is None


# Overrides: a council's admin adds a proclaimed day or removes one.
def test_added_day_moves_the_foi_date() -> None:
    overrides = CalendarOverrides(added={date(2026, 3, 4): "Proclaimed bank holiday"}, removed=frozenset())
    deadline = foi_due(date(2026, 3, 2), overrides=overrides)
    assert deadline.due_on == date(2026, 4, 1)  # one working day later than 31 March
    assert {s.day: s.why for s in deadline.skipped}[date(2026, 3, 4)] == "Proclaimed bank holiday"


def test_removed_day_moves_the_foi_date() -> None:
    overrides = CalendarOverrides(added={}, removed=frozenset({date(2026, 11, 30)}))
    assert foi_due(date(2026, 11, 20), overrides=overrides).due_on == date(2026, 12, 18)


def test_christmas_day_and_good_friday_cannot_be_removed() -> None:
    # FOIA s10(6) names them outright.
    overrides = CalendarOverrides(removed=frozenset({date(2026, 12, 25), date(2026, 4, 3)}))
    cal = foi_calendar(overrides)
    assert not cal.is_working_day(date(2026, 12, 25))
    assert not cal.is_working_day(date(2026, 4, 3))


def test_overrides_apply_to_subject_access_too() -> None:
    # 2 Mar 2026 -> Thursday 2 April; a one-off day that day moves it to Tuesday 7 April (after Easter).
    overrides = CalendarOverrides(added={date(2026, 4, 2): "One-off day"})
    assert sar_due(date(2026, 3, 2), overrides=overrides).due_on == date(2026, 4, 7)


def test_overrides_are_values() -> None:
    a = CalendarOverrides(added={date(2026, 3, 4): "X"}, removed=frozenset({date(2026, 11, 30)}))
    b = CalendarOverrides(added={date(2026, 3, 4): "X"}, removed=frozenset({date(2026, 11, 30)}))
    assert a == b and hash(a) == hash(b)
    assert foi_calendar(a) is foi_calendar(b)  # cached per overrides
    with pytest.raises(ValueError, match="both added and removed"):
        CalendarOverrides(added={date(2026, 3, 4): "X"}, removed=frozenset({date(2026, 3, 4)}))
    with pytest.raises(TypeError):
        CalendarOverrides(added={datetime(2026, 3, 4, tzinfo=UTC): "X"})


# Dates are dates, never datetimes.
@pytest.mark.parametrize(
    "bad", [datetime(2026, 3, 2, 9, 0, tzinfo=UTC), datetime(2026, 3, 2), "2026-03-02", 20260302]
)
def test_datetimes_and_strings_are_refused(bad: object) -> None:
    with pytest.raises(TypeError):
        foi_due(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sar_due(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        foi_due(date(2026, 3, 2), fee_notice_on=bad, fee_received_on=date(2026, 3, 5))  # type: ignore[arg-type]


def test_received_on_from_uses_the_london_date() -> None:
    london = ZoneInfo("Europe/London")
    # 23:59 on a Friday in London was received on Friday.
    assert received_on_from(datetime(2026, 11, 27, 23, 59, tzinfo=london)) == date(2026, 11, 27)
    # 23:30 UTC on Friday 3 July 2026 is 00:30 Saturday in British Summer Time.
    assert received_on_from(datetime(2026, 7, 3, 23, 30, tzinfo=UTC)) == date(2026, 7, 4)
    # In winter London is on UTC.
    assert received_on_from(datetime(2026, 1, 9, 23, 30, tzinfo=UTC)) == date(2026, 1, 9)
    with pytest.raises(ValueError, match="aware"):
        received_on_from(datetime(2026, 1, 9, 23, 30))
    with pytest.raises(TypeError):
        received_on_from(date(2026, 1, 9))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="time zone"):
        received_on_from(datetime(2026, 1, 9, tzinfo=UTC), tz="Mars/Olympus")


def test_working_days_between_is_signed() -> None:
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 31)) == 20
    assert working_days_between(date(2026, 3, 31), date(2026, 3, 2)) == -20
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


# days_left and rag_status: due Tuesday 31 March 2026.
@pytest.mark.parametrize(
    ("today", "left", "rag"),
    [
        (date(2026, 3, 23), 6, Rag.GREEN),
        (date(2026, 3, 24), 5, Rag.AMBER),
        (date(2026, 3, 26), 3, Rag.AMBER),
        (date(2026, 3, 27), 2, Rag.RED),
        (date(2026, 3, 28), 2, Rag.RED),  # Saturday: Mon 30 and Tue 31 left
        (date(2026, 3, 31), 0, Rag.RED),  # due today
        (date(2026, 4, 1), -1, Rag.RED),  # overdue
        (date(2026, 4, 7), -3, Rag.RED),  # 1, 2, (Easter skipped), 7 April
    ],
)
def test_days_left_and_rag(today: date, left: int, rag: Rag) -> None:
    due = date(2026, 3, 31)
    assert days_left(due, today) == left
    assert rag_status(due, today) is rag


def test_days_left_on_a_nation_calendar() -> None:
    # SAR due Tue 7 Apr 2026 in England; on Thu 2 Apr only 7 April itself is left (Easter).
    assert days_left(date(2026, 4, 7), date(2026, 4, 2), nation_calendar("england_wales")) == 1
    assert days_left(date(2026, 4, 7), date(2026, 4, 2), nation_calendar("scotland")) == 2


def test_years_are_built_once() -> None:
    cal = foi_calendar()
    first = cal.holidays_in(2026)
    assert cal.holidays_in(2026) is first
    assert date(2026, 12, 25) in first and date(2026, 12, 25) + timedelta(days=1) in first
