"""The production stack from the project's own files: `discretion serve` runs gunicorn, the task
worker and the scheduler, serves the sign-in page, and stops cleanly; a production server
refuses to start on development keys."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
LISTENING = re.compile(rb"Listening at: http://127\.0\.0\.1:(\d+)")


def _database_url(settings_dict: dict[str, Any]) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    return f"postgres://{user}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"


def _production_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCRETION_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        DISCRETION_VAR=str(tmp_path / "var"),
        DISCRETION_AUDIT_CHECKPOINT=str(tmp_path / "checkpoint.json"),
        SECRET_KEY=secrets.token_urlsafe(50),
        DISCRETION_AUDIT_KEY=secrets.token_urlsafe(32),
        DISCRETION_RESEARCH_KEY=secrets.token_hex(32),
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_for(process: subprocess.Popen[bytes], log: Path, pattern: re.Pattern[bytes]) -> re.Match[bytes]:
    """Read the log until `pattern` appears (or the process ends: a failure, reported with the log)."""
    deadline = time.monotonic() + 120  # a bound on a hung start, not a speed check
    while time.monotonic() < deadline:
        found = pattern.search(log.read_bytes())
        if found:
            return found
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"not seen: {pattern.pattern!r}\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the whole stack (as systemd or Ctrl-C would), then make sure nothing is left."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except ProcessLookupError:
        pass
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_runs_gunicorn_the_worker_and_the_scheduler_and_serves_the_sign_in_page(
    tmp_path: Path, transactional_db: Any
) -> None:
    from django.db import connection

    env = _production_env(tmp_path, _database_url(connection.settings_dict))
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "discretion"), "serve", "--bind", "127.0.0.1:0", "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        port = int(_wait_for(process, log, LISTENING).group(1))
        _wait_for(process, log, re.compile(rb"Booting worker"))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=60) as response:
            body = response.read().decode()
            assert response.status == 200
            assert response.headers["Server"].startswith("gunicorn")
            assert response.headers["Cache-Control"] == "no-store"
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "Sign in" in body
        _wait_for(process, log, re.compile(rb"Starting worker"))  # the django-tasks database worker
        _wait_for(process, log, re.compile(rb"scheduler started: deliver, audit-sequence, daily"))
    finally:
        alive_before_stop = process.poll() is None
        _stop(process)
    assert alive_before_stop, log.read_text(errors="replace")
    assert not _group_alive(process.pid), "every process of the stack has stopped"


def test_a_production_server_refuses_to_start_on_development_keys(tmp_path: Path) -> None:
    env = _production_env(tmp_path, f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    for name in ("SECRET_KEY", "DISCRETION_AUDIT_KEY", "DISCRETION_RESEARCH_KEY"):
        del env[name]
    result = subprocess.run(
        [
            str(BIN / "gunicorn"),
            "-c",
            "python:discretion.gunicorn_conf",
            "--bind",
            "127.0.0.1:0",
            "discretion.wsgi:application",
        ],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
        start_new_session=True,
    )
    assert result.returncode != 0
    output = result.stderr.decode()
    assert "refuses to start" in output
    assert "SECRET_KEY is the development default" in output
    assert "DISCRETION_AUDIT_KEY is the development default" in output
    assert "DISCRETION_RESEARCH_KEY is not set" in output


def test_serve_refuses_development_keys_with_one_line(tmp_path: Path) -> None:
    env = _production_env(tmp_path, f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    env["SECRET_KEY"] = "discretion-development-key-not-for-production-use-0123456789"
    result = subprocess.run(
        [str(BIN / "discretion"), "serve", "--bind", "127.0.0.1:0"],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1
    assert "SECRET_KEY is the development default" in result.stderr.decode()
