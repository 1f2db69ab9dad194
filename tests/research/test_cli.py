"""`discretion extract --request ID --out FILE.csv` (called in-process, as the CLI module is wired)."""

from __future__ import annotations

import argparse
import json

import pytest

from discretion.cli_support import UsageError
from discretion.disclosures.models import Disclosure
from discretion.research import cli


@pytest.fixture(autouse=True)
def _no_second_setup(monkeypatch):
    # Django is already set up by pytest; the real setup would also leave a CLI audit context behind.
    monkeypatch.setattr("discretion.commands.setup_django", lambda: None)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    return parser.parse_args(["extract", *argv])


def test_extract_writes_the_csv_and_registers_it(people, children, approved, tmp_path, capsys):
    out = tmp_path / "extract.csv"
    code = cli.run_extract(
        parse("--request", str(approved.pk), "--out", str(out), "--as", people["research"].username)
    )
    assert code == 0
    assert out.read_text().splitlines()[0] == "district,gender"
    printed = json.loads(capsys.readouterr().out)
    assert printed["released"] is True and printed["rows"] == 20
    assert Disclosure.objects.get().pk == printed["disclosure"]


def test_extract_usage_errors(people, approved, tmp_path):
    with pytest.raises(UsageError, match="unknown user"):
        cli.run_extract(
            parse("--request", str(approved.pk), "--out", str(tmp_path / "x.csv"), "--as", "nobody")
        )
    with pytest.raises(UsageError, match="research governance"):
        cli.run_extract(
            parse(
                "--request",
                str(approved.pk),
                "--out",
                str(tmp_path / "x.csv"),
                "--as",
                people["worker"].username,
            )
        )
    with pytest.raises(UsageError, match="does not exist"):
        cli.run_extract(
            parse(
                "--request",
                str(approved.pk),
                "--out",
                str(tmp_path / "no" / "x.csv"),
                "--as",
                people["research"].username,
            )
        )
    assert not Disclosure.objects.exists()
