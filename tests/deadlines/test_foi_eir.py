"""FOI and EIR clocks: cases written from FOIA s10 and EIR regs 5, 7, 9, each hand-counted.

Hand counts list the working days as "date(n)"; "x" marks a day skipped and why.
"""

from datetime import date

import pytest

from discretion.deadlines import (
    eir_due,
    foi_due,
    foi_extension_limit,
    internal_review_due,
    working_days_between,
)

FOI_CASES = [
    # (received, due, why)
    # Mon 2 Mar 2026: 3-6(4) 9-13(9) 16(10) 17x St Patrick's Day (NI) 18-20(13) 23-27(18) 30(19) 31(20).
    (date(2026, 3, 2), date(2026, 3, 31), "St Patrick's Day in Northern Ireland is not a working day"),
    # Fri 20 Nov 2026: 23-27(5) 30x St Andrew's Day (Scotland) 1-4 Dec(9) 7-11(14) 14-18(19) 21(20).
    (date(2026, 11, 20), date(2026, 12, 21), "St Andrew's Day in Scotland"),
    # Fri 28 Nov 2025: 30 Nov is a Sunday so Mon 1 Dec x (substitute) 2-5(4) 8-12(9) 15-19(14)
    # 22-24(17) 25x 26x Christmas, Boxing Day 29-31(20).
    (date(2025, 11, 28), date(2025, 12, 31), "St Andrew's Day substitute and Christmas"),
    # Fri 10 Jul 2026: 12 Jul is a Sunday so Mon 13 x (NI substitute) 14-17(4) 20-24(9) 27-31(14)
    # 3 Aug x Scotland's summer bank holiday 4-7(18) 10(19) 11(20).
    (date(2026, 7, 10), date(2026, 8, 11), "12 July substitute in NI and Scotland's August holiday"),
    # Fri 9 Jul 2027: Mon 12 Jul x (Battle of the Boyne, NI) 13-16(4) 19-23(9) 26-30(14) 2 Aug x
    # (Scotland) 3-6(18) 9(19) 10(20).
    (date(2027, 7, 9), date(2027, 8, 10), "12 July itself in Northern Ireland"),
    # Fri 12 Jun 2026: Mon 15 Jun x (Scotland's one-off day) 16-19(4) 22-26(9) 29-30(11) 1-3 Jul(14)
    # 6-10(19) 13x (NI 12 July substitute) 14(20).
    (date(2026, 6, 12), date(2026, 7, 14), "Scotland's proclaimed 15 June 2026"),
    # Wed 31 Dec 2025: 1 Jan x 2 Jan x (Scotland's 2 January) 5-9(5) 12-16(10) 19-23(15) 26-30(20).
    (date(2025, 12, 31), date(2026, 1, 30), "New Year's Day and Scotland's 2 January"),
    # Thu 2 Apr 2026: 3 x Good Friday, 6 x Easter Monday (E&W, NI: not Scotland, but any part counts)
    # 7-10(4) 13-17(9) 20-24(14) 27-30(18) 1 May(19) 4 x May Day 5(20).
    (date(2026, 4, 2), date(2026, 5, 5), "Good Friday, Easter Monday and May Day"),
    # Sat 7 Mar 2026 (received on a weekend): day 1 is Mon 9; 9-13(5) 16(6) 17x 18-20(9) 23-27(14)
    # 30-31(16) 1-2 Apr(18) 3x 6x 7(19) 8(20).
    (date(2026, 3, 7), date(2026, 4, 8), "received on a Saturday"),
    # Fri 6 Mar 2026: the same count as the Saturday after it, since day 1 is Mon 9 either way.
    (date(2026, 3, 6), date(2026, 4, 8), "received on the Friday before"),
    # Fri 25 Dec 2026 (received on Christmas Day): 26 Sat, 27 Sun, 28 x Boxing Day substitute
    # 29-31(3) 1 Jan x, 4 Jan x (Scotland: 2 Jan is a Saturday) 5-8(7) 11-15(12) 18-22(17) 25-27(20).
    (date(2026, 12, 25), date(2027, 1, 27), "received on a holiday; Christmas and New Year substitutes"),
    # Fri 24 Dec 2021: 27 x 28 x (Christmas and Boxing Day substitutes) 29-31(3) 3 Jan x (New Year
    # substitute) 4 Jan x (Scotland's 2 Jan substitute) 5-7(6) 10-14(11) 17-21(16) 24-27(20).
    (date(2021, 12, 24), date(2022, 1, 27), "Christmas on a weekend, all the substitutes"),
    # Wed 1 Jun 2022: 2 x (Spring bank holiday moved) 3 x (Platinum Jubilee) 6-10(5) 13-17(10)
    # 20-24(15) 27 Jun-1 Jul(20).
    (date(2022, 6, 1), date(2022, 7, 1), "Platinum Jubilee"),
    # Fri 16 Sep 2022: Mon 19 x (State Funeral) 20-23(4) 26-30(9) 3-7 Oct(14) 10-14(19) 17(20).
    (date(2022, 9, 16), date(2022, 10, 17), "State Funeral of Queen Elizabeth II"),
    # Fri 5 May 2023: Mon 8 x (Coronation) 9-12(4) 15-19(9) 22-26(14) 29 x (Spring) 30-31, 1-2 Jun(18)
    # 5(19) 6(20).
    (date(2023, 5, 5), date(2023, 6, 6), "Coronation of King Charles III"),
]


