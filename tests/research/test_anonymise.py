"""k-anonymity and generalisation over plain rows: tables that pass and tables that fail."""

from __future__ import annotations

import datetime as dt

import pytest

from discretion.research import anonymise as a

ON = dt.date(2026, 6, 1)


def row(
    i: int,
    *,
    dob: dt.date = dt.date(2015, 4, 3),
    gender: str = "female",
    ethnicity: str = "White British",
    postcode: str = "BB2 3QX",
    kind: str = "Child in need",
) -> a.SourceRow:
    return a.SourceRow(f"P{i:06d}", dob, gender, ethnicity, postcode, kind, dt.date(2025, 1, 6), None)


def test_generalisations():
    assert a.age_band(dt.date(2015, 6, 2), ON) == "10-15"
    assert a.age_band(dt.date(2015, 6, 1), ON) == "10-15"
    assert a.age_band(dt.date(2009, 6, 2), ON) == "16-17"
    assert a.age_band(None, ON) == "Not known"
    assert a.birth_year(dt.date(2015, 6, 2)) == "2015"
    assert a.postcode_district("bb11 2ab") == "BB11"
    assert a.postcode_district("PR12AB") == "PR1"
    assert a.postcode_district("") == "Not known"


def test_uniform_table_passes_with_no_identifiers():
    table = a.anonymise([row(i) for i in range(10)], ["age_band", "district", "gender"], k=5, on=ON)
    assert table.report.passed and table.report.rows_out == 10 and table.report.suppressed == 0
    assert table.columns == ["age_band", "district", "gender"]
    assert table.rows[0] == {"age_band": "10-15", "district": "BB2", "gender": "female"}
    assert all("P0" not in str(r) for r in table.rows)
    assert table.report.generalised["district"].startswith("postcode reduced")


def test_small_group_is_suppressed_and_reported():
    rows = [row(i) for i in range(20)] + [row(99, postcode="LA1 1AA")]
    table = a.anonymise(rows, ["district"], k=5, on=ON)
    assert table.report.passed
    assert table.report.suppressed == 1 and table.report.rows_out == 20
    assert {r["district"] for r in table.rows} == {"BB2"}
    assert table.report.smallest_group == 20


def test_rare_values_are_grouped_into_other():
    rows = (
        [row(i) for i in range(20)]
        + [row(100 + i, ethnicity="Polish") for i in range(3)]
        + [row(200 + i, ethnicity="Gypsy/Roma") for i in range(2)]
    )
    table = a.anonymise(rows, ["ethnicity"], k=5, on=ON)
    assert table.report.passed and table.report.suppressed == 0
    assert table.report.grouped == {"ethnicity": ["Gypsy/Roma", "Polish"]}
    assert sum(r["ethnicity"] == a.OTHER for r in table.rows) == 5


def test_table_of_unique_rows_fails_and_releases_nothing():
    rows = [row(i, dob=dt.date(2000 + i, 1, 1)) for i in range(12)]
    table = a.anonymise(rows, ["birth_year"], k=5, on=ON)
    assert not table.report.passed
    assert table.rows == []
    assert "fewer than 5 people" in table.report.reason


def test_too_much_suppression_fails():
    rows = [row(i) for i in range(20)] + [row(100 + i, gender="male") for i in range(4)]
    table = a.anonymise(rows, ["gender"], k=5, on=ON, max_suppressed=0.1)
    assert not table.report.passed and table.report.suppressed == 4
    assert "4 of 24 rows" in table.report.reason
    assert a.anonymise(rows, ["gender"], k=5, on=ON, max_suppressed=0.2).report.passed


def test_k_is_configurable():
    rows = [row(i) for i in range(4)]
    assert not a.anonymise(rows, ["gender"], k=5, on=ON).report.passed
    assert a.anonymise(rows, ["gender"], k=3, on=ON).report.passed


def test_pseudonyms_are_stable_keyed_and_outside_the_k_check():
    rows = [row(i) for i in range(6)]
    one = a.anonymise(rows, ["gender"], k=5, on=ON, pseudonym_key=b"key-1")
    again = a.anonymise(rows, ["gender"], k=5, on=ON, pseudonym_key=b"key-1")
    other = a.anonymise(rows, ["gender"], k=5, on=ON, pseudonym_key=b"key-2")
    assert one.columns == ["pseudonym", "gender"]
    assert [r["pseudonym"] for r in one.rows] == [r["pseudonym"] for r in again.rows]
    assert {r["pseudonym"] for r in one.rows}.isdisjoint({r["pseudonym"] for r in other.rows})
    assert len({r["pseudonym"] for r in one.rows}) == 6
    assert "P000001" not in str(one.rows)


def test_bad_fields_and_k():
    with pytest.raises(ValueError, match="unknown fields"):
        a.anonymise([row(1)], ["name"], k=5, on=ON)
    with pytest.raises(ValueError):
        a.anonymise([row(1)], ["gender"], k=1, on=ON)


def test_k_counts_different_people_not_rows():
    """One child with five cases is one child: five identical rows of theirs are not k = 5."""
    one_child = [row(1, gender="male", kind="Secure accommodation") for _ in range(5)]
    others = [row(i) for i in range(10, 30)]
    table = a.anonymise(one_child + others, ["gender", "case_kind"], k=5, on=ON, max_suppressed=0.5)
    assert table.report.passed and table.report.suppressed == 5
    assert all(r["gender"] != "male" for r in table.rows)
    assert a.anonymise(one_child, ["gender"], k=5, on=ON).report.passed is False


def test_rows_leave_sorted_by_value_not_in_record_order():
    """Two extracts in record order could be joined row by row (ICO: the motivated intruder)."""
    rows = [row(i, gender="male" if i % 2 else "female", dob=dt.date(2010 + i % 3, 1, 1)) for i in range(60)]
    table = a.anonymise(rows, ["gender", "birth_year"], k=5, on=ON)
    values = [(r["gender"], r["birth_year"]) for r in table.rows]
    assert table.report.passed and values == sorted(values)


def test_a_refused_table_names_the_fields_at_fault_and_the_coarser_tables_that_pass():
    # Ten children, each with their own year of birth and postcode district: no group of five.
    rows = [
        row(i, dob=dt.date(2008 + i % 5, 3, 1), postcode=f"BB{i % 2 + 1} 1AA" if i < 6 else f"PR{i} 1AA")
        for i in range(10)
    ]
    fields = ["birth_year", "district", "gender"]
    assert not a.anonymise(rows, fields, k=5, on=ON).report.passed
    diagnosis = a.diagnose(rows, fields, k=5, on=ON)
    culprits = dict(diagnosis.culprits)
    assert "birth_year" in culprits and "gender" not in culprits  # everyone is female: no help
    assert diagnosis.alternatives
    for alternative in diagnosis.alternatives:
        # Each was tried against the same check, and passes it.
        assert a.anonymise(rows, alternative.fields, k=5, on=ON).report.passed
        assert alternative.changes
    first = diagnosis.alternatives[0]
    assert len(first.changes) <= len(diagnosis.alternatives[-1].changes)
    assert any(
        "Postcode area" in change or "Broad age group" in change or "leave out" in change
        for alt in diagnosis.alternatives
        for change in alt.changes
    )


def test_coarser_generalisations():
    assert a.age_group(dt.date(2020, 1, 1), ON) == "under 10"
    assert a.age_group(dt.date(2004, 1, 1), ON) == "18-25"
    assert a.generalise(row(1, postcode="BB11 2AB"), ["postcode_area"], ON) == {"postcode_area": "BB"}
