"""Audit chain append rate against plain inserts of the same rows, in the same run.

Each writer is a process (as gunicorn workers are) appending events one at a time, each in its
own transaction, through `audit.record`, configured as the production stack runs it: writers
accept, one sequencer process integrates (discretion.audit.sequencer). A chained round ends only
when every event is in the chain and the checkpoint is signed. The baseline inserts the same
rows, one transaction each, into a copy of the events table with the same columns and indexes
and no chain. Rounds alternate chained and plain; each figure is the median of the rounds. The
writers-integrate-inline mode (no sequencer process) is measured too, for comparison. After the
run `audit verify` must pass and the signed checkpoint must equal the chain's head.

Run on PostgreSQL: scripts/with-postgres.sh .venv/bin/python bench/bench_audit.py
Writes bench/results/audit-append-<engine>.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DISCRETION_VAR"] = tempfile.mkdtemp(prefix="discretion-bench-")
os.environ.setdefault("DISCRETION_AUDIT_CHECKPOINT", str(Path(tempfile.mkdtemp()) / "checkpoint.json"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from discretion.audit import services as audit  # noqa: E402
from discretion.audit.chain import canonical_details  # noqa: E402
from discretion.audit.models import AuditEvent  # noqa: E402

RESULTS = Path(__file__).parent / "results"
PLAIN = "bench_plain_event"
# Each writer and the sequencer report the CPU seconds they and their PostgreSQL backend spent
# (process CPU time; the backend's read from /proc before its connection closes).
_CPU: Any = None


def _cpu_now() -> tuple[float, float]:
    """This process's CPU seconds and its PostgreSQL backend's (the connection opened first, so
    neither process start-up nor connecting is counted)."""
    import psutil

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = int(cursor.fetchone()[0])  # type: ignore[index]
    times = psutil.Process(pid).cpu_times()
    return time.process_time(), times.user + times.system


def _report_cpu(role: str, start: tuple[float, float]) -> None:
    """Send the CPU this process and its backend spent since `start` to the parent."""
    own, backend = _cpu_now()
    if _CPU is not None:
        _CPU.put((role, own - start[0], backend - start[1]))


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "engine": connection.vendor,
        "load_average_at_start": os.getloadavg(),
    }


def _event(writer: int, i: int) -> dict[str, object]:
    """A realistic read event: a social worker opening a person's record."""
    return {
        "object_type": "person",
        "object_id": str(writer * 100_000 + i),
        "person_id": writer * 100_000 + i,
        "details": {"basis": "allocated"},
    }


def _chained_writer(writer: int, count: int, mode: str = "daemon") -> None:
    from django.conf import settings

    settings.AUDIT_SEQUENCER = mode
    try:
        start = _cpu_now()
        for i in range(count):
            e = _event(writer, i)
            audit.record(
                1000 + writer,
                "person.read",
                object_type=str(e["object_type"]),
                object_id=e["object_id"],
                person_id=int(str(e["person_id"])),
                details={"basis": "allocated"},
            )
        _report_cpu("accept" if mode == "daemon" else "inline", start)
    finally:
        connections.close_all()


def _inline_writer(writer: int, count: int) -> None:
    _chained_writer(writer, count, "inline")


def _sequencer(stop: object) -> None:
    from discretion.audit import sequencer

    try:
        start = _cpu_now()
        sequencer.follow(stop, poll=0.01)  # type: ignore[arg-type]
        while sequencer._integrate_once():  # the writers have finished: drain what they accepted
            pass
        _report_cpu("integrate", start)
    finally:
        connections.close_all()


def _plain_writer(writer: int, count: int) -> None:
    """The same rows, one INSERT and one commit each, into a table with the same indexes."""
    import datetime as dt

    details = canonical_details({"channel": "system", "basis": "allocated"})
    try:
        start = _cpu_now()
        with connection.cursor() as cursor:
            for i in range(count):
                e = _event(writer, i)
                cursor.execute(
                    f"INSERT INTO {PLAIN} (seq, at, actor_id, action, object_type, object_id, person_id, ip, "
                    "session, reason, details, prev_hash, hash) VALUES "
                    f"(nextval('{PLAIN}_seq'), %s, %s, %s, %s, %s, %s, '', '', '', %s, %s, %s) RETURNING id",
                    [
                        dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
                        1000 + writer,
                        "person.read",
                        e["object_type"],
                        e["object_id"],
                        e["person_id"],
                        details,
                        "0" * 64,
                        "0" * 64,
                    ],
                )
                cursor.fetchone()
        _report_cpu("plain", start)
    finally:
        connections.close_all()