@pytest.mark.parametrize(("received", "due", "why"), FOI_CASES)
def test_foi_due_hand_counted(received: date, due: date, why: str) -> None:
    deadline = foi_due(received)
    assert deadline.due_on == due, why
    assert working_days_between(received, due) == 20
    assert deadline.working_days == 20
    assert deadline.start_on == received


@pytest.mark.parametrize(("received", "due", "why"), FOI_CASES)
def test_eir_counts_working_days_the_same_way(received: date, due: date, why: str) -> None:
    # EIR reg 5(2): 20 working days after receipt, on the FOIA s10(6) all-UK calendar (ICO practice).
    assert eir_due(received).due_on == due, why


def test_skipped_days_say_why() -> None:
    skipped = {s.day: s.why for s in foi_due(date(2026, 11, 20)).skipped}
    assert skipped[date(2026, 11, 21)] == "Saturday"
    assert skipped[date(2026, 11, 22)] == "Sunday"
    assert skipped[date(2026, 11, 30)] == "St Andrew's Day (Scotland)"
    assert len(skipped) == 11  # five weekends and St Andrew's Day


def test_skipped_days_name_the_nations() -> None:
    skipped = {s.day: s.why for s in foi_due(date(2026, 4, 2)).skipped}
    assert skipped[date(2026, 4, 3)] == "Good Friday (all of the UK)"
    assert skipped[date(2026, 4, 6)] == "Easter Monday (England and Wales, Northern Ireland)"
    substitute = {s.day: s.why for s in foi_due(date(2026, 7, 10)).skipped}[date(2026, 7, 13)]
    assert (
        "Battle of the Boyne" in substitute
        and "substitute" in substitute
        and "Northern Ireland" in substitute
    )
    scotland = {s.day: s.why for s in foi_due(date(2026, 6, 12)).skipped}[date(2026, 6, 15)]
    assert scotland.endswith("(Scotland)")


def test_weekend_holiday_says_both() -> None:
    # 26 Dec 2026 is a Saturday and Boxing Day: a non-working day either way.
    why = {s.day: s.why for s in foi_due(date(2026, 12, 24)).skipped}[date(2026, 12, 26)]
    assert why.startswith("Saturday") and "Boxing Day" in why


def test_rule_cites_the_section() -> None:
    rule = foi_due(date(2026, 3, 2)).rule
    assert "s10(1)" in rule and "s10(6)" in rule and "Monday 2 March 2026" in rule


