#!/usr/bin/env python3
"""Convert the free-written annotated messages (dev.txt, test.txt) into JSONL.

Standard library only (Python 3.11).  Run from anywhere:

    python3 tests/data/freewritten/build.py

Input format (one message per block)::

    === m0001 personal
    # layout, variant: optional comment saying what makes it hard
    Dear Mrs Hill, ... about [[PERSON:Kayden Walsh]] (born [[DOB:8 November 2014]]) ...
    === m0002 clean
    Reminder: the rota for Brook House ...

Output (dev.jsonl, test.jsonl), one object per line::

    {"id": ..., "text": ..., "contains_personal_data": bool,
     "spans": [{"start": int, "end": int, "label": str}], "hard": "<comment or empty>"}

Offsets index into ``text`` (the message with the markup removed).

Checks (an ERROR makes the script exit 1 and write nothing):
  * header syntax, ids unique across both files, no stray ``[[`` / ``]]``;
  * every label is one of LABELS;
  * every span's text is trimmed and starts and ends with an alphanumeric character;
  * ``clean`` messages have no spans, ``personal`` messages have at least one;
  * PERSON spans name someone in subjects.json: an exact name/alias/initial form
    passes silently, a recognisable spelling or transliteration variant passes with
    a WARNING, anything else is an ERROR.
Further WARNINGS (never fatal): P-references that are not in subjects.json,
NHS numbers whose mod-11 check digit fails (deliberate typos are allowed),
hard-kind tags that are not in the vocabulary.
"""
from __future__ import annotations

import collections
import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = {"PERSON", "DOB", "ADDRESS", "POSTCODE", "NHS_NUMBER", "NI_NUMBER",
          "PHONE", "EMAIL", "CASE_REF"}

# Vocabulary for the "# kind, kind: explanation" comment line.
HARD_KINDS = {
    # clean but tempting
    "place": "place, building or street named like a service user",
    "famous": "famous or fictional person, brand or phrase sharing a service user's name",
    "namesake": "a non-service-user (professional, staff) who shares a service user's name",
    "council-contact": "the council's own helplines, inboxes, numbers, dial-ins, venues",
    "placeholder": "policy/training examples, test numbers, Joe Bloggs style placeholders",
    "staff-only": "message naming only staff (rotas, leave, rooms)",
    "aggregate": "aggregate figures with no individual",
    "lookalike-number": "numbers shaped like IDs (orders, contracts, phone-like) that are not personal",
    "everyday-word": "a service user's given name or surname used as an ordinary word",
    # personal but easy to miss
    "layout": "names laid out unusually: initials, capitals, spaced letters, surname first, file names, lists",
    "first-name-link": "a first name made identifying by a link (school/year, sibling, DOB, initial+town, case)",
    "house-postcode": "a house number with a postcode, no street",
    "variant": "spelling or transliteration variant of a registered name",
    "own-contact": "a service user's own phone number or e-mail address, said to be theirs",
    "dob-format": "date of birth written in an unusual form",
    "nhs": "NHS number",
    "ni": "National Insurance number",
    "ref": "council person (P) or case (C) reference",
    "typo": "typing errors in names or identifiers",
    "mixed": "personal data alongside a namesake/place/famous distractor",
    "judgement": "borderline; the comment gives the IGO-style reasoning",
}

HEADER_RE = re.compile(r"^=== (\S+) (personal|clean)\s*$")
SPAN_RE = re.compile(r"\[\[([A-Z_]+):(.*?)\]\]", re.S)
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "master", "baby"}


def norm_tokens(s: str) -> list[str]:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("'", "").replace("\u2019", "")
    toks = [t for t in re.split(r"[^0-9a-z]+", s) if t]
    # "W A L S H" -> "walsh"
    if len(toks) > 2 and all(len(t) == 1 for t in toks):
        toks = ["".join(toks)]
    return [t for t in toks if t not in TITLES]


