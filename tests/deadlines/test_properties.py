"""Properties that must hold for any date, checked with hypothesis over 2020-2030."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from discretion.deadlines import (
    add_months,
    eir_due,
    foi_calendar,
    foi_due,
    foi_extension_limit,
    nation_calendar,
    sar_due,
    working_days_between,
)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
nations = st.sampled_from(["england_wales", "scotland", "northern_ireland"])
FAST = settings(max_examples=150, deadline=None)


@FAST
@given(days)
def test_foi_due_is_a_working_day_exactly_twenty_working_days_on(received: date) -> None:
    deadline = foi_due(received)
    cal = foi_calendar()
    assert cal.is_working_day(deadline.due_on)
    assert working_days_between(received, deadline.due_on) == 20
    # Every day skipped really is a non-working day, and every other day in between was counted.
    skipped = {s.day for s in deadline.skipped}
    span = [received + timedelta(days=n) for n in range(1, (deadline.due_on - received).days + 1)]
    assert skipped == {d for d in span if not cal.is_working_day(d)}
    assert eir_due(received).due_on == deadline.due_on
    assert foi_extension_limit(received) > deadline.due_on


@FAST
@given(days, nations, st.booleans())
def test_sar_due_is_never_before_the_corresponding_date(received: date, nation: str, extended: bool) -> None:
    deadline = sar_due(received, nation=nation, extended=extended)
    corresponding = add_months(received, 3 if extended else 1)
    cal = nation_calendar(nation)
    assert deadline.due_on >= corresponding
    assert cal.is_working_day(deadline.due_on)
    # Rolled forward only over non-working days, never further.
    assert all(
        not cal.is_working_day(corresponding + timedelta(days=n))
        for n in range((deadline.due_on - corresponding).days)
    )


@FAST
@given(days, st.integers(0, 15), st.integers(0, 40))
def test_foi_clarification_never_makes_the_deadline_earlier(
    received: date, ask_after: int, wait: int
) -> None:
    asked = received + timedelta(days=ask_after)
    plain = foi_due(received)
    if asked > plain.due_on:
        return
    clarified = foi_due(
        received, clarification_requested_on=asked, clarification_received_on=asked + timedelta(days=wait)
    )
    assert clarified.due_on >= plain.due_on


@FAST
@given(days, nations, st.integers(0, 25), st.integers(0, 40))
def test_sar_clarification_never_makes_the_deadline_earlier(
    received: date, nation: str, ask_after: int, wait: int
) -> None:
    plain = sar_due(received, nation=nation)
    asked = received + timedelta(days=ask_after)
    if asked > plain.due_on:
        return
    clarified = sar_due(
        received,
        nation=nation,
        clarification_requested_on=asked,
        clarification_received_on=asked + timedelta(days=wait),
    )
    assert clarified.due_on >= plain.due_on
    assert clarified.paused_days == wait + 1


@FAST
@given(days, st.integers(0, 10), st.integers(0, 30))
def test_foi_fee_notice_never_makes_the_deadline_earlier(
    received: date, notice_after: int, wait: int
) -> None:
    notice = received + timedelta(days=notice_after)
    plain = foi_due(received)
    deadline = foi_due(received, fee_notice_on=notice, fee_received_on=notice + timedelta(days=wait))
    assert deadline.due_on >= plain.due_on
    # The clock counted 20 working days outside the fee window.
    assert working_days_between(received, deadline.due_on) == 20 + len(deadline.disregarded)
