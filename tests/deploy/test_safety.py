"""Refuse to run unsafely: with DEBUG off a development or missing key stops a production process;
`manage check --deploy --fail-level WARNING` is clean with DISCRETION_HTTPS=1."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from discretion import safety

GOOD = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "AUDIT_CHECKPOINT_KEY": secrets.token_urlsafe(32),
    "RESEARCH_PSEUDONYM_KEY": secrets.token_hex(32),
    "RESEARCH_PSEUDONYMS": True,
    "DEBUG": False,
}


def _configure(settings, **changes: object) -> None:
    for name, value in {**GOOD, **changes}.items():
        setattr(settings, name, value)


def test_production_keys_pass(settings):
    _configure(settings)
    assert safety.problems() == []
    safety.refuse_to_start()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"SECRET_KEY": safety.DEVELOPMENT_SECRET_KEY}, "SECRET_KEY is the development default"),
        ({"SECRET_KEY": "short-but-random-7f3a"}, "SECRET_KEY is too short"),
        (
            {"AUDIT_CHECKPOINT_KEY": safety.DEVELOPMENT_AUDIT_KEY},
            "DISCRETION_AUDIT_KEY is the development default",
        ),
        ({"AUDIT_CHECKPOINT_KEY": "abc"}, "DISCRETION_AUDIT_KEY is too short"),
        ({"RESEARCH_PSEUDONYM_KEY": ""}, "DISCRETION_RESEARCH_KEY is not set"),
        ({"AUDIT_CHECKPOINT_KEY": GOOD["SECRET_KEY"]}, "must all be different"),
    ],
)
def test_each_unsafe_key_is_refused_by_name(settings, changes, expected):
    _configure(settings, **changes)
    assert any(expected in problem for problem in safety.problems())
    with pytest.raises(ImproperlyConfigured, match="refuses to start"):
        safety.refuse_to_start()
    errors = safety.check_keys()
    assert errors and all(e.id.startswith("discretion.E") for e in errors)


def test_no_research_key_is_fine_when_pseudonyms_are_off(settings):
    _configure(settings, RESEARCH_PSEUDONYM_KEY="", RESEARCH_PSEUDONYMS=False)
    assert safety.problems() == []


def test_debug_on_is_a_development_machine(settings):
    _configure(settings, DEBUG=True, SECRET_KEY=safety.DEVELOPMENT_SECRET_KEY)
    assert safety.problems() == []


def _check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DISCRETION_", "DJANGO_"))}
    base.pop("DATABASE_URL", None)
    base.update(DISCRETION_VAR=str(tmp_path), **env)
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "discretion"),
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_https_and_production_keys(tmp_path):
    result = _check_deploy(
        tmp_path,
        DISCRETION_HTTPS="1",
        SECRET_KEY=GOOD["SECRET_KEY"],
        DISCRETION_AUDIT_KEY=GOOD["AUDIT_CHECKPOINT_KEY"],
        DISCRETION_RESEARCH_KEY=GOOD["RESEARCH_PSEUDONYM_KEY"],
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_development_keys_and_without_https(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode != 0
    for expected in ("discretion.E001", "security.W004", "security.W008", "security.W012"):
        assert expected in result.stderr
