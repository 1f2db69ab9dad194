"""The deployment files say what the code does: every command in the compose file and the
systemd units is a real `discretion` (or gunicorn) command line, the units pass
systemd-analyze verify, and the image copies only what exists. (No Docker engine runs here, so
the image itself is built elsewhere: docs/deploy.md.)"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from discretion.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
APP_SERVICES = {"migrate", "web", "worker", "scheduler", "sequencer"}


def _check_command(argv: list[str]) -> None:
    if argv[0] == "gunicorn":
        assert argv[1:] == ["-c", "python:discretion.gunicorn_conf", "discretion.wsgi:application"], argv
        return
    assert argv[0] == "discretion", argv
    if argv[1] == "manage":
        assert argv[2] in {"migrate", "db_worker"}, argv
        return
    build_parser().parse_args(argv[1:])  # exits (SystemExit) on an unknown command or option


def test_compose_runs_every_process_of_the_stack_from_one_image():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "witness"} | APP_SERVICES == set(services)
    for name in APP_SERVICES:
        service = services[name]
        assert (
            service["image"] == "discretion:latest" and service["build"]["dockerfile"] == "deploy/Dockerfile"
        )
        env = service["environment"]
        assert env["DISCRETION_AUDIT_SEQUENCER"] == "daemon" and env["DISCRETION_HTTPS"] == "1"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert "@witness:5432/" in env["DISCRETION_AUDIT_CHECKPOINT_URL"]
        _check_command(service["command"])
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # TLS at the proxy in front
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in APP_SERVICES - {"migrate"}:
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    example = (DEPLOY / "discretion.env.example").read_text()
    for key in ("SECRET_KEY=", "DISCRETION_AUDIT_KEY=", "DISCRETION_RESEARCH_KEY=", "POSTGRES_PASSWORD="):
        assert f"\n{key}\n" in example  # present, and left empty: never a key in the repository


def test_the_image_copies_what_exists_and_runs_gunicorn():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, flags=re.M):
        for path in source.split():
            assert (ROOT / path).exists(), path
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, flags=re.M)
    assert cmd is not None
    _check_command(yaml.safe_load(cmd.group(1)))


def test_systemd_units_verify_and_run_real_commands(tmp_path):
    units = sorted((DEPLOY / "systemd").iterdir())
    names = {u.name for u in units}
    for service in ("web", "worker", "sequencer", "deliver", "audit-sequence", "daily"):
        assert f"discretion-{service}.service" in names
    for timer in ("deliver", "audit-sequence", "daily"):
        assert f"discretion-{timer}.timer" in names
    venv = Path(sys.executable).parent.parent
    (tmp_path / "discretion.env").write_text("")
    for unit in units:
        text = unit.read_text()
        for line in re.findall(r"^ExecStart=(.+)$", text, flags=re.M):
            argv = shlex.split(line)
            assert argv[0].startswith("/opt/discretion/venv/bin/")
            _check_command([Path(argv[0]).name, *argv[1:]])
        # Installed paths become this checkout's, so verify can find the programs.
        text = text.replace("/opt/discretion/venv", str(venv)).replace(
            "/etc/discretion/discretion.env", str(tmp_path / "discretion.env")
        )
        text = re.sub(r"^(User|Group)=discretion$", r"\1=root", text, flags=re.M)
        (tmp_path / unit.name).write_text(text)
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None, (
        "systemd-analyze (Debian: systemd) is installed by scripts/ensure-system-packages.sh"
    )
    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / u.name) for u in units)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
