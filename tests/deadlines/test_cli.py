"""`discretion deadline`: the date on stdout, --json detail, exit 2 and one stderr line on bad input."""

import argparse
import json
from datetime import date

import pytest

from discretion.cli import main
from discretion.cli_support import OneLineParser, UsageError
from discretion.deadlines import CalendarOverrides
from discretion.deadlines.cli import register, run

# In-process runs read the council database by default (calendar one-off days, known people).
pytestmark = pytest.mark.django_db


def test_prints_the_iso_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "foi", "--received", "2026-11-20"]) == 0
    assert capsys.readouterr().out == "2026-12-21\n"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["eir", "--received", "2026-03-02", "--extended"], "2026-04-30"),
        (["foi", "--received", "2026-03-02", "--extended"], "2026-04-30"),
        (["sar", "--received", "2027-01-31"], "2027-03-01"),
        (["sar", "--received", "2026-03-03", "--nation", "scotland"], "2026-04-06"),
        (["sar", "--received", "2026-03-02", "--id-received", "2026-03-10"], "2026-04-10"),
        (["sar", "--received", "2026-03-02", "--fee-received", "2026-03-12"], "2026-04-13"),
        (["sar", "--received", "2027-01-31", "--extended"], "2027-04-30"),
        (
            ["foi", "--received", "2026-03-02", "--fee-notice", "2026-03-05", "--fee-received", "2026-03-10"],
            "2026-04-08",
        ),
        (
            [
                "foi",
                "--received",
                "2026-03-02",
                "--clarification-requested",
                "2026-03-04",
                "--clarification-received",
                "2026-03-09",
            ],
            "2026-04-09",
        ),
        (
            [
                "sar",
                "--received",
                "2026-06-01",
                "--clarification-requested",
                "2026-06-05",
                "--clarification-received",
                "2026-06-11",
            ],
            "2026-07-08",
        ),
    ],
)
def test_each_regime(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", *argv]) == 0
    assert capsys.readouterr().out.strip() == expected


def test_json_has_the_rule_and_skipped_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "foi", "--received", "2026-11-20", "--json"]) == 0
    detail = json.loads(capsys.readouterr().out)
    assert detail["due_on"] == "2026-12-21"
    assert "s10(1)" in detail["rule"]
    assert {"day": "2026-11-30", "why": "St Andrew's Day (Scotland)"} in detail["skipped"]


@pytest.mark.parametrize(
    "argv",
    [
        ["foi", "--received", "2026-02-30"],
        ["foi", "--received", "25/11/2026"],
        ["foi"],
        ["fee", "--received", "2026-03-02"],
        ["sar", "--received", "2026-03-02", "--nation", "wales"],
        ["foi", "--received", "2026-03-02", "--clarification-requested", "2026-03-05"],
        ["foi", "--received", "2026-03-02", "--clarification-received", "2026-03-05"],
        [
            "foi",
            "--received",
            "2026-03-02",
            "--clarification-requested",
            "2026-03-05",
            "--clarification-received",
            "2026-03-04",
        ],
        ["sar", "--received", "2026-03-02", "--id-received", "2026-03-01"],
        ["eir", "--received", "2026-03-02", "--id-received", "2026-03-03"],
        ["foi", "--received", "2026-03-02", "--nation", "scotland"],
        ["foi", "--received", "2026-03-02", "--fee-received", "2026-03-05"],
    ],
)
def test_bad_input_exits_2_with_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["deadline", *argv])
    except SystemExit as exc:  # argparse errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("discretion")


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["deadline", "--help"])
    assert exc.value.code == 0
    assert "FOIA s10" in capsys.readouterr().out


def test_overrides_provider_supplies_one_off_days(capsys: pytest.CaptureFixture[str]) -> None:
    parser = OneLineParser(prog="discretion")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    register(subparsers, lambda: CalendarOverrides(added={date(2026, 3, 4): "Proclaimed day"}))
    args = parser.parse_args(["deadline", "foi", "--received", "2026-03-02"])
    assert run(args) == 0
    assert capsys.readouterr().out == "2026-04-01\n"


def test_value_errors_become_usage_errors() -> None:
    args = argparse.Namespace(
        regime="sar",
        received=date(2026, 6, 1),
        clarification_requested=date(2026, 7, 2),
        clarification_received=date(2026, 7, 4),
        id_received=None,
        fee_notice=None,
        fee_received=None,
        extended=False,
        nation="england_wales",
        json=False,
        overrides_provider=None,
    )
    with pytest.raises(UsageError, match="ran out"):
        run(args)
