"""`discretion scan`: find personal data in a message read on stdin (policy 1.1)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from discretion.cli_support import UsageError
from discretion.detect.index import SubjectIndex
from discretion.detect.model import Finding, ScanResult, StaffMember, Subject, SubjectFormatError
from discretion.detect.scan import scan
from discretion.detect.wording import masked


@dataclass
class KnownPeople:
    """The people a scan knows, from the council's records (`--as` names who is asking) or none.

    `record` is told the references each scan matched before its answer is printed (the council's
    source audits it); `related` says which of them the asker may be told about by reference (the
    rest are shown as "someone on the council's records")."""

    subjects: list[Subject] = field(default_factory=list)
    staff: list[StaffMember] = field(default_factory=list)
    record: Callable[[list[str]], None] | None = None
    related: Callable[[Collection[str]], frozenset[str]] | None = None


SubjectsProvider = Callable[[str | None], KnownPeople]


def register(subparsers: Any, subjects_provider: SubjectsProvider | None = None) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="find personal data in a message (stdin)",
        description=(
            "Read a message on stdin and report personal data in it: names of known service users, dates "
            "of birth, addresses, postcodes, NHS and NI numbers, phone numbers, e-mail addresses and the "
            "council's person/case references. Offsets are Python string indices into the input."
        ),
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help='print {"contains_personal_data", "findings"}')
    mode.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"id", "text"} lines; print one {"id", "contains_personal_data", "findings"} line each',
    )
    parser.add_argument("--subjects", type=Path, metavar="FILE", help="JSON list of known people")
    parser.add_argument("--staff", type=Path, metavar="FILE", help="JSON list of staff (not flagged)")
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="who is asking: required to scan against the council's records (without --subjects); "
        "every scan that matches someone is audited naming them",
    )
    parser.set_defaults(func=run, subjects_provider=subjects_provider)


def _load_list(path: Path) -> list[Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: bad JSON: {exc}") from None
    if not isinstance(loaded, list):
        raise UsageError(f"{path}: must be a JSON list")
    return loaded


def _parse_entries(path: Path, parse: Callable[[object], Any]) -> list[Any]:
    out = []
    for i, raw in enumerate(_load_list(path)):
        try:
            out.append(parse(raw))
        except SubjectFormatError as exc:
            raise UsageError(f"{path}: entry {i}: {exc}") from None
    return out


def known_people(args: argparse.Namespace) -> KnownPeople:
    known = KnownPeople()
    if args.subjects is not None:  # the caller's own list: nothing of the council's is read
        known.subjects = _parse_entries(args.subjects, Subject.from_json)
    elif args.subjects_provider is not None:
        known = args.subjects_provider(getattr(args, "as_user", None))
    if args.staff is not None:
        known.staff = _parse_entries(args.staff, StaffMember.from_json)
    return known


def _answer(text: str, index: SubjectIndex, known: KnownPeople) -> ScanResult:
    """Scan; tell the source whom it matched (audit) before anything is printed; mask findings about
    people the asker has no relationship to (the verdict stays as found)."""
    result = scan(text, index)
    refs = sorted({f.subject_ref for f in result.findings if f.subject_ref})
    if known.record is not None:
        known.record(refs)
    if known.related is None or not refs:
        return result
    related = known.related(refs)
    shown: list[Finding] = [
        f if f.subject_ref is None or f.subject_ref in related else masked(f) for f in result.findings
    ]
    return ScanResult(result.contains_personal_data, shown)


def run(args: argparse.Namespace) -> int:
    known = known_people(args)
    index = SubjectIndex(known.subjects, known.staff)
    if args.jsonl:
        for lineno, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"stdin line {lineno}: bad JSON: {exc.msg}") from None
            if not isinstance(item, dict) or "id" not in item:
                raise UsageError(f"stdin line {lineno}: id: is required")
            if not isinstance(item.get("text"), str):
                raise UsageError(f"stdin line {lineno}: text: must be a string")
            result = _answer(item["text"], index, known)
            out = {"id": item["id"], **result.to_json()}
            sys.stdout.write(json.dumps(out) + "\n")
            sys.stdout.flush()  # a stream: each answer as soon as its line is read
        return 0
    result = _answer(sys.stdin.read(), index, known)
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(with_text=True)) + "\n")
        return 0
    if not result.findings:
        sys.stdout.write("No personal data found.\n")
        return 0
    verdict = "Personal data found" if result.contains_personal_data else "No service-user personal data"
    sys.stdout.write(f"{verdict}: {len(result.findings)} finding(s).\n")
    for f in result.findings:
        who = f" ({f.subject_ref})" if f.subject_ref else ""
        why = f": {f.why}" if f.why else ""
        sys.stdout.write(f"  {f.start}-{f.end} {f.label}{who}{why}\n")
    return 0
