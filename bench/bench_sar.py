"""Subject-access compile-and-render for a subject with 10,000 entries: wall time and peak memory
(targets: under 60 s, under 1 GB). The work runs in a child process so its peak RSS
(getrusage RUSAGE_CHILDREN maxrss) is the bundle's own; the baseline, measured in the same run, is
the plain access-checked read of the same entries. Writes bench/results/sar.json."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "sar.json"
ENTRIES = int(os.environ.get("BENCH_SAR_ENTRIES", "10000"))


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
    os.environ.setdefault("DISCRETION_AUDIT_CHECKPOINT", str(Path(tempfile.mkdtemp()) / "checkpoint.json"))
    import django

    django.setup()


def build_world() -> dict[str, int]:
    import datetime as dt
    import random

    from django.core.management import call_command

    from discretion.records.models import Case, CaseMember, Entry, Person
    from discretion.records.services import index_names
    from discretion.seed import ensure_policy
    from discretion.staff.models import Acknowledgement, Staff, Team

    call_command("migrate", verbosity=0)
    policy = ensure_policy()
    team = Team.objects.create(name="Bench team")
    igo = Staff.objects.create_user(
        username="bench-igo",
        password="x",
        role="information_governance",
        first_name="Iris",
        last_name="Govan",
    )
    worker = Staff.objects.create_user(
        username="bench-sw", password="x", team=team, first_name="Sam", last_name="Worker"
    )
    for member in (igo, worker):
        Acknowledgement.objects.create(staff=member, policy=policy)
    child = Person.objects.create(
        ref="P1", given_names="Kayden", family_name="Walsh", date_of_birth=dt.date(2012, 5, 1)
    )
    index_names(child, ())
    others = []
    for i, (given, family) in enumerate([("Roxanne", "Pellow"), ("Darren", "Hollis"), ("Mia", "Walsh")]):
        p = Person.objects.create(
            ref=f"P{i + 2}",
            given_names=given,
            family_name=family,
            date_of_birth=dt.date(1985 + i, 1, 1),
            is_child=False,
        )
        index_names(p, ())
        others.append(p)
    rng = random.Random(2026)
    sentences = [
        "Visited the home and saw Kayden in his room.",
        "Roxanne Pellow said she had been unwell.",
        "Darren Hollis phoned the duty line about contact.",
        "School reports good attendance.",
        "Mia Walsh was at nursery.",
        "Sam Worker discussed the plan with Kayden.",
    ]
    per_case = ENTRIES // 4
    for c in range(4):
        case = Case.objects.create(
            ref=f"C{c + 1}", subject=child, team=team, opened_on=dt.date(2015 + c, 1, 5)
        )
        CaseMember.objects.create(case=case, person=child, role="subject")
        for other in others:
            CaseMember.objects.create(case=case, person=other, role="family")
        Entry.objects.bulk_create(
            [
                Entry(
                    case=case,
                    kind="case_note",
                    author=worker,
                    occurred_on=dt.date(2015 + c, 1, 5) + dt.timedelta(days=i % 1500),
                    title="Note",
                    text=" ".join(rng.choice(sentences) for _ in range(6)),
                    third_party=rng.random() < 0.05,
                    confidential_source=rng.random() < 0.01,
                )
                for i in range(per_case)
            ],
            batch_size=2000,
        )
    return {"igo": igo.pk, "child": child.pk}


def child_main(kind: str, igo_id: int, child_ref: str) -> None:
    """Run in a fresh process: the baseline read, or the full compile-and-render."""
    _setup_django()
    from discretion import access
    from discretion.information_rights import services
    from discretion.staff.models import Staff

    igo = Staff.objects.get(pk=igo_id)
    t0 = time.perf_counter()
    if kind == "baseline":
        view = access.get_person_for(igo, ref=child_ref)
        n = sum(len(access.get_case_for(igo, c.pk).entries) for c in view.cases)
        pages = 0
    else:
        sar = services.open_sar(
            igo,
            requester_name="Kayden Walsh",
            requester_contact="k@example.org",
            requester_kind="self",
            subject_ref=child_ref,
        )
        services.verify_identity(igo, sar.pk, evidence="Passport")
        compiled = services.compile_records(igo, sar.pk)
        n = len(compiled.entry_ids)
        content = services.build_bundle(igo, sar.pk)
        import io

        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(content)).pages)
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "entries": n, "pages": pages}))


def _run_child(kind: str, ids: dict[str, int]) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(ids["igo"]), "P1"],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["peak_rss_mib"] = round(max(peak_kib, before) / 1024, 1)
    return result


def main() -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["DISCRETION_VAR"] = tempfile.mkdtemp(prefix="discretion-bench-sar-")
    _setup_django()
    ids = build_world()
    baseline = _run_child("baseline", ids)
    full = _run_child("bundle", ids)
    from django.conf import settings

    result = {
        "benchmark": "subject-access compile and render (true redactions, contents, page numbers)",
        "engine": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "entries": full["entries"],
        "pages": full["pages"],
        "compile_and_render_seconds": round(full["seconds"], 2),
        "peak_rss_mib": full["peak_rss_mib"],
        "baseline_access_read_seconds": round(baseline["seconds"], 2),
        "baseline_peak_rss_mib": baseline["peak_rss_mib"],
        "ratio_to_baseline": round(full["seconds"] / baseline["seconds"], 1) if baseline["seconds"] else None,
        "targets": {"seconds": 60, "peak_rss_mib": 1024},
        "meets_targets": full["seconds"] < 60 and full["peak_rss_mib"] < 1024,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main()
