"""Benchmark the personal-data finder against Presidio's defaults (issues: detect, 14).

Run: .venv/bin/python bench/bench_detect.py [--quick]
Writes bench/results/detect.json.

Corpora: the project's own (tests/data/outbound_corpus.jsonl, written with the finder), and the
free-written one (tests/data/freewritten: 200 dev messages to study, 420 held-out test messages, written
by someone who had not read the finder; README.md there). Message recall/precision for both, beside
Presidio's, plus the finder's errors counted by the corpus's "hard kind" tags (no message text).
Speed: a 5 KB message with 100,000 known people (p99); and one message of 50 MB (time and peak
memory, in a child process so the peak is its own; the previous finder took 5.5 GB and 210 s).

"Presidio defaults" here means: presidio-analyzer's AnalyzerEngine with its default recogniser registry
(conf/default_recognizers.yaml as shipped: UK_NHS on; UK_NINO and UK_POSTCODE shipped disabled), language
"en", default score threshold 0, with a spaCy *blank* English pipeline as the NLP engine because no model
may be downloaded. So its pattern recognisers (EMAIL_ADDRESS, PHONE_NUMBER, UK_NHS, DATE_TIME, URL, ...)
run, and SpacyRecognizer finds no PERSON/LOCATION (there is no NER model). tldextract is told to use its
bundled public-suffix snapshot (no network). A message counts as flagged by Presidio when it returns any
result; spans are compared with Discretion's labels through ENTITY_MAP. The corpus's synthetic e-mail
addresses use the reserved .example domain, which Presidio's EmailRecognizer rejects by design (not a
public suffix): its EMAIL recall of 0 on this corpus reflects that, not a failure to run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from discretion.detect import StaffMember, Subject, SubjectIndex, is_service_user_personal_data, scan
from discretion.detect.model import Address

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
ENTITY_MAP = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "UK_NHS": "NHS_NUMBER",
    "UK_NINO": "NI_NUMBER",
    "UK_POSTCODE": "POSTCODE",
    "DATE_TIME": "DOB",
    "PERSON": "PERSON",
    "LOCATION": "ADDRESS",
}
LABELS = ["PERSON", "DOB", "ADDRESS", "POSTCODE", "NHS_NUMBER", "NI_NUMBER", "PHONE", "EMAIL", "CASE_REF"]


# -- synthetic people (Faker en_GB vocabularies, seeded) ----------------------------------------------


def synthetic_subjects(count: int, seed: int = 7) -> list[Subject]:
    from faker.providers.address.en_GB import Provider as AddressProvider
    from faker.providers.person.en_GB import Provider as PersonProvider

    rng = random.Random(seed)
    given = list(PersonProvider.first_names_male) + list(PersonProvider.first_names_female)
    family = list(PersonProvider.last_names)
    suffixes = list(AddressProvider.street_suffixes)
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    base = dt.date(2005, 1, 1)
    out = []
    for i in range(count):
        digits = [rng.randint(4, 7)] + [rng.randint(0, 9) for _ in range(8)]
        check = (11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11) % 11
        if check == 10:
            digits[8] = (digits[8] + 1) % 10
            check = (11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11) % 11
        nhs = "".join(map(str, digits)) + str(check) if check != 10 else None
        postcode = (
            f"{rng.choice(('PR', 'BB', 'LA', 'FY', 'L'))}{rng.randint(1, 30)} "
            f"{rng.randint(0, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        )
        out.append(
            Subject(
                ref=f"P{i:07d}",
                given_names=rng.choice(given) if i % 4 else f"{rng.choice(given)} {rng.choice(given)}",
                family_name=rng.choice(family),
                aliases=(),
                dob=base + dt.timedelta(days=rng.randint(0, 18 * 365)),
                addresses=(
                    Address(
                        f"{rng.randint(1, 250)} {rng.choice(family)} {rng.choice(suffixes)}", None, postcode
                    ),
                ),
                nhs_number=nhs,
            )
        )
    return out


# -- corpus quality -------------------------------------------------------------------------------------


def load_freewritten(split: str) -> tuple[list[dict], SubjectIndex]:
    here = DATA / "freewritten"
    rows = [json.loads(line) for line in (here / f"{split}.jsonl").read_text().splitlines()]
    council = json.loads((here / "council.json").read_text())
    index = SubjectIndex(
        [Subject.from_json(o) for o in json.loads((here / "subjects.json").read_text())],
        [StaffMember.from_json(o) for o in json.loads((here / "staff.json").read_text())],
        allow_list=council["phones"] + council["emails"],
        council_addresses=council["addresses"],
    )
    return rows, index


def errors_by_kind(rows: list[dict], index: SubjectIndex) -> dict[str, dict[str, int]]:
    """Missed and false alarms counted by the corpus's hard-kind tags (ids only, never the text)."""
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        got = scan(row["text"], index).contains_personal_data
        if got == row["contains_personal_data"]:
            continue
        head = row.get("hard", "").split(":", 1)[0]
        kinds = [k.strip() for k in head.split(",") if k.strip()] or ["(untagged)"]
        for kind in kinds:
            entry = out.setdefault(kind, {"missed": 0, "false_alarm": 0})
            entry["missed" if row["contains_personal_data"] else "false_alarm"] += 1
    return dict(sorted(out.items()))


