"""Load test of the production stack: gunicorn and the audit sequencer on PostgreSQL, driven by
Locust (headless) with distinct signed-in social workers each working their own caseload.

In one run, at each level of concurrent users (default 10, 40, 80): the audited stack, then the
same stack with the audit append switched off (bench/unaudited_wsgi.py), each for the same time
and each with accounts that have not signed in before (a fresh sign-in per user: password and
authenticator code through the real pages). Requests/s, p50/p95/p99 and errors per run, the
machine's load average, and the ratio audited ÷ unaudited. After the audited runs `audit verify`
must pass and the signed checkpoint must equal the chain's head.

Run on PostgreSQL (make bench does): scripts/with-postgres.sh .venv/bin/python bench/bench_load.py
--size medium. Writes bench/results/load-postgresql-<size>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
os.environ.setdefault("DISCRETION_AUDIT_CHECKPOINT", str(Path(tempfile.mkdtemp()) / "checkpoint.json"))
KEYS = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DISCRETION_AUDIT_KEY": secrets.token_urlsafe(32),
    "DISCRETION_RESEARCH_KEY": secrets.token_hex(32),
}
os.environ.update(KEYS)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from discretion import seed  # noqa: E402
from discretion.audit import services as audit  # noqa: E402
from discretion.audit.models import AuditEvent  # noqa: E402
from discretion.staff import security  # noqa: E402
from discretion.staff.models import Acknowledgement, PolicyVersion, Role, Staff  # noqa: E402

LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "engine": connection.vendor,
        "load_average_at_start": os.getloadavg(),
    }


def social_workers(count: int) -> list[str]:
    """Practitioners with a caseload of their own (at least five current cases), ready to sign in:
    the policy acknowledged and an authenticator device (the synthetic demo key)."""
    today = timezone.localdate()
    current = Q(allocations__start_on__lte=today) & (
        Q(allocations__end_on__isnull=True) | Q(allocations__end_on__gte=today)
    )
    staff = list(
        Staff.objects.filter(role=Role.PRACTITIONER, responsible_staff__isnull=True, end_on__isnull=True)
        .annotate(cases=Count("allocations", filter=current))
        .filter(cases__gte=5)
        .order_by("id")
        .values_list("username", flat=True)[:count]
    )
    if len(staff) < count:
        raise SystemExit(
            f"only {len(staff)} social workers with a caseload; need {count} (use --size medium)"
        )
    policy = PolicyVersion.current()
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(staff=s, policy=policy) for s in Staff.objects.filter(username__in=staff)],
        ignore_conflicts=True,
    )
    security.ensure_demo_devices(staff)
    return staff


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s.get('USER') or 'postgres'}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


class Stack:
    """gunicorn (and, audited, the audit sequencer) as the production stack runs them."""

    def __init__(self, name: str, wsgi: str, workers: int, audited: bool, log_dir: Path) -> None:
        self.name = name
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            KEYS,
            DATABASE_URL=database_url(),
            DISCRETION_AUDIT_SEQUENCER="daemon",
            DISCRETION_ACCESS_LOG="",
            DISCRETION_WEB_LOG_LEVEL="info",
            PYTHONPATH=str(ROOT),
        )
        self.log = log_dir / f"{name}.log"
        out = self.log.open("wb")
        self.procs = [
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "-c",
                    "python:discretion.gunicorn_conf",
                    "--bind",
                    "127.0.0.1:0",
                    "--workers",
                    str(workers),
                    wsgi,
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        ]
        if audited:
            self.procs.append(
                subprocess.Popen(
                    [str(BIN / "discretion"), "audit", "sequence", "--follow"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            found = LISTENING.search(self.log.read_text(errors="replace"))
            if found and "Booting worker" in self.log.read_text(errors="replace"):
                self.port = int(found.group(1))
                return
            if any(p.poll() is not None for p in self.procs):
                break
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"{name} did not start:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(base: str, username: str) -> dict[str, object]:
    """Sign one account in through the real pages: the password, then the authenticator code."""
    from django_otp.oath import totp

    import requests

    http = requests.Session()
    page = http.get(f"{base}/sign-in/", timeout=120).text
    form = {"csrfmiddlewaretoken": CSRF.search(page).group(1), "username": username}  # type: ignore[union-attr]
    page = http.post(
        f"{base}/sign-in/", data={**form, "password": seed.DEMO_PASSWORD, "next": "/"}, timeout=120
    ).text
    code = f"{totp(bytes.fromhex(security.DEMO_TOTP_KEY_HEX)):06d}"
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]  # the two-factor page
    home = http.post(
        f"{base}/sign-in/two-factor/",
        data={"csrfmiddlewaretoken": token, "code": code, "next": "/"},
        timeout=120,
    )
    if home.status_code != 200 or "/cases/" not in home.text:
        raise SystemExit(f"{username} could not sign in: {home.status_code} {home.url}")
    return {"username": username, "cookies": http.cookies.get_dict(), "home": home.text}


def sign_in_all(port: int, users: list[str], out: Path) -> Path:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        sessions = list(pool.map(lambda u: sign_in(f"http://127.0.0.1:{port}", u), users))
    out.write_text(json.dumps(sessions))
    return out


def _cpu_seconds(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            for p in [process, *process.children(recursive=True)]:
                times = p.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def _postmaster_pid() -> int:
    import psutil

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])  # type: ignore[index]
    parent = psutil.Process(backend).parent()
    assert parent is not None
    return parent.pid


def run_locust(
    port: int, users: list[str], seconds: int, out_dir: Path, label: str, stack: Stack
) -> dict[str, object]:
    prefix = out_dir / label
    env = dict(os.environ)
    env["BENCH_SESSIONS"] = str(sign_in_all(port, users, out_dir / f"{label}-sessions.json"))
    load_before = os.getloadavg()[0]
    web_pids = [p.pid for p in stack.procs]
    database = [_postmaster_pid()]
    web_cpu, db_cpu, wall = _cpu_seconds(web_pids), _cpu_seconds(database), time.perf_counter()
    result = subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--users", str(len(users)), "--spawn-rate", str(len(users)), "--run-time", f"{seconds}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
         "--stop-timeout", "10", "--loglevel", "WARNING"],
        env=env, capture_output=True, text=True, timeout=seconds + 180, check=False,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    web_cpu, db_cpu = _cpu_seconds(web_pids) - web_cpu, _cpu_seconds(database) - db_cpu
    wall = time.perf_counter() - wall
    total = rows["Aggregated"]
    work = [r for name, r in rows.items() if name not in ("Aggregated", "sign-in", "two-factor")]
    requests = int(total["Request Count"])
    return {
        "users": len(users),
        "seconds": seconds,
        "requests": requests,
        "errors": int(total["Failure Count"]),
        "requests_per_second": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "by_page": {
            r["Name"]: {
                "requests": int(r["Request Count"]),
                "p50_ms": float(r["50%"]),
                "p95_ms": float(r["95%"]),
            }
            for r in work
        },
        # CPU the server side spent per request (gunicorn and, audited, the sequencer; PostgreSQL):
        # what the machine's load cannot change.
        "web_cpu_ms_per_request": round(web_cpu * 1000 / max(requests, 1), 2),
        "database_cpu_ms_per_request": round(db_cpu * 1000 / max(requests, 1), 2),
        "wall_seconds": round(wall, 1),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "locust_exit": result.returncode,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--levels", type=int, nargs="+", default=[10, 40, 80])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit(
            "bench_load runs on PostgreSQL: scripts/with-postgres.sh .venv/bin/python bench/bench_load.py"
        )
    call_command("migrate", verbosity=0)
    results: dict[str, object] = {"machine": machine(), "size": args.size, "gunicorn_workers": args.workers}
    from discretion.records.models import Person

    if not Person.objects.exists():
        t0 = time.perf_counter()
        report = seed.build(args.size, 1)
        results["seed"] = {
            "seconds": round(time.perf_counter() - t0, 1),
            "children": report.children,
            "entries": report.entries,
        }
        print(json.dumps(results["seed"]), flush=True)
    runs_needed = 2 * len(args.levels)
    workers = social_workers(runs_needed * max(args.levels))
    log_dir = Path(tempfile.mkdtemp(prefix="discretion-load-"))
    levels = []
    stacks: list[Stack] = []
    try:
        audited = Stack("audited", "discretion.wsgi:application", args.workers, True, log_dir)
        stacks.append(audited)
        unaudited = Stack("unaudited", "bench.unaudited_wsgi:application", args.workers, False, log_dir)
        stacks.append(unaudited)
        run = 0
        for users in args.levels:
            level: dict[str, object] = {"users": users}
            for label, stack in (("audited", audited), ("unaudited", unaudited)):
                accounts = workers[run * max(args.levels) : run * max(args.levels) + users]
                run += 1
                level[label] = run_locust(
                    stack.port, accounts, args.seconds, log_dir, f"{label}-{users}", stack
                )
                print(json.dumps({label: level[label]}), flush=True)
            a, u = level["audited"], level["unaudited"]
            level["ratio_audited_to_unaudited"] = round(
                float(a["requests_per_second"]) / max(float(u["requests_per_second"]), 0.1),
                3,  # type: ignore[index]
            )
            levels.append(level)
    finally:
        for stack in stacks:
            stack.stop()
    results["levels"] = levels
    signed_by_the_stack = audit.read_checkpoint()
    # The scheduled pass the stack runs every minute: anything accepted after the sequencer's last
    # batch, and the checkpoint brought to the chain's end (only over events it has verified).
    final_pass = audit.integrate_and_sign()
    t0 = time.perf_counter()
    verified = audit.verify(workers=os.cpu_count() or 1)
    head = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    checkpoint = audit.read_checkpoint()
    results["audit_after"] = {
        "verify_ok": verified.ok,
        "events": verified.checked,
        "verify_seconds": round(time.perf_counter() - t0, 2),
        "problem": verified.problem,
        "checkpoint_seq_when_the_stack_stopped": signed_by_the_stack.seq if signed_by_the_stack else None,
        "final_scheduled_pass": final_pass,
        "head_seq": head[0] if head else None,
        "checkpoint_seq": checkpoint.seq if checkpoint else None,
        "checkpoint_equals_head": checkpoint is not None
        and head is not None
        and (checkpoint.seq, checkpoint.hash) == head,
    }
    results["targets"] = {"at_40_users": "≥150 requests/s, p95 < 500 ms, 0 errors, audited ÷ unaudited ≥ 0.9"}
    results["machine"]["load_average_at_end"] = os.getloadavg()  # type: ignore[index]
    print(json.dumps(results["audit_after"]), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"load-{connection.vendor}-{args.size}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")
    if not results["audit_after"]["verify_ok"] or not results["audit_after"]["checkpoint_equals_head"]:  # type: ignore[index]
        raise SystemExit("the audit chain did not verify, or the checkpoint is not the head")


if __name__ == "__main__":
    main()
