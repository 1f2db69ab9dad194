"""Each misuse signal over a synthetic audit trail: one that should fire, one that must not."""

from __future__ import annotations

import datetime as dt
import itertools

from discretion.staff import misuse
from discretion.staff.misuse import Event, StaffFacts, Thresholds, detect

# A Tuesday; Europe/London is on GMT in January, so UTC hours are local hours.
DAY = dt.datetime(2026, 1, 13, 9, 0, tzinfo=dt.UTC)
ALICE = 1
STAFF = {ALICE: StaffFacts(ALICE, "practitioner")}


def trail(*rows: tuple[int, str, str, str]) -> list[Event]:
    """(minutes after 09:00, action, ip, session) for Alice."""
    seq = itertools.count(1)
    return [
        Event(next(seq), DAY + dt.timedelta(minutes=m), ALICE, action, ip, session)
        for m, action, ip, session in rows
    ]


def kinds(findings: list[misuse.Finding]) -> list[str]:
    return sorted(f.kind for f in findings)


def test_two_addresses_at_once_is_concurrent_use():
    events = trail(
        (0, "auth.sign_in", "10.0.0.1", "s1"),
        (1, "case.read", "10.0.0.1", "s1"),
        (3, "auth.sign_in", "192.168.9.9", "s2"),
        (4, "case.read", "10.0.0.1", "s1"),
    )
    [finding] = detect(events, STAFF)
    assert finding.kind == misuse.CONCURRENT_SESSIONS
    assert finding.evidence["addresses"] == ["10.0.0.1", "192.168.9.9"]
    assert finding.evidence["events"] == [2, 3]


def test_new_address_after_the_window_is_not_concurrent():
    events = trail((0, "auth.sign_in", "10.0.0.1", "s1"), (30, "auth.sign_in", "10.0.0.2", "s2"))
    assert detect(events, STAFF) == []


def test_one_address_many_events_is_not_concurrent():
    events = trail(*[(m, "case.read", "10.0.0.1", "s1") for m in range(10)])
    assert detect(events, STAFF) == []


def test_sign_in_while_absent():
    staff = {
        ALICE: StaffFacts(ALICE, "practitioner", absences=((dt.date(2026, 1, 12), dt.date(2026, 1, 16)),))
    }
    [finding] = detect(trail((0, "auth.sign_in", "10.0.0.1", "s1")), staff)
    assert finding.kind == misuse.ABSENT_SIGN_IN
    assert finding.evidence["date"] == "2026-01-13"


def test_a_password_accepted_while_absent_is_flagged_even_without_the_second_factor():
    # A sign-in counts for the one-session rule only after its second factor; for misuse, a
    # password accepted while the owner is away is already the signal (someone else knows it).
    staff = {
        ALICE: StaffFacts(ALICE, "practitioner", absences=((dt.date(2026, 1, 12), dt.date(2026, 1, 16)),))
    }
    [finding] = detect(trail((0, "auth.first_factor_passed", "10.0.0.1", "s1")), staff)
    assert finding.kind == misuse.ABSENT_SIGN_IN and finding.summary.startswith("Signed in on 2026-01-13")


def test_sign_in_outside_absence_is_quiet():
    staff = {
        ALICE: StaffFacts(ALICE, "practitioner", absences=((dt.date(2026, 1, 1), dt.date(2026, 1, 12)),))
    }
    assert detect(trail((0, "auth.sign_in", "10.0.0.1", "s1")), staff) == []


def test_use_after_end_date():
    staff = {ALICE: StaffFacts(ALICE, "practitioner", end_on=dt.date(2026, 1, 12))}
    [finding] = detect(trail((0, "case.read", "10.0.0.1", "s1")), staff)
    assert finding.kind == misuse.ABSENT_SIGN_IN
    assert finding.evidence["end_on"] == "2026-01-12"
    staff = {ALICE: StaffFacts(ALICE, "practitioner", end_on=dt.date(2026, 1, 13))}
    assert detect(trail((0, "case.read", "10.0.0.1", "s1")), staff) == []


def test_burst_of_refusals():
    events = trail(*[(m * 5, "access.refused", "10.0.0.1", "s1") for m in range(5)])
    [finding] = detect(events, STAFF)
    assert finding.kind == misuse.UNALLOCATED_ACCESS
    assert finding.evidence["events"] == [1, 2, 3, 4, 5]


def test_refusals_spread_over_the_day_are_quiet():
    events = trail(*[(m * 70, "access.refused", "10.0.0.1", "s1") for m in range(6)])
    assert detect(events, STAFF, thresholds=Thresholds(working_end=24)) == []


def test_break_glass_burst_and_a_single_use():
    three = trail(*[(m * 60, "access.break_glass", "10.0.0.1", "s1") for m in range(3)])
    assert kinds(detect(three, STAFF)) == [misuse.UNALLOCATED_ACCESS]
    assert detect(three[:2], STAFF) == []