class SubjectIndex:
    def __init__(self, subjects: list[dict]):
        self.people = []  # list of (ref, token-set)
        self.forms = []  # per person: whole-name strings, e.g. "kaydenleewalsh"
        self.refs = {s["ref"] for s in subjects}
        for s in subjects:
            names = [s.get("given_names", ""), s["family_name"]] + list(s.get("aliases", []))
            toks = set()
            for n in names:
                t = norm_tokens(n)
                toks.update(t)
                toks.add("".join(t))            # "ashworthhughes", "jiwoo", "lilymae"
            fam = norm_tokens(s["family_name"])
            toks.add("".join(fam))
            self.people.append((s["ref"], {t for t in toks if t}))
            given = norm_tokens(s.get("given_names", ""))
            forms = ["".join(given + fam), "".join(fam + given)]
            forms += ["".join(norm_tokens(al)) for al in s.get("aliases", [])]
            self.forms.append([f for f in forms if f])

    @staticmethod
    def _tok_ok(tok: str, toks: set[str], fuzzy: bool) -> bool:
        if tok in toks:
            return True
        if len(tok) == 1:                        # initial
            return any(t.startswith(tok) for t in toks)
        if fuzzy:
            return any(difflib.SequenceMatcher(None, tok, t).ratio() >= 0.72 for t in toks)
        return False

    def classify(self, span: str) -> str:
        """'exact', 'variant', 'partial' (nickname + surname) or 'unknown'."""
        toks = norm_tokens(span)
        if re.fullmatch(r"[A-Z]{2,3}", span.strip()):  # bare initials, e.g. "DK"
            toks = list(span.strip().lower())
        if not toks:
            return "unknown"
        joined = "".join(toks)
        for _, ptoks in self.people:
            if joined in ptoks or all(self._tok_ok(t, ptoks, False) for t in toks):
                if any(len(t) > 1 for t in toks) or len(toks) > 1:
                    return "exact"
        for _, ptoks in self.people:
            if all(self._tok_ok(t, ptoks, True) for t in toks):
                return "variant"
        for forms in self.forms:  # whole-name comparison
            if any(difflib.SequenceMatcher(None, joined, f).ratio() >= 0.85 for f in forms):
                return "variant"
        # nickname + registered surname ("Shiv O'Connor"): recognisable, but flag it
        for _, ptoks in self.people:
            long_toks = [t for t in toks if len(t) > 2]
            if (
                len(long_toks) >= 2
                and sum(t in ptoks for t in long_toks) >= 1
                and toks[-1] in ptoks | {toks[0]}
            ):
                return "partial"
        return "unknown"