def load_corpus() -> tuple[list[dict], SubjectIndex]:
    rows = [json.loads(line) for line in (DATA / "outbound_corpus.jsonl").read_text().splitlines()]
    council = json.loads((DATA / "detect_council.json").read_text())
    index = SubjectIndex(
        [Subject.from_json(o) for o in json.loads((DATA / "outbound_subjects.json").read_text())],
        [StaffMember.from_json(o) for o in json.loads((DATA / "outbound_staff.json").read_text())],
        allow_list=council["allow_list"],
        council_addresses=council["council_addresses"],
    )
    return rows, index


def presidio_engine():  # type: ignore[no-untyped-def]
    import spacy
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    offline = tldextract.TLDExtract(suffix_list_urls=())
    email_recognizer.tldextract.extract = offline  # the bundled snapshot: no network at run time

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    nlp = BlankSpacyNlpEngine()
    nlp.load()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])


def quality(rows: list[dict], predict) -> dict:  # type: ignore[no-untyped-def]
    tp = fp = fn = tn = 0
    per = {label: {"tp": 0, "fp": 0, "fn": 0} for label in LABELS}
    for row in rows:
        flagged, spans = predict(row["text"])
        truth = row["contains_personal_data"]
        tp += flagged and truth
        fp += flagged and not truth
        fn += truth and not flagged
        tn += not flagged and not truth
        gold = [(s["start"], s["end"], s["label"]) for s in row["spans"]]
        # A predicted span counts when it overlaps a gold span of the same label.
        for label in LABELS:
            g = [s for s in gold if s[2] == label]
            p = [s for s in spans if s[2] == label]
            matched_g = sum(any(a < d and c < b for c, d, _ in p) for a, b, _ in g)
            matched_p = sum(any(a < d and c < b for c, d, _ in g) for a, b, _ in p)
            per[label]["tp"] += matched_g
            per[label]["fn"] += len(g) - matched_g
            per[label]["fp"] += len(p) - matched_p
    labels = {}
    for label, c in per.items():
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
        predicted = c["tp"] + c["fp"]
        labels[label] = {
            "span_recall": round(recall, 4) if recall is not None else None,
            "span_precision": round(c["tp"] / predicted, 4) if predicted else None,
            "gold_spans": c["tp"] + c["fn"],
            "predicted_spans": predicted,
        }
    return {
        "message_recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "message_precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "per_label": labels,
    }


def throughput(texts: list[str], fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    size = sum(len(t.encode()) for t in texts) * repeats
    start = time.perf_counter()
    for _ in range(repeats):
        for t in texts:
            fn(t)
    return round(size / (time.perf_counter() - start) / 1e6, 3)


# -- build time and memory, in a child process so maxrss is its own -------------------------------------


def current_rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def child_build(count: int) -> None:
    subjects = synthetic_subjects(count)
    gc.collect()
    rss_subjects = current_rss_kb()
    start = time.perf_counter()
    index = SubjectIndex(subjects)
    index.automaton()
    index.near_spellings("walsh")
    build_s = time.perf_counter() - start
    rss_index = current_rss_kb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Incremental refresh: a changed record (known words) and a new person (new word -> lazy rebuild).
    changed = subjects[123]
    t0 = time.perf_counter()
    index.upsert(Subject(changed.ref, changed.family_name, changed.given_names, dob=changed.dob))
    scan("x", index)
    upsert_known_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    index.upsert(Subject("P9999999", "Quarmbyfield", "Zebedeus"))
    scan("Zebedeus Quarmbyfield", index)
    upsert_new_word_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    index.remove("P9999999")
    remove_s = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "people": count,
                "build_seconds": round(build_s, 2),
                "peak_rss_mb_total": round(peak / 1024, 1),
                "rss_mb_subjects_only": round(rss_subjects / 1024, 1),
                "index_rss_mb": round((rss_index - rss_subjects) / 1024, 1),
                "name_words": len(index.token_refs),
                "upsert_changed_record_ms": round(upsert_known_s * 1000, 3),
                "upsert_new_name_word_then_scan_ms": round(upsert_new_word_s * 1000, 3),
                "remove_ms": round(remove_s * 1000, 3),
                "full_rebuild_over_upsert_ratio": round(build_s / max(upsert_new_word_s, 1e-9), 1),
            }
        )
    )


def five_kb_message(rows: list[dict], subjects: list[Subject]) -> str:
    rng = random.Random(3)
    parts = []
    while sum(len(p) for p in parts) < 5000:
        parts.append(rng.choice(rows)["text"])
        s = rng.choice(subjects)
        parts.append(
            f"Update on {s.given_names} {s.family_name}, DOB {s.dob:%d/%m/%Y}, {s.addresses[0].line1}."
        )
    return "\n\n".join(parts)[:5120]