def test_bulk_reading_against_own_baseline():
    events = trail(*[(m // 2, "person.read", "10.0.0.1", "s1") for m in range(100)])
    [finding] = detect(events, STAFF, baseline={ALICE: 10.0})
    assert finding.kind == misuse.BULK_READING
    assert finding.evidence["count"] == 100
    # A heavy reader whose usual hour is 30 reads is not flagged at 100 (limit 150).
    assert detect(events, STAFF, baseline={ALICE: 30.0}) == []


def test_bulk_reading_needs_the_absolute_minimum():
    events = trail(*[(m, "case.read", "10.0.0.1", "s1") for m in range(30)])
    assert detect(events, STAFF, baseline={ALICE: 1.0}) == []


def test_out_of_hours_reading():
    late = [Event(1, dt.datetime(2026, 1, 13, 23, 30, tzinfo=dt.UTC), ALICE, "case.read", "10.0.0.1", "s1")]
    [finding] = detect(late, STAFF)
    assert finding.kind == misuse.OUT_OF_HOURS
    saturday = [
        Event(1, dt.datetime(2026, 1, 17, 11, 0, tzinfo=dt.UTC), ALICE, "person.read", "10.0.0.1", "s1")
    ]
    assert kinds(detect(saturday, STAFF)) == [misuse.OUT_OF_HOURS]


def test_out_of_hours_is_quiet_in_hours_for_sign_out_and_for_any_hour_roles():
    assert detect(trail((60, "case.read", "10.0.0.1", "s1")), STAFF) == []
    late_sign_out = [Event(1, dt.datetime(2026, 1, 13, 23, 0, tzinfo=dt.UTC), ALICE, "auth.sign_out")]
    assert detect(late_sign_out, STAFF) == []
    late = [Event(1, dt.datetime(2026, 1, 13, 23, 30, tzinfo=dt.UTC), ALICE, "case.read")]
    assert detect(late, STAFF, thresholds=Thresholds(any_hour_roles=frozenset({"practitioner"}))) == []


def test_local_time_is_british_summer_time():
    # 18:30 UTC in July is 19:30 BST: in hours; 19:30 UTC is 20:30 BST: out of hours.
    in_hours = [Event(1, dt.datetime(2026, 7, 14, 18, 30, tzinfo=dt.UTC), ALICE, "case.read")]
    out_hours = [Event(1, dt.datetime(2026, 7, 14, 19, 30, tzinfo=dt.UTC), ALICE, "case.read")]
    assert detect(in_hours, STAFF) == []
    assert kinds(detect(out_hours, STAFF)) == [misuse.OUT_OF_HOURS]


def test_one_finding_per_signal_account_and_day():
    events = trail(*[(m * 2, "access.refused", "10.0.0.1", "s1") for m in range(12)])
    assert len(detect(events, STAFF)) == 1


def test_hourly_baseline():
    events = trail(*[(m, "case.read", "", "") for m in range(10)], (70, "case.read", "", ""))
    assert misuse.hourly_read_baseline(events) == {ALICE: 5.5}


def test_bulk_reading_is_any_60_minutes_not_a_clock_hour():
    """78 reads from 09:31 to 10:19 straddle two clock hours but are one burst."""
    events = trail(*[(31 + m * 48 // 78, "person.read", "10.0.0.1", "s1") for m in range(78)])
    [finding] = detect(events, STAFF, baseline={ALICE: 3.0})
    assert finding.kind == misuse.BULK_READING and finding.evidence["count"] == 78


def test_entry_and_attachment_reads_count_as_reading_records():
    events = trail(
        *[(m // 3, "entry.read" if m % 2 else "attachment.read", "10.0.0.1", "s1") for m in range(60)]
    )
    assert kinds(detect(events, STAFF, baseline={ALICE: 2.0})) == [misuse.BULK_READING]


def test_two_sessions_interleaved_from_one_address_is_concurrent_use():
    """Two devices behind one office router: the same address, two sessions in turn."""
    events = trail(
        (0, "case.read", "10.0.0.1", "laptop"),
        (1, "case.read", "10.0.0.1", "tablet"),
        (2, "case.read", "10.0.0.1", "laptop"),
    )
    [finding] = detect(events, STAFF)
    assert finding.kind == misuse.CONCURRENT_SESSIONS and finding.evidence["sessions"] == ["tablet", "laptop"]
    # Signing in again on another device ends the first session: not concurrent.
    moved = trail((0, "case.read", "10.0.0.1", "laptop"), (1, "case.read", "10.0.0.1", "tablet"))
    assert detect(moved, STAFF) == []


def test_records_used_while_absent_without_signing_in():
    """An API token reads records on a day the account holder is recorded as absent."""
    absent = {ALICE: StaffFacts(ALICE, "practitioner", absences=((DAY.date(), DAY.date()),))}
    [finding] = detect(trail((5, "person.read", "10.0.0.1", "")), absent)
    assert finding.kind == misuse.ABSENT_SIGN_IN and "Records used" in finding.summary


def test_a_bank_holiday_is_out_of_hours_all_day():
    """Records used at 11:00 on Boxing Day 2025 (a Friday) by a role that does not work then."""
    boxing_day = dt.date(2025, 12, 26)
    at = [Event(1, dt.datetime(2025, 12, 26, 11, 0, tzinfo=dt.UTC), ALICE, "case.read", "10.0.0.1", "s1")]
    assert detect(at, STAFF) == []
    found = detect(at, STAFF, thresholds=Thresholds(holidays=frozenset({boxing_day})))
    assert kinds(found) == [misuse.OUT_OF_HOURS]
