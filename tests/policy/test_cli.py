"""`discretion decide`: stdin facts to stdout decision; bad input exits 2 with one line on stderr."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from discretion.cli import main

MEDIA = {"requester": {"category": "media"}, "information": ["aggregate"]}
POLICE = {
    "requester": {"category": "police"},
    "channel": "phone",
    "purpose": "missing_child",
    "information": ["child_personal"],
}


def run(monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["decide", *args])


def test_decide_prints_the_decision(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(monkeypatch, json.dumps(MEDIA)) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["outcome", "route_to", "conditions", "reasons", "missing"]
    assert out["outcome"] == "refer"
    assert out["route_to"] == ["press_office"]
    assert out["reasons"][0]["rule"] == "1.5-media"
    assert out["reasons"][0]["paragraph"] == "1.5"


def test_jsonl_one_decision_a_line_in_order_blank_lines_ignored(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    police_approved = {
        **POLICE,
        "requester": {"category": "police", "identity_verified": True, "entitlement_verified": True},
        "approvals": ["manager"],
    }
    stdin = "\n".join([json.dumps(MEDIA), "", json.dumps(POLICE), "   ", json.dumps(police_approved), ""])
    assert run(monkeypatch, stdin, "--jsonl") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["outcome"] for line in lines] == ["refer", "refer", "share"]


@pytest.mark.parametrize(
    ("stdin", "args", "expected"),
    [
        (
            '{"requester": {"category": "cop"}}',
            (),
            "unknown value 'cop' for requester.category; allowed: colleague",
        ),
        ("{not json", (), "malformed JSON"),
        ("", (), "no facts on stdin"),
        ("[1, 2]", (), "facts must be a JSON object"),
        (
            json.dumps(MEDIA) + '\n{"requester": {"category": "media"}, "channel": "fax"}\n',
            ("--jsonl",),
            "line 2: unknown value 'fax' for channel; allowed: phone, email",
        ),
        (json.dumps(MEDIA) + "\n\n{oops\n", ("--jsonl",), "line 3: malformed JSON"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_problem(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stdin: str,
    args: tuple[str, ...],
    expected: str,
) -> None:
    assert run(monkeypatch, stdin, *args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert expected in captured.err


def test_bad_policy_file_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "council.json"
    bad.write_text('{"council": "x", "rules": {}, "routes": {}}', encoding="utf-8")
    assert run(monkeypatch, json.dumps(MEDIA), "--policy-file", str(bad)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rules.1.1-lawful is missing" in err


def test_help_describes_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["decide", "--help"])
    assert caught.value.code == 0
    assert "--jsonl" in capsys.readouterr().out


def test_real_subprocess() -> None:
    script = Path(sys.prefix) / "bin" / "discretion"
    if not script.exists():
        script = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "discretion"
    done = subprocess.run(
        [str(script), "decide"], input=json.dumps(POLICE), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    assert decision["outcome"] == "refer"
    assert "manager" in decision["route_to"]
    bad = subprocess.run(
        [str(script), "decide"],
        input='{"requester": {"category": "cop"}}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.strip().endswith("outside_body") and bad.stderr.count("\n") == 1
