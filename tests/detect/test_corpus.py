from __future__ import annotations

import itertools
import json

from discretion.detect import SubjectIndex, scan

from .conftest import DATA


def load() -> list[dict]:
    return [json.loads(line) for line in (DATA / "outbound_corpus.jsonl").read_text().splitlines()]


def test_corpus_is_well_formed() -> None:
    rows = load()
    assert len(rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        text = row["text"]
        assert isinstance(row["contains_personal_data"], bool)
        spans = sorted(row["spans"], key=lambda s: s["start"])
        for span in spans:
            assert 0 <= span["start"] < span["end"] <= len(text), row["id"]
            covered = text[span["start"] : span["end"]]
            assert covered == covered.strip() and covered[0].isalnum() and covered[-1].isalnum(), row["id"]
        for a, b in itertools.pairwise(spans):
            assert a["end"] <= b["start"] or a["label"] != b["label"], row["id"]
        if not row["contains_personal_data"]:
            assert row["spans"] == [], row["id"]
    assert {r["contains_personal_data"] for r in rows} == {True, False}


def test_corpus_message_level_quality(corpus_index: SubjectIndex) -> None:
    tp = fp = fn = 0
    for row in load():
        got = scan(row["text"], corpus_index).contains_personal_data
        tp += got and row["contains_personal_data"]
        fp += got and not row["contains_personal_data"]
        fn += row["contains_personal_data"] and not got
    recall = tp / (tp + fn)
    precision = tp / (tp + fp)
    assert recall >= 0.99, recall
    assert precision >= 0.95, precision


def test_corpus_span_recall(corpus_index: SubjectIndex) -> None:
    expected = found = 0
    for row in load():
        got = {(f.start, f.end, str(f.label)) for f in scan(row["text"], corpus_index).findings}
        for span in row["spans"]:
            expected += 1
            found += (span["start"], span["end"], span["label"]) in got
    assert found / expected >= 0.95
