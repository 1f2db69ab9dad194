"""`discretion scan`: find personal data in a message read on stdin (policy 1.1)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from discretion.cli_support import UsageError
from discretion.detect.index import SubjectIndex
from discretion.detect.model import StaffMember, Subject, SubjectFormatError
from discretion.detect.scan import scan

SubjectsProvider = Callable[[], tuple[list[Subject], list[StaffMember]]]


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


def build_index(args: argparse.Namespace) -> SubjectIndex:
    subjects: list[Subject] = []
    staff: list[StaffMember] = []
    if args.subjects is not None:
        subjects = _parse_entries(args.subjects, Subject.from_json)
    elif args.subjects_provider is not None:
        subjects, staff = args.subjects_provider()
    if args.staff is not None:
        staff = _parse_entries(args.staff, StaffMember.from_json)
    return SubjectIndex(subjects, staff)


def run(args: argparse.Namespace) -> int:
    index = build_index(args)
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
            result = scan(item["text"], index)
            out = {"id": item["id"], **result.to_json()}
            sys.stdout.write(json.dumps(out) + "\n")
            sys.stdout.flush()  # a stream: each answer as soon as its line is read
        return 0
    result = scan(sys.stdin.read(), index)
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
