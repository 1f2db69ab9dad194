"""Subject access: UK GDPR Art 12(3) and Art 12A, ICO right of access "How long do we have to comply?".

One month from the relevant day to the corresponding date of the next month (3 March -> 3 April), the
month's last day when there is no such date, then the next working day of the council's own nation.
"""

from datetime import date

import pytest

from discretion.deadlines import Nation, add_months, sar_due

SAR_CASES = [
    # (received, nation, due, why)
    # The ICO's own example: 3 September -> 3 October (a Friday in 2025).
    (date(2025, 9, 3), "england_wales", date(2025, 10, 3), "corresponding date"),
    # 31 Jan 2027 -> no 31 Feb, so 28 Feb 2027, a Sunday -> Monday 1 March.
    (date(2027, 1, 31), "england_wales", date(2027, 3, 1), "short February ending on a Sunday"),
    # 31 Jan 2028 -> 29 Feb 2028 (leap year), a Tuesday.
    (date(2028, 1, 31), "england_wales", date(2028, 2, 29), "leap-year February"),
    # 30 Jan 2026 -> 28 Feb 2026 is a Saturday -> Monday 2 March.
    (date(2026, 1, 30), "england_wales", date(2026, 3, 2), "short February on a Saturday"),
    # 29 Feb 2028 -> 29 Mar 2028, a Wednesday.
    (date(2028, 2, 29), "england_wales", date(2028, 3, 29), "from a leap day"),
    # 31 Mar 2026 -> no 31 April, so Thursday 30 April.
    (date(2026, 3, 31), "england_wales", date(2026, 4, 30), "into a 30-day month"),
    # 31 May 2026 -> Tuesday 30 June.
    (date(2026, 5, 31), "england_wales", date(2026, 6, 30), "into June"),
    # 30 Apr 2026 -> Saturday 30 May -> Monday 1 June (Spring bank holiday was 25 May).
    (date(2026, 4, 30), "england_wales", date(2026, 6, 1), "30-day month to a weekend"),
    # 3 Mar 2026 -> 3 Apr 2026 is Good Friday; Sat, Sun, Easter Monday (E&W) -> Tuesday 7 April.
    (date(2026, 3, 3), "england_wales", date(2026, 4, 7), "Easter in England and Wales"),
    # In Scotland Easter Monday is not a bank holiday -> Monday 6 April.
    (date(2026, 3, 3), "scotland", date(2026, 4, 6), "Easter in Scotland"),
    # Northern Ireland keeps Easter Monday.
    (date(2026, 3, 3), "northern_ireland", date(2026, 4, 7), "Easter in Northern Ireland"),
    # 12 Jun 2026 -> Sunday 12 July -> Monday 13 July is the NI substitute -> Tuesday 14 July in NI.
    (date(2026, 6, 12), "northern_ireland", date(2026, 7, 14), "12 July substitute in NI"),
    (date(2026, 6, 12), "england_wales", date(2026, 7, 13), "no 12 July holiday in England"),
    # 30 Oct 2026 -> Monday 30 November: St Andrew's Day in Scotland only.
    (date(2026, 10, 30), "scotland", date(2026, 12, 1), "St Andrew's Day in Scotland"),
    (date(2026, 10, 30), "england_wales", date(2026, 11, 30), "not a holiday in England"),
    # 1 Nov 2025 -> Monday 1 December 2025 is Scotland's St Andrew's Day substitute (30 Nov a Sunday).
    (date(2025, 11, 1), "scotland", date(2025, 12, 2), "St Andrew's Day substitute"),
    # 2 Dec 2025 -> Friday 2 January 2026: Scotland's 2 January -> Monday 5 January.
    (date(2025, 12, 2), "scotland", date(2026, 1, 5), "Scotland's 2 January"),
    (date(2025, 12, 2), "england_wales", date(2026, 1, 2), "2 January works in England"),
    # 17 Feb 2026 -> Tuesday 17 March: St Patrick's Day in NI only.
    (date(2026, 2, 17), "northern_ireland", date(2026, 3, 18), "St Patrick's Day"),
    (date(2026, 2, 17), "england_wales", date(2026, 3, 17), "not in England"),
    # 15 May 2026 -> Monday 15 June 2026: Scotland's proclaimed day.
    (date(2026, 5, 15), "scotland", date(2026, 6, 16), "Scotland's 15 June 2026"),
    # 25 Nov 2026 -> Friday 25 December; Sat 26, Sun 27, Monday 28 (Boxing Day substitute) -> 29th.
    (date(2026, 11, 25), "england_wales", date(2026, 12, 29), "Christmas and the Boxing Day substitute"),
    # 19 Aug 2022 -> Monday 19 Sep 2022, the State Funeral bank holiday -> Tuesday 20 Sep.
    (date(2022, 8, 19), "england_wales", date(2022, 9, 20), "State Funeral, 19 Sep 2022"),
    # 8 Apr 2023 -> Monday 8 May 2023, the Coronation bank holiday -> Tuesday 9 May.
    (date(2023, 4, 8), "england_wales", date(2023, 5, 9), "Coronation"),
    # Received on a Sunday: the month still runs from that day (ICO: "whether a working day or not").
    (date(2026, 3, 1), "england_wales", date(2026, 4, 1), "received on a Sunday"),
]


@pytest.mark.parametrize(("received", "nation", "due", "why"), SAR_CASES)
def test_sar_due(received: date, nation: str, due: date, why: str) -> None:
    assert sar_due(received, nation=nation).due_on == due, why