# Clarification: FOIA s1(3), s10(6)(b) — the date of receipt becomes the day the clarification arrives.
def test_foi_clarification_restarts_the_clock() -> None:
    # Clarification back Mon 9 Mar 2026: 10-13(4) 16(5) 17x 18-20(8) 23-27(13) 30-31(15) 1-2 Apr(17)
    # 3x 6x 7-9(20).
    deadline = foi_due(
        date(2026, 3, 2),
        clarification_requested_on=date(2026, 3, 4),
        clarification_received_on=date(2026, 3, 9),
    )
    assert deadline.due_on == date(2026, 4, 9)
    assert deadline.start_on == date(2026, 3, 9)
    assert deadline.received_on == date(2026, 3, 2)
    assert "s1(3)" in deadline.rule


def test_foi_clarification_arriving_at_a_weekend() -> None:
    # Arrives Sat 7 Mar: day 1 is Mon 9, as for a request received that Saturday.
    deadline = foi_due(
        date(2026, 3, 2),
        clarification_requested_on=date(2026, 3, 4),
        clarification_received_on=date(2026, 3, 7),
    )
    assert deadline.due_on == date(2026, 4, 8)


def test_eir_clarification_restarts_the_twenty_days() -> None:
    # EIR reg 9(4): the 20 days run after the day the further particulars arrive.
    deadline = eir_due(
        date(2026, 3, 2),
        clarification_requested_on=date(2026, 3, 4),
        clarification_received_on=date(2026, 3, 9),
    )
    assert deadline.due_on == date(2026, 4, 9)


# Fees: FOIA s10(2) — the working days from the notice to the fee, both included, do not count.
def test_foi_fee_notice_stops_the_clock() -> None:
    # Received Mon 2 Mar 2026: 3-4(2), notice Thu 5, fee Tue 10: 5, 6, 9, 10 disregarded; 11-13(5)
    # 16(6) 17x 18-20(9) 23-27(14) 30-31(16) 1-2 Apr(18) 3x 6x 7(19) 8(20).
    deadline = foi_due(date(2026, 3, 2), fee_notice_on=date(2026, 3, 5), fee_received_on=date(2026, 3, 10))
    assert deadline.due_on == date(2026, 4, 8)
    assert [d.day for d in deadline.disregarded] == [
        date(2026, 3, 5),
        date(2026, 3, 6),
        date(2026, 3, 9),
        date(2026, 3, 10),
    ]
    assert "s10(2)" in deadline.rule


def test_fee_notice_and_fee_on_the_same_day_lose_one_working_day() -> None:
    deadline = foi_due(date(2026, 3, 2), fee_notice_on=date(2026, 3, 5), fee_received_on=date(2026, 3, 5))
    assert deadline.due_on == date(2026, 4, 1)


def test_fee_paid_on_the_last_day_of_three_months_counts_but_not_after() -> None:
    # FOIA s9(2): three months beginning with the day the notice is given: 5 Mar to 4 Jun 2026.
    ok = foi_due(date(2026, 3, 2), fee_notice_on=date(2026, 3, 5), fee_received_on=date(2026, 6, 4))
    assert ok.due_on > date(2026, 6, 4)
    with pytest.raises(ValueError, match="three months"):
        foi_due(date(2026, 3, 2), fee_notice_on=date(2026, 3, 5), fee_received_on=date(2026, 6, 5))


# Public interest extension: FOIA s10(3); the ICO expects no more than 20 further working days.
def test_foi_extension_limit_is_the_fortieth_working_day() -> None:
    # From the 20th on Tue 31 Mar 2026: 1-2 Apr(22) 3x 6x 7-10(26) 13-17(31) 20-24(36) 27-30(40).
    assert foi_extension_limit(date(2026, 3, 2)) == date(2026, 4, 30)
    assert foi_due(date(2026, 3, 2)).latest_extension_on == date(2026, 4, 30)
    assert working_days_between(date(2026, 3, 2), date(2026, 4, 30)) == 40