def nhs_ok(s: str) -> bool:
    d = re.sub(r"\D", "", s)
    if len(d) != 10:
        return False
    total = sum(int(c) * w for c, w in zip(d[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(d[9])


def parse_hard(comment: str) -> list[str]:
    """'# kind, kind: free text' or just '# kind, kind' -> [kind, ...]."""
    if not comment:
        return []
    head = comment.split(":", 1)[0]
    kinds = [k.strip() for k in head.split(",") if k.strip()]
    if ":" not in comment and not all(k in HARD_KINDS for k in kinds):
        return []  # free-text comment with no kind list
    return kinds


def parse_file(path: Path, index: SubjectIndex, errors: list, warnings: list):
    raw = path.read_text(encoding="utf-8")
    blocks: list[tuple[str, str, int, list[str]]] = []
    cur = None
    for lineno, line in enumerate(raw.split("\n"), 1):
        if line.startswith("==="):
            m = HEADER_RE.match(line)
            if not m:
                errors.append(f"{path.name}:{lineno}: bad header {line!r}")
                cur = None
                continue
            cur = (m.group(1), m.group(2), lineno, [])
            blocks.append(cur)
        elif cur is None:
            if line.strip():
                errors.append(f"{path.name}:{lineno}: text before first header")
        else:
            cur[3].append(line)

    records = []
    for mid, kind, lineno, lines in blocks:
        comments = []
        while lines and lines[0].startswith("#"):
            comments.append(lines.pop(0).lstrip("#").strip())
        body = "\n".join(lines).strip("\n")
        body = "\n".join(l.rstrip() for l in body.split("\n")).strip()
        where = f"{path.name}:{lineno} {mid}"
        if not body:
            errors.append(f"{where}: empty message")
        text_parts, spans, pos, out_len = [], [], 0, 0
        for m in SPAN_RE.finditer(body):
            before = body[pos:m.start()]
            text_parts.append(before)
            out_len += len(before)
            label, stext = m.group(1), m.group(2)
            if label not in LABELS:
                errors.append(f"{where}: unknown label {label}")
            if stext != stext.strip() or not stext:
                errors.append(f"{where}: span not trimmed: {stext!r}")
            elif not (stext[0].isalnum() and stext[-1].isalnum()):
                errors.append(f"{where}: span must start/end alphanumeric: {stext!r}")
            if "[[" in stext or "]]" in stext:
                errors.append(f"{where}: nested markup in {stext!r}")
            spans.append({"start": out_len, "end": out_len + len(stext), "label": label, "_text": stext})
            text_parts.append(stext)
            out_len += len(stext)
            pos = m.end()
        text_parts.append(body[pos:])
        text = "".join(text_parts)
        if "[[" in text or "]]" in text:
            errors.append(f"{where}: stray [[ or ]] left in text")
        if kind == "clean" and spans:
            errors.append(f"{where}: clean message has {len(spans)} span(s)")
        if kind == "personal" and not spans:
            errors.append(f"{where}: personal message has no span")
        for sp in spans:
            assert text[sp["start"]:sp["end"]] == sp["_text"]
            st = sp["_text"]
            if sp["label"] == "PERSON":
                c = index.classify(st)
                if c == "variant":
                    warnings.append(f"{where}: PERSON {st!r} accepted as a variant")
                elif c == "partial":
                    warnings.append(
                        f"{where}: PERSON {st!r} accepted as a nickname variant (only the surname matches)"
                    )
                elif c == "unknown":
                    errors.append(f"{where}: PERSON {st!r} matches nobody in subjects.json")
            elif sp["label"] == "CASE_REF":
                ref = re.sub(r"[\s\-/]", "", st).upper()
                if re.fullmatch(r"P\d{6}", ref) and ref not in index.refs:
                    warnings.append(f"{where}: person ref {st!r} not in subjects.json")
                if not re.fullmatch(r"[PC]\d{6}", ref):
                    warnings.append(f"{where}: CASE_REF {st!r} is not P/C + 6 digits")
            elif sp["label"] == "NHS_NUMBER" and not nhs_ok(st):
                warnings.append(f"{where}: NHS number {st!r} fails the mod-11 check (typo?)")
        comment = " ".join(comments)
        kinds = parse_hard(comment)
        for k in kinds:
            if k not in HARD_KINDS:
                warnings.append(f"{where}: hard kind {k!r} not in vocabulary")
        records.append({
            "id": mid,
            "text": text,
            "contains_personal_data": kind == "personal",
            "spans": [{k: v for k, v in s.items() if k != "_text"} for s in spans],
            "hard": comment,
            "_kinds": kinds,
            "_labels": [s["label"] for s in spans],
        })
    return records


def main() -> int:
    subjects = json.loads((HERE / "subjects.json").read_text(encoding="utf-8"))
    index = SubjectIndex(subjects)
    errors: list[str] = []
    warnings: list[str] = []
    results = {}
    for name, prefix in (("dev", "m"), ("test", "t")):
        recs = parse_file(HERE / f"{name}.txt", index, errors, warnings)
        for r in recs:
            if not r["id"].startswith(prefix):
                warnings.append(f"{name}.txt {r['id']}: id prefix is not {prefix!r}")
        results[name] = recs
    seen = collections.Counter(r["id"] for recs in results.values() for r in recs)
    for mid, n in seen.items():
        if n > 1:
            errors.append(f"duplicate id {mid} ({n} times)")

    for w in warnings:
        print("WARNING", w)
    for e in errors:
        print("ERROR", e)
    if errors:
        print(f"{len(errors)} error(s); nothing written")
        return 1

    for name, recs in results.items():
        out = HERE / f"{name}.jsonl"
        with out.open("w", encoding="utf-8") as fh:
            for r in recs:
                obj = {k: v for k, v in r.items() if not k.startswith("_")}
                fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
        # re-read and validate what was written
        for line in out.read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            assert set(obj) == {"id", "text", "contains_personal_data", "spans", "hard"}
            for s in obj["spans"]:
                assert 0 <= s["start"] < s["end"] <= len(obj["text"])

    print()
    print(f"{'file':<6}{'msgs':>6}{'personal':>10}{'clean':>7}{'spans':>7}{'hard':>6}")
    for name, recs in results.items():
        p = sum(r["contains_personal_data"] for r in recs)
        print(f"{name:<6}{len(recs):>6}{p:>10}{len(recs) - p:>7}"
              f"{sum(len(r['spans']) for r in recs):>7}{sum(bool(r['_kinds']) for r in recs):>6}")
    print()
    print("span labels (dev / test):")
    lab = {n: collections.Counter(l for r in recs for l in r["_labels"]) for n, recs in results.items()}
    for l in sorted(LABELS):
        print(f"  {l:<11}{lab['dev'][l]:>5}{lab['test'][l]:>6}")
    print()
    print("hard kinds: messages tagged (dev personal/clean | test personal/clean):")
    for k in HARD_KINDS:
        row = []
        for n in ("dev", "test"):
            p = sum(1 for r in results[n] if k in r["_kinds"] and r["contains_personal_data"])
            c = sum(1 for r in results[n] if k in r["_kinds"] and not r["contains_personal_data"])
            row.append(f"{p:>4}/{c:<4}")
        print(f"  {k:<17}{row[0]}  | {row[1]}")
    print(f"\n{len(warnings)} warning(s); wrote dev.jsonl and test.jsonl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