def test_default_nation_is_england_and_wales() -> None:
    assert sar_due(date(2026, 3, 3)).due_on == sar_due(date(2026, 3, 3), nation=Nation.ENGLAND_WALES).due_on


def test_rolled_days_say_why() -> None:
    deadline = sar_due(date(2026, 3, 3))
    assert [s.day for s in deadline.skipped] == [date(2026, 4, d) for d in (3, 4, 5, 6)]
    assert deadline.skipped[0].why == "Good Friday (England and Wales)"
    assert deadline.corresponding_on == date(2026, 4, 3)
    assert "Art 12(3)" in deadline.rule


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_identity_evidence_starts_the_month() -> None:
    # Art 12A: the relevant day is the latest of request, identity evidence and fee.
    deadline = sar_due(date(2026, 3, 2), id_received_on=date(2026, 3, 10))
    assert deadline.start_on == date(2026, 3, 10)
    assert deadline.due_on == date(2026, 4, 10)  # a Friday


def test_latest_of_identity_and_fee() -> None:
    # Fee on 12 Mar 2026 -> Sunday 12 April -> Monday 13 April.
    deadline = sar_due(date(2026, 3, 2), id_received_on=date(2026, 3, 10), fee_received_on=date(2026, 3, 12))
    assert deadline.start_on == date(2026, 3, 12)
    assert deadline.due_on == date(2026, 4, 13)


def test_extension_is_three_months_from_the_same_start() -> None:
    # ICO: calculate the extension as three months from the original start date.
    # 31 Jan 2027 + 3 months -> no 31 April, so Friday 30 April 2027.
    assert sar_due(date(2027, 1, 31), extended=True).due_on == date(2027, 4, 30)
    # 30 Nov 2026 + 3 months -> 28 Feb 2027, a Sunday -> Monday 1 March.
    deadline = sar_due(date(2026, 11, 30), extended=True)
    assert deadline.due_on == date(2027, 3, 1) and deadline.extended
    # From the identity evidence, not the request.
    assert sar_due(date(2026, 3, 2), id_received_on=date(2026, 3, 10), extended=True).due_on == date(
        2026, 6, 10
    )


def test_clarification_stops_the_clock_both_days_included() -> None:
    # Art 12A (as DPA 2018 s54(3C)): the period from the day clarification is asked for to the day it
    # arrives does not count. 1 Jun 2026 -> 1 Jul; asked 5 Jun, answered 11 Jun: 7 days -> Wed 8 Jul.
    deadline = sar_due(
        date(2026, 6, 1),
        clarification_requested_on=date(2026, 6, 5),
        clarification_received_on=date(2026, 6, 11),
    )
    assert deadline.paused_days == 7
    assert deadline.due_on == date(2026, 7, 8)
    assert "Art 12A" in deadline.rule


def test_clarification_on_the_same_day_stops_one_day() -> None:
    deadline = sar_due(
        date(2026, 6, 1),
        clarification_requested_on=date(2026, 6, 5),
        clarification_received_on=date(2026, 6, 5),
    )
    assert deadline.due_on == date(2026, 7, 2)


def test_clarification_pause_is_added_before_rolling_forward() -> None:
    # 3 Mar 2026 -> 3 Apr; 3 days paused -> Easter Monday 6 April -> Tuesday 7 April in England,
    # but Monday 6 April is a working day in Scotland.
    kwargs = {"clarification_requested_on": date(2026, 3, 10), "clarification_received_on": date(2026, 3, 12)}
    assert sar_due(date(2026, 3, 3), **kwargs).due_on == date(2026, 4, 7)  # type: ignore[arg-type]
    assert sar_due(date(2026, 3, 3), nation="scotland", **kwargs).due_on == date(2026, 4, 6)  # type: ignore[arg-type]


def test_clarification_after_a_short_month_end() -> None:
    # 31 Jan 2028 -> 29 Feb 2028 (leap year); paused 1-2 Feb (2 days) -> Thursday 2 March 2028.
    deadline = sar_due(
        date(2028, 1, 31),
        clarification_requested_on=date(2028, 2, 1),
        clarification_received_on=date(2028, 2, 2),
    )
    assert deadline.due_on == date(2028, 3, 2)


def test_pause_before_the_relevant_day_is_not_counted_twice() -> None:
    # Clarification asked on receipt (1 Jun), identity evidence on 5 Jun, clarification back on 8 Jun:
    # the month runs from 5 Jun, so only 5-8 Jun (4 days) was time that stopped counting.
    deadline = sar_due(
        date(2026, 6, 1),
        id_received_on=date(2026, 6, 5),
        clarification_requested_on=date(2026, 6, 1),
        clarification_received_on=date(2026, 6, 8),
    )
    assert deadline.paused_days == 4
    assert deadline.due_on == date(2026, 7, 9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"clarification_requested_on": date(2026, 6, 5), "clarification_received_on": date(2026, 6, 4)},
            "before it was asked",
        ),
        ({"clarification_received_on": date(2026, 6, 4)}, "both"),
        (
            {"clarification_requested_on": date(2026, 5, 31), "clarification_received_on": date(2026, 6, 4)},
            "before the request",
        ),
        (
            {"clarification_requested_on": date(2026, 7, 2), "clarification_received_on": date(2026, 7, 4)},
            "ran out",
        ),
        ({"id_received_on": date(2026, 5, 30)}, "before the request"),
        ({"fee_received_on": date(2026, 5, 30)}, "before the request"),
        ({"nation": "wales"}, "unknown nation"),
    ],
)
def test_sar_refuses_inconsistent_input(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sar_due(date(2026, 6, 1), **kwargs)  # type: ignore[arg-type]