def _run(
    target: object, writers: int, per_writer: int, *, sequencer: bool = False
) -> tuple[float, dict[str, float]]:
    """Events per second, and CPU seconds per 1,000 events by role (each role: its processes'
    own CPU plus their PostgreSQL backends')."""
    global _CPU
    connections.close_all()  # each process opens its own connection
    ctx = multiprocessing.get_context("fork")
    _CPU = ctx.Queue()
    procs = [ctx.Process(target=target, args=(w, per_writer)) for w in range(writers)]  # type: ignore[arg-type]
    stop = ctx.Event()
    follower = ctx.Process(target=_sequencer, args=(stop,)) if sequencer else None
    t0 = time.perf_counter()
    if follower is not None:
        follower.start()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if follower is not None:
        stop.set()  # it finishes what is accepted, signs the checkpoint, then stops
        follower.join()
    elapsed = time.perf_counter() - t0
    if any(p.exitcode for p in procs) or (follower is not None and follower.exitcode):
        raise SystemExit("a writer or the sequencer failed")
    if AuditEvent.objects.filter(seq__isnull=True).exists():
        raise SystemExit("accepted events were left out of the chain")
    events = writers * per_writer
    cpu: dict[str, float] = {}
    for _ in range(writers + (1 if follower is not None else 0)):
        role, own, backend = _CPU.get(timeout=60)
        cpu[f"{role}_process"] = cpu.get(f"{role}_process", 0.0) + own * 1000 / events
        cpu[f"{role}_database"] = cpu.get(f"{role}_database", 0.0) + backend * 1000 / events
    _CPU = None
    return events / elapsed, cpu


def setup_plain_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {PLAIN} (LIKE audit_auditevent INCLUDING ALL)")
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {PLAIN}_seq")
        else:
            raise SystemExit("bench_audit measures PostgreSQL (SQLite has one writer at a time)")


def _median_cpu(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}


def compare(writers: int, per_writer: int, rounds: int) -> dict[str, object]:
    chained, plain, inline = [], [], []
    chained_cpu, plain_cpu, inline_cpu = [], [], []
    for _ in range(rounds):
        for rates, cpus, target, seq in (
            (chained, chained_cpu, _chained_writer, True),
            (plain, plain_cpu, _plain_writer, False),
            (inline, inline_cpu, _inline_writer, False),
        ):
            rate, cpu = _run(target, writers, per_writer, sequencer=seq)
            rates.append(rate)
            cpus.append(cpu)
        print(
            f"  {writers} writers: chained {chained[-1]:.0f}/s, plain {plain[-1]:.0f}/s, "
            f"inline {inline[-1]:.0f}/s (load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    c, p, i = statistics.median(chained), statistics.median(plain), statistics.median(inline)
    cpu = {**_median_cpu(chained_cpu), **_median_cpu(plain_cpu), **_median_cpu(inline_cpu)}
    accept = cpu["accept_process"] + cpu["accept_database"]
    integrate = cpu["integrate_process"] + cpu["integrate_database"]
    plain_total = cpu["plain_process"] + cpu["plain_database"]
    return {
        "writers": writers,
        "events_per_round": writers * per_writer,
        "rounds": rounds,
        "chained_events_per_second": round(c, 1),
        "plain_inserts_per_second": round(p, 1),
        "chained_rounds": [round(x, 1) for x in chained],
        "plain_rounds": [round(x, 1) for x in plain],
        "ratio_chained_to_plain": round(c / p, 3),
        "target_ratio": 0.8,
        "inline_events_per_second": round(i, 1),
        "inline_rounds": [round(x, 1) for x in inline],
        "ratio_inline_to_plain": round(i / p, 3),
        # CPU seconds per 1,000 events (median of the rounds): the writers' processes and their
        # PostgreSQL backends ("accept"), the sequencer and its backend ("integrate"), the plain
        # inserts' writers and backends ("plain"), and the inline writers (accept and integrate).
        "cpu_seconds_per_1000_events": cpu,
        "cpu_seconds_per_1000_events_totals": {
            "accept": round(accept, 3),
            "integrate": round(integrate, 3),
            "chained": round(accept + integrate, 3),
            "plain": round(plain_total, 3),
            "inline": round(cpu["inline_process"] + cpu["inline_database"], 3),
        },
        # What the ratio is when the machine's cores are the limit (all writers busy): plain CPU
        # per event over chained CPU per event. Load from other work cannot change it much.
        "cpu_bound_ratio_chained_to_plain": round(plain_total / (accept + integrate), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-writer", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--writers", type=int, nargs="+", default=[8, 32])
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    setup_plain_table()
    results: dict[str, object] = {"machine": machine()}
    runs = []
    for writers in args.writers:
        per_writer = max(20, args.per_writer * 8 // writers)  # the same events per round
        runs.append(compare(writers, per_writer, args.rounds))
        print(json.dumps(runs[-1]), flush=True)
    results["append"] = runs
    t0 = time.perf_counter()
    verified = audit.verify(workers=os.cpu_count() or 1)
    head = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    checkpoint = audit.read_checkpoint()
    results["after"] = {
        "verify_ok": verified.ok,
        "events": verified.checked,
        "verify_seconds": round(time.perf_counter() - t0, 2),
        "pending": AuditEvent.objects.filter(seq__isnull=True).count(),
        "checkpoint_equals_head": checkpoint is not None
        and head is not None
        and (checkpoint.seq, checkpoint.hash) == head,
    }
    results["machine"]["load_average_at_end"] = os.getloadavg()  # type: ignore[index]
    print(json.dumps(results["after"]), flush=True)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"audit-append-{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")
    if not verified.ok or not results["after"]["checkpoint_equals_head"]:  # type: ignore[index]
        raise SystemExit("the chain did not verify, or the checkpoint is not the head")


if __name__ == "__main__":
    main()
