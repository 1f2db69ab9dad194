"""Stored codes and UTC times in the words and time zone a council reads."""

from __future__ import annotations

from discretion.web.templatetags.plain_words import london_time, plain_action, plain_code, plain_purpose


def test_audit_times_are_shown_in_london_time():
    assert london_time("2026-07-01T12:05:00+00:00") == "1 July 2026, 1:05 pm"  # summer time
    assert london_time("2026-12-03T00:30:00Z") == "3 December 2026, 12:30 am"
    assert london_time("not a time") == "not a time"


def test_codes_become_words():
    assert plain_action("case.read") == "Opened a case"
    assert plain_action("alert.reviewed") == "Reviewed an alert"
    assert "_" not in plain_action("ir.sar.redaction_decided") and "." not in plain_action(
        "ir.sar.redaction_decided"
    )
    assert plain_purpose("missing_child") == "Finding a missing child"
    assert plain_code("info_request") == "info request"
