"""CPU cost per request of the load test's request mix, by page kind: what a busy machine cannot
change, so it can be compared across runs on a shared box (wall-clock times there cannot).

Distinct social workers sign in through the real pages (password, then the authenticator code),
then each works their own caseload with the same mix and weights as bench/locustfile.py (their
cases list, a child's person record, a case, an entry from it, a search for a name from their
caseload), through the whole middleware stack in this process (Django's test client; DEBUG off,
persistent connections, the production audit configuration: the page accepts its event and a
sequencer process, not running here, integrates it). For each page kind: the web side's CPU
(this process's CPU time, user + system) and PostgreSQL's (the serving backend's CPU time) per
request, and the queries each made. With --profile, a cProfile of the timed requests.

Run on PostgreSQL with a seeded council (bench_pages / bench_load build one when it is empty):
  scripts/with-postgres.sh .venv/bin/python bench/bench_page_cpu.py --size medium
Writes bench/results/page-cpu-<engine>-<size>.json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
os.environ.setdefault("DISCRETION_AUDIT_SEQUENCER", "daemon")
os.environ.setdefault("DISCRETION_AUDIT_CHECKPOINT", str(Path(tempfile.mkdtemp()) / "checkpoint.json"))
for _name, _value in (
    ("SECRET_KEY", secrets.token_urlsafe(50)),
    ("DISCRETION_AUDIT_KEY", secrets.token_urlsafe(32)),
    ("DISCRETION_RESEARCH_KEY", secrets.token_hex(32)),
):
    os.environ.setdefault(_name, _value)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from discretion import seed  # noqa: E402

RESULTS = Path(__file__).parent / "results"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASES = re.compile(r'href="/cases/([^/"]+)/"')
PEOPLE = re.compile(r'href="/people/([^/"]+)/">([^<]+)<')
ENTRIES = re.compile(r'href="/entries/(\d+)/"')
# The locustfile's tasks and weights.
MIX = [("my cases", 1), ("person", 3), ("case", 3), ("entry", 2), ("search", 1)]


def sign_in(username: str) -> tuple[Client, str]:
    from django_otp.oath import totp

    from discretion.staff import security

    client = Client()
    page = client.get("/sign-in/").content.decode()
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/sign-in/",
        {"csrfmiddlewaretoken": token, "username": username, "password": seed.DEMO_PASSWORD, "next": "/"},
        follow=True,
    )
    token = CSRF.search(response.content.decode()).group(1)  # type: ignore[union-attr]
    code = f"{totp(bytes.fromhex(security.DEMO_TOTP_KEY_HEX)):06d}"
    home = client.post(
        "/sign-in/two-factor/", {"csrfmiddlewaretoken": token, "code": code, "next": "/"}, follow=True
    )
    text = home.content.decode()
    if home.status_code != 200 or "/cases/" not in text:
        raise SystemExit(f"{username} could not sign in: {home.status_code}")
    return client, text


class Worker:
    def __init__(self, username: str) -> None:
        self.username = username
        self.client, home = sign_in(username)
        self.cases = CASES.findall(home)
        self.people = PEOPLE.findall(home)
        self.entries: list[str] = []
        self.rng = random.Random(username)

    def url(self, kind: str) -> str | None:
        if kind == "my cases":
            return "/"
        if kind == "person":
            return f"/people/{self.rng.choice(self.people)[0]}/"
        if kind == "case":
            return f"/cases/{self.rng.choice(self.cases)}/"
        if kind == "entry":
            return f"/entries/{self.rng.choice(self.entries)}/" if self.entries else None
        return "/people/?" + _query(self.rng.choice(self.people)[1])

    def after(self, kind: str, text: str) -> None:
        if kind == "case":
            self.entries = ENTRIES.findall(text) or self.entries


def _query(name: str) -> str:
    from html import unescape
    from urllib.parse import urlencode

    return urlencode({"q": unescape(name)})


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])  # type: ignore[index]


def backend_cpu(pid: int) -> float:
    import psutil

    t = psutil.Process(pid).cpu_times()
    return t.user + t.system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--requests", type=int, default=600, help="timed requests in all")
    parser.add_argument("--profile", help="write a cProfile of the timed requests here")
    parser.add_argument("--top", type=int, default=0, help="print this many functions by cumulative time")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench_page_cpu runs on PostgreSQL (scripts/with-postgres.sh)")
    if connection.settings_dict.get("CONN_MAX_AGE") == 0:
        raise SystemExit("run with persistent connections (CONN_MAX_AGE > 0), as the production stack does")
    call_command("migrate", verbosity=0)
    from discretion.records.models import Person

    if not Person.objects.exists():
        seed.build(args.size, 1)
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_load import social_workers

    workers = [Worker(u) for u in social_workers(args.users)]
    kinds = [k for k, w in MIX for _ in range(w)]
    rng = random.Random(16)
    # Warm-up: every page kind a few times per user (templates compiled, connection open).
    for w in workers:
        for kind, _weight in MIX:
            url = w.url(kind)
            if url:
                w.after(kind, w.client.get(url).content.decode())
    cpu: dict[str, list[float]] = defaultdict(list)
    db: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[int]] = defaultdict(list)
    profiler = cProfile.Profile(time.process_time) if args.profile or args.top else None
    pid = backend_pid()
    done = 0
    wall = time.perf_counter()
    while done < args.requests:
        w = rng.choice(workers)
        kind = rng.choice(kinds)
        url = w.url(kind)
        if url is None:
            continue
        db0 = backend_cpu(pid)
        with CaptureQueriesContext(connection) as ctx:
            c0 = time.process_time()
            if profiler is not None:
                profiler.enable()
            response = w.client.get(url)
            if profiler is not None:
                profiler.disable()
            c1 = time.process_time()
        db1 = backend_cpu(pid)
        if response.status_code != 200:
            raise SystemExit(f"{w.username} {url}: {response.status_code}")
        w.after(kind, response.content.decode())
        cpu[kind].append((c1 - c0) * 1000)
        db[kind].append((db1 - db0) * 1000)
        queries[kind].append(len(ctx.captured_queries))
        done += 1
    wall = time.perf_counter() - wall
    if backend_pid() != pid:
        raise SystemExit("the database connection was replaced during the run: its CPU was not all counted")
    pages = {}
    for kind, _weight in MIX:
        pages[kind] = {
            "requests": len(cpu[kind]),
            "web_cpu_ms_per_request": round(statistics.fmean(cpu[kind]), 2),
            "database_cpu_ms_per_request": round(statistics.fmean(db[kind]), 2),
            "queries_min": min(queries[kind]),
            "queries_max": max(queries[kind]),
        }
    every = [x for v in cpu.values() for x in v]
    every_db = [x for v in db.values() for x in v]
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "engine": connection.vendor,
            "load_average": os.getloadavg(),
            "note": "CPU time of this process (per request) and of the PostgreSQL backend serving it "
            "(counted in 10 ms clock ticks: a mean over many requests)",
        },
        "size": args.size,
        "users": len(workers),
        "requests": done,
        "wall_seconds": round(wall, 1),
        "mix": dict(MIX),
        "all": {
            "web_cpu_ms_per_request": round(statistics.fmean(every), 2),
            "database_cpu_ms_per_request": round(statistics.fmean(every_db), 2),
        },
        "pages": pages,
    }
    print(json.dumps(results, indent=2), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"page-cpu-{connection.vendor}-{args.size}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")
    if profiler is not None:
        if args.profile:
            profiler.dump_stats(args.profile)
        if args.top:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
