"""Foundation figures: the price of the one door, audit append and verify rates, person search
latency and the time to build a council. Writes bench/results/foundation-<engine>.json.

Run through scripts/run-bench.sh (SQLite, then a throw-away PostgreSQL via DATABASE_URL).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
# The bench signs in with force_login: it measures the door to records, not the sign-in journey.
os.environ.setdefault("DISCRETION_REQUIRE_2FA", "0")
if "DATABASE_URL" not in os.environ:
    os.environ["DISCRETION_VAR"] = tempfile.mkdtemp(prefix="discretion-bench-")
os.environ.setdefault("DISCRETION_AUDIT_CHECKPOINT", str(Path(tempfile.mkdtemp()) / "checkpoint.json"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402

from discretion import access, seed  # noqa: E402
from discretion.audit import services as audit  # noqa: E402
from discretion.audit.chain import canonical_details, event_hash  # noqa: E402
from discretion.audit.models import AuditEvent, ChainHead  # noqa: E402
from discretion.records.models import Case, Person  # noqa: E402
from discretion.staff.models import Acknowledgement, PolicyVersion, Staff  # noqa: E402

RESULTS = Path(__file__).parent / "results"


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "engine": connection.vendor,
    }


def unaudited_person_page(request: HttpRequest, ref: str) -> HttpResponse:
    """The same page with the access check and the audit event switched off (bench only)."""
    # The same reads as access.get_person_for, less the need-to-know check and the audit event.
    person = Person.objects.prefetch_related(
        "addresses", "relationships__relative", "related_from__person"
    ).get(ref=ref)
    cases = list(Case.objects.filter(members__person=person).select_related("team").order_by("-opened_on"))
    view = access.PersonView(
        person, access.Grant(access.Basis.ALLOCATED), cases, list(person.names.exclude(kind="legal")), True
    )
    return render(request, "web/person.html", {"view": view, "user": request.user})


def bench_one_door(requests: int) -> dict[str, object]:
    worker = Staff.objects.get(username="sarah.hughes")
    policy = PolicyVersion.current()
    Acknowledgement.objects.get_or_create(staff=worker, policy=policy)
    refs = [c.subject.ref for c in access.my_cases(worker)][:20]
    client = Client()
    client.force_login(worker)
    from django.test import RequestFactory

    factory = RequestFactory()

    def audited() -> None:
        for i in range(requests):
            response = client.get(f"/people/{refs[i % len(refs)]}/")
            assert response.status_code == 200

    def unaudited() -> None:
        for i in range(requests):
            request = factory.get(f"/people/{refs[i % len(refs)]}/")
            request.user = worker
            request.session = client.session
            response = unaudited_person_page(request, refs[i % len(refs)])
            assert response.status_code == 200

    # The audited path goes through the whole middleware stack; to compare like with like the
    # unaudited path is also timed through a client request to the same URL with the view swapped.
    from django.urls import path

    from discretion import urls as root_urls

    root_urls.urlpatterns.insert(0, path("bench-unaudited/<str:ref>/", unaudited_person_page))
    from django.urls import clear_url_caches

    clear_url_caches()

    def unaudited_client() -> None:
        for i in range(requests):
            response = client.get(f"/bench-unaudited/{refs[i % len(refs)]}/")
            assert response.status_code == 200

    audited()  # warm up
    unaudited_client()
    rounds = []
    for _ in range(3):
        t0 = time.perf_counter()
        audited()
        t1 = time.perf_counter()
        unaudited_client()
        t2 = time.perf_counter()
        rounds.append((requests / (t1 - t0), requests / (t2 - t1)))
    best_audited = max(r[0] for r in rounds)
    best_plain = max(r[1] for r in rounds)
    del unaudited
    return {
        "requests_per_round": requests,
        "audited_rps": round(best_audited, 1),
        "unaudited_rps": round(best_plain, 1),
        "ratio_audited_to_unaudited": round(best_audited / best_plain, 3),
        "target_ratio": 0.7,
    }


def bench_append(writers: int, per_writer: int) -> dict[str, object]:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(per_writer):
                audit.record(n, "bench.append", object_id=i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    start_seq = ChainHead.objects.get(id=1).seq
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    end_seq = ChainHead.objects.get(id=1).seq
    t0 = time.perf_counter()
    for i in range(per_writer):
        audit.record(0, "bench.append.single", object_id=i)
    single = per_writer / (time.perf_counter() - t0)
    return {
        "writers": writers,
        "events": writers * per_writer,
        "appended": end_seq - start_seq,
        "errors": len(errors),
        "events_per_second": round(writers * per_writer / elapsed, 1),
        "single_writer_events_per_second": round(single, 1),
        "chain_ok": audit.verify().ok,
    }


def bench_verify(events: int) -> dict[str, object]:
    """Fill the chain to `events` with realistic rows, then time a full verify.

    One event in ten has no person (a search, a sign-in: NULL person_id) and one in ten
    thousand a typed reason over two lines (a break-glass reason), whose text needs escaping.
    """
    head = ChainHead.objects.get(id=1)
    seq, prev = head.seq, head.hash
    batch: list[AuditEvent] = []
    details = canonical_details({"channel": "web", "basis": "allocated"})
    t0 = time.perf_counter()
    while seq < events:
        seq += 1
        values = (
            seq,
            "2026-11-25T10:00:00.000000+00:00",
            7,
            "person.read",
            "person",
            str(seq % 5000),
            None if seq % 10 == 0 else seq % 5000,
            "10.1.2.3",
            "a1b2c3d4e5f60718",
            "Strategy meeting at 2pm.\nNo allocated worker free." if seq % 10_000 == 0 else "",
            details,
        )
        digest = event_hash(values, prev)
        batch.append(
            AuditEvent(
                seq=seq,
                at=values[1],
                actor_id=7,
                action=values[3],
                object_type=values[4],
                object_id=values[5],
                person_id=values[6],
                ip=values[7],
                session=values[8],
                reason=values[9],
                details=details,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
        if len(batch) >= 20000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    ChainHead.objects.filter(id=1).update(seq=seq, hash=prev)
    audit.write_checkpoint(seq, prev)
    fill = time.perf_counter() - t0
    return {**time_verify(), "fill_seconds": round(fill, 1)}


def time_verify() -> dict[str, object]:
    """Time `audit verify` in one process and as the command runs it (one process per CPU)."""
    workers = os.cpu_count() or 1
    t0 = time.perf_counter()
    single = audit.verify(workers=1)
    single_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = audit.verify(workers=workers)
    elapsed = time.perf_counter() - t0
    assert result == single
    # Baseline in the same run: SHA-256 alone over the same number of ~200-byte messages.
    import hashlib

    message = b"x" * 200
    t1 = time.perf_counter()
    for _ in range(result.checked):
        hashlib.sha256(message).hexdigest()
    sha_only = result.checked / (time.perf_counter() - t1)
    return {
        "events": result.checked,
        "ok": result.ok,
        "workers": workers,
        "verify_seconds": round(elapsed, 2),
        "events_per_second": round(result.checked / elapsed, 1),
        "single_process_seconds": round(single_seconds, 2),
        "single_process_events_per_second": round(single.checked / single_seconds, 1),
        "sha256_only_per_second": round(sha_only, 1),
        "ratio_to_sha256_only": round(result.checked / elapsed / sha_only, 3),
        "target_events_per_second": 500_000,
    }


def bench_search(samples: int) -> dict[str, object]:
    igo = Staff.objects.get(username="gareth.morgan")
    Acknowledgement.objects.get_or_create(staff=igo, policy=PolicyVersion.current())
    names = list(
        Person.objects.order_by("id").values_list("given_names", "family_name")[
            :: max(1, Person.objects.count() // samples)
        ]
    )[:samples]
    timings = []
    for given, family in names:
        query = f"{given.split()[0][:-1]} {family}"  # a misspelt first name
        t0 = time.perf_counter()
        access.search_people(igo, query)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return {
        "samples": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "people": Person.objects.count(),
        "target_p95_ms_postgresql": 50,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small", choices=["small", "medium"])
    parser.add_argument("--verify-events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    results: dict[str, object] = {"machine": machine(), "size": args.size}
    t0 = time.perf_counter()
    with transaction.atomic():
        report = seed.build(args.size, 1)
    results["seed"] = {
        "size": args.size,
        "seconds": round(time.perf_counter() - t0, 1),
        "children": report.children,
        "entries": report.entries,
    }
    print(json.dumps(results["seed"]), flush=True)
    results["person_search"] = bench_search(200)
    print(json.dumps(results["person_search"]), flush=True)
    results["one_door"] = bench_one_door(args.requests)
    print(json.dumps(results["one_door"]), flush=True)
    results["audit_append"] = bench_append(8, 100)
    print(json.dumps(results["audit_append"]), flush=True)
    results["audit_verify"] = bench_verify(args.verify_events)
    print(json.dumps(results["audit_verify"]), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"foundation-{connection.vendor}-{args.size}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
