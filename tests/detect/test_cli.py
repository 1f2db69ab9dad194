from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from discretion.cli import main

from .conftest import DATA, KAYDEN, SARAH

# In-process runs read the council database by default (calendar one-off days, known people).
pytestmark = pytest.mark.django_db


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    subjects = tmp_path / "subjects.json"
    subjects.write_text(json.dumps([KAYDEN]))
    staff = tmp_path / "staff.json"
    staff.write_text(json.dumps([SARAH]))
    return subjects, staff


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], stdin: str):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_scan_json(monkeypatch, capsys, files) -> None:
    subjects, staff = files
    text = "Kayden Walsh DOB 3/4/15. Sarah Hughes 01772 123456"
    code, out, _ = run(
        monkeypatch, capsys, ["scan", "--json", "--subjects", str(subjects), "--staff", str(staff)], text
    )
    assert code == 0
    body = json.loads(out)
    assert body["contains_personal_data"] is True
    assert [(f["label"], f.get("subject_ref")) for f in body["findings"]] == [
        ("PERSON", "P000123"),
        ("DOB", "P000123"),
    ]
    assert body["findings"][0]["text"] == "Kayden Walsh"


def test_scan_human_summary_without_subjects_uses_patterns(monkeypatch, capsys, world) -> None:
    # Against the council's database (here with nobody on its records), as a named member of staff.
    who = ["--as", world.staff().username]
    code, out, _ = run(monkeypatch, capsys, ["scan", *who], "Kayden Walsh NHS 943 476 5919")
    assert code == 0
    assert "Personal data found: 1 finding(s)." in out
    assert "NHS_NUMBER" in out and "Kayden" not in out
    code, out, _ = run(monkeypatch, capsys, ["scan", *who], "We hope to see you in May.")
    assert out == "No personal data found.\n"


def test_scan_uses_provider_when_no_subjects_file(monkeypatch, capsys) -> None:
    import argparse

    from discretion.cli_support import OneLineParser
    from discretion.detect import Subject, cli

    parser = OneLineParser(prog="discretion")
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)
    cli.register(sub, subjects_provider=lambda as_user: cli.KnownPeople([Subject.from_json(KAYDEN)]))
    args: argparse.Namespace = parser.parse_args(["scan", "--json"])
    monkeypatch.setattr(sys, "stdin", io.StringIO("kayden walsh"))
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["findings"][0]["subject_ref"] == "P000123"


def test_scan_jsonl_in_order(monkeypatch, capsys, files) -> None:
    subjects, _ = files
    lines = (
        "\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate(["hope", "Kay Walsh", "x"])) + "\n"
    )
    code, out, _ = run(monkeypatch, capsys, ["scan", "--jsonl", "--subjects", str(subjects)], lines)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [0, 1, 2]
    assert [r["contains_personal_data"] for r in rows] == [False, True, False]
    assert rows[1]["findings"] == [{"start": 0, "end": 9, "label": "PERSON", "subject_ref": "P000123"}]


@pytest.mark.parametrize(
    ("argv", "stdin", "needle"),
    [
        (["scan", "--nope"], "", "unrecognized arguments"),
        (["scan", "--jsonl"], "{bad\n", "stdin line 1: bad JSON"),
        (["scan", "--jsonl"], '{"text": "x"}\n', "stdin line 1: id"),
    ],
)
def test_scan_bad_input_exits_2_one_line(monkeypatch, capsys, world, argv, stdin, needle) -> None:
    if "--jsonl" in argv:  # against the council's records: as a named member of staff
        argv = [*argv, "--as", world.staff().username]
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    assert needle in err and err.count("\n") == 1


def test_scan_malformed_subject_names_file_index_field(monkeypatch, capsys, tmp_path: Path) -> None:
    bad = tmp_path / "subjects.json"
    bad.write_text(json.dumps([KAYDEN, {"ref": "P2", "family_name": "X", "dob": "nope"}]))
    code, _, err = run(monkeypatch, capsys, ["scan", "--subjects", str(bad)], "x")
    assert code == 2
    assert f"{bad}: entry 1: dob" in err and err.count("\n") == 1
    bad.write_text("[{")
    code, _, err = run(monkeypatch, capsys, ["scan", "--subjects", str(bad)], "x")
    assert code == 2 and "bad JSON" in err


def test_scan_jsonl_subprocess_on_corpus() -> None:
    rows = (DATA / "outbound_corpus.jsonl").read_text().splitlines()[:20]
    stdin = (
        "\n".join(json.dumps({"id": json.loads(r)["id"], "text": json.loads(r)["text"]}) for r in rows) + "\n"
    )
    proc = subprocess.run(
        [
            str(ROOT / ".venv/bin/discretion"),
            "scan",
            "--jsonl",
            "--subjects",
            str(DATA / "outbound_subjects.json"),
            "--staff",
            str(DATA / "outbound_staff.json"),
        ],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == [json.loads(r)["id"] for r in rows]
    expected = [json.loads(r)["contains_personal_data"] for r in rows]
    assert sum(o["contains_personal_data"] == e for o, e in zip(out, expected, strict=True)) >= 19


def test_scan_jsonl_streams_an_answer_for_each_line_as_it_is_read(files) -> None:
    """Each line is answered before the next is read: memory stays that of one message (issue 14)."""
    import select

    subjects, _ = files
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/discretion"), "scan", "--jsonl", "--subjects", str(subjects)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for n, text in enumerate(["Re Kayden Walsh", "nothing here"]):
            proc.stdin.write(json.dumps({"id": n, "text": text}) + "\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 120)
            assert ready, "no answer while the input is still open"
            assert json.loads(proc.stdout.readline())["id"] == n
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    assert proc.returncode == 0