def child_big(megabytes: int) -> None:
    """One message of `megabytes` MB (the project corpus repeated): time and peak memory of one scan."""
    rows, index = load_corpus()
    text = "\n\n".join(r["text"] for r in rows)
    target = megabytes * 1_000_000
    message = (text * (target // len(text) + 1))[:target]
    gc.collect()
    rss_before = current_rss_kb()
    start = time.perf_counter()
    result = scan(message, index)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "message_mb": megabytes,
                "seconds": round(seconds, 1),
                "mb_per_second": round(megabytes / seconds, 2),
                "peak_rss_mb": round(peak / 1024, 1),
                "rss_mb_before_scan": round(rss_before / 1024, 1),
                "findings": len(result.findings),
                "previous_finder": {"peak_rss_mb": 5500, "seconds": 210},
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="build-time/memory with 100,000 people, not 1,000,000"
    )
    parser.add_argument("--child-build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-big", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--big-mb", type=int, default=50, help="size of the one big message (MB)")
    args = parser.parse_args()
    if args.child_build:
        child_build(args.child_build)
        return
    if args.child_big:
        child_big(args.child_big)
        return

    rows, corpus_index = load_corpus()
    analyzer = presidio_engine()

    def discretion_predict(text: str):  # type: ignore[no-untyped-def]
        result = scan(text, corpus_index)
        return result.contains_personal_data, [(f.start, f.end, str(f.label)) for f in result.findings]

    def presidio_predict(text: str):  # type: ignore[no-untyped-def]
        results = analyzer.analyze(text=text, language="en")
        spans = [(r.start, r.end, ENTITY_MAP.get(r.entity_type, r.entity_type)) for r in results]
        return bool(results), spans

    texts = [r["text"] for r in rows]
    report: dict = {
        "machine": {
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
        },
        "presidio_defaults": __doc__.split("\n\n", 2)[2] if __doc__ else "",
        "corpus": {"messages": len(rows), "positives": sum(r["contains_personal_data"] for r in rows)},
        "quality": {
            "discretion": quality(rows, discretion_predict),
            "presidio_defaults": quality(rows, presidio_predict),
        },
    }
    for split in ("dev", "test"):
        free_rows, free_index = load_freewritten(split)

        def free_predict(text: str, index: SubjectIndex = free_index):  # type: ignore[no-untyped-def]
            # Spans as the corpus marks them: service users' data only (a professional's number is not).
            result = scan(text, index)
            spans = [
                (f.start, f.end, str(f.label)) for f in result.findings if is_service_user_personal_data([f])
            ]
            return result.contains_personal_data, spans

        report[f"freewritten_{split}"] = {
            "messages": len(free_rows),
            "positives": sum(r["contains_personal_data"] for r in free_rows),
            "discretion": quality(free_rows, free_predict),
            "presidio_defaults": quality(free_rows, presidio_predict),
            "discretion_errors_by_kind": errors_by_kind(free_rows, free_index),
        }
    d_mbs = throughput(texts, lambda t: scan(t, corpus_index), 20)
    p_mbs = throughput(texts, lambda t: analyzer.analyze(text=t, language="en"), 2)
    report["throughput_corpus_mb_per_s"] = {
        "discretion": d_mbs,
        "presidio_defaults": p_mbs,
        "discretion_over_presidio": round(d_mbs / p_mbs, 1),
    }

    # Latency: a 5 KB message with 100,000 known people loaded.
    people = synthetic_subjects(100_000)
    big = SubjectIndex(people)
    message = five_kb_message(rows, people)
    scan(message, big)
    times = []
    for _ in range(400):
        t0 = time.perf_counter()
        scan(message, big)
        times.append(time.perf_counter() - t0)
    times.sort()
    p_times = []
    for _ in range(20):
        t0 = time.perf_counter()
        analyzer.analyze(text=message, language="en")
        p_times.append(time.perf_counter() - t0)
    report["latency_5kb_100k_people"] = {
        "message_chars": len(message),
        "findings": len(scan(message, big).findings),
        "p50_ms": round(times[len(times) // 2] * 1000, 3),
        "p99_ms": round(times[int(len(times) * 0.99)] * 1000, 3),
        "presidio_defaults_p50_ms": round(statistics.median(p_times) * 1000, 3),
        "target_p99_ms": 10,
        "throughput_mb_per_s": round(len(message.encode()) / statistics.median(times) / 1e6, 3),
    }
    del big, people
    gc.collect()

    big = subprocess.run(
        [sys.executable, __file__, "--child-big", str(args.big_mb)],
        capture_output=True,
        text=True,
        check=True,
    )
    report["one_big_message"] = json.loads(big.stdout.strip().splitlines()[-1])

    count = 100_000 if args.quick else 1_000_000
    child = subprocess.run(
        [sys.executable, __file__, "--child-build", str(count)], capture_output=True, text=True, check=True
    )
    build = json.loads(child.stdout.strip().splitlines()[-1])
    build.update({"target_build_seconds": 60, "target_peak_mb": 2048, "quick": args.quick})
    report["index_build"] = build

    out = ROOT / "bench" / "results" / "detect.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