def test_foi_extension_is_recorded_and_checked() -> None:
    deadline = foi_due(date(2026, 3, 2), extended_to=date(2026, 4, 20))
    assert deadline.extended and deadline.due_on == date(2026, 4, 20)
    assert "s10(3)" in deadline.rule
    assert deadline.working_days == working_days_between(date(2026, 3, 2), date(2026, 4, 20))
    assert max(s.day for s in deadline.skipped) <= date(2026, 4, 20)
    with pytest.raises(ValueError, match="40th working day"):
        foi_due(date(2026, 3, 2), extended_to=date(2026, 5, 1))
    with pytest.raises(ValueError, match="earlier than the due date"):
        foi_due(date(2026, 3, 2), extended_to=date(2026, 3, 30))


def test_eir_extension_to_forty_working_days() -> None:
    # EIR reg 7(1): complex and voluminous.
    deadline = eir_due(date(2026, 3, 2), extended=True)
    assert deadline.due_on == date(2026, 4, 30) and deadline.extended and deadline.working_days == 40


def test_internal_review_twenty_then_forty() -> None:
    assert internal_review_due(date(2026, 3, 2)).due_on == date(2026, 3, 31)
    assert internal_review_due(date(2026, 3, 2), extended=True).due_on == date(2026, 4, 30)


# Bad input: each is refused with a message, never a silently wrong date.
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"clarification_requested_on": date(2026, 3, 5), "clarification_received_on": date(2026, 3, 4)},
            "before it was asked",
        ),
        ({"clarification_requested_on": date(2026, 3, 5)}, "both"),
        ({"clarification_received_on": date(2026, 3, 5)}, "both"),
        (
            {"clarification_requested_on": date(2026, 3, 1), "clarification_received_on": date(2026, 3, 4)},
            "before the request",
        ),
        (
            {"clarification_requested_on": date(2026, 4, 1), "clarification_received_on": date(2026, 4, 2)},
            "ran out",
        ),
        ({"fee_notice_on": date(2026, 3, 5)}, "both"),
        ({"fee_notice_on": date(2026, 3, 5), "fee_received_on": date(2026, 3, 4)}, "before the fees notice"),
        ({"fee_notice_on": date(2026, 3, 1), "fee_received_on": date(2026, 3, 4)}, "before the request"),
        (
            {"fee_notice_on": date(2026, 4, 1), "fee_received_on": date(2026, 4, 2)},
            "after the request fell due",
        ),
    ],
)
def test_foi_refuses_inconsistent_dates(kwargs: dict[str, date], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        foi_due(date(2026, 3, 2), **kwargs)  # type: ignore[arg-type]


def test_eir_clarification_must_be_asked_within_twenty_days() -> None:
    # EIR reg 9(2): as soon as possible and no later than 20 working days after receipt.
    eir_due(
        date(2026, 3, 2),
        clarification_requested_on=date(2026, 3, 31),
        clarification_received_on=date(2026, 4, 2),
    )
    with pytest.raises(ValueError, match="ran out"):
        eir_due(
            date(2026, 3, 2),
            clarification_requested_on=date(2026, 4, 1),
            clarification_received_on=date(2026, 4, 2),
        )


def test_three_months_from_a_notice_at_the_end_of_a_month_run_to_the_end_of_the_third() -> None:
    """A notice on 31 January has as long to pay as one on 1 February: to 30 April (s9(2))."""
    for notice in (date(2027, 1, 31), date(2027, 2, 1)):
        foi_due(date(2027, 1, 25), fee_notice_on=notice, fee_received_on=date(2027, 4, 30))
        with pytest.raises(ValueError, match="three months"):
            foi_due(date(2027, 1, 25), fee_notice_on=notice, fee_received_on=date(2027, 5, 1))
