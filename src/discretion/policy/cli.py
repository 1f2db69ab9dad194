"""`discretion decide`: read request facts as JSON on stdin, print the decision as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from discretion.cli_support import EXIT_OK, UsageError
from discretion.policy.council import ENV_VAR, CouncilConfig, CouncilConfigError, load_council_config
from discretion.policy.decision import decision_to_json
from discretion.policy.engine import decide
from discretion.policy.facts import FactsError, parse_facts

DESCRIPTION = """Decide a request for information under the Children's Services Confidentiality Policy.
Reads one request's facts as a JSON object on stdin and prints the decision (outcome, route_to,
conditions, reasons citing the policy paragraph, missing) as JSON. With --jsonl, reads one facts
object a line and prints one decision a line, in order; blank lines are ignored. Unknown fields or
codes exit 2 naming the field and the allowed values."""

EPILOG = f"""example:
  echo '{{"requester": {{"category": "media"}}, "information": ["aggregate"]}}' | discretion decide
The council's wording (paragraph numbers, reason texts, route names) comes from --policy-file,
else ${ENV_VAR}, else the bundled council.json."""


def register(subparsers: Any) -> None:
    """Add the `decide` subcommand."""
    parser = subparsers.add_parser(
        "decide",
        help="decide a request for information (facts JSON on stdin, decision JSON on stdout)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--jsonl", action="store_true", help="read one facts object a line; print one decision a line"
    )
    parser.add_argument(
        "--policy-file", metavar="PATH", help=f"the council's policy wording file (default: ${ENV_VAR})"
    )
    parser.set_defaults(func=run)


def _decide_text(text: str, config: CouncilConfig, where: str) -> dict[str, Any]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{where}malformed JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise UsageError(f"{where}facts must be a JSON object")
    try:
        facts = parse_facts(obj)
    except FactsError as exc:
        raise UsageError(f"{where}{exc}") from None
    return decision_to_json(decide(facts, config))


def run(args: argparse.Namespace) -> int:
    try:
        config = load_council_config(args.policy_file)
    except CouncilConfigError as exc:
        raise UsageError(str(exc)) from None
    if not args.jsonl:
        text = sys.stdin.read()
        if not text.strip():
            raise UsageError("no facts on stdin: give one JSON object")
        print(json.dumps(_decide_text(text, config, ""), indent=2, ensure_ascii=False))
        return EXIT_OK
    # Decide every line before printing so that a bad line leaves no partial output behind.
    decisions = []
    for number, line in enumerate(sys.stdin, start=1):
        if line.strip():
            decisions.append(_decide_text(line, config, f"line {number}: "))
    for decision in decisions:
        print(json.dumps(decision, ensure_ascii=False))
    return EXIT_OK
