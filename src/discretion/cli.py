"""The `discretion` command: a thin front over the services and the pure core.

Pure commands (decide, deadline, scan) run without starting Django; the rest set
Django up first. Every subcommand has --help; bad input exits 2 with one line on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from discretion.cli_support import OneLineParser
from discretion.errors import DiscretionError, one_line

# Modules that each expose register(subparsers) adding one or more subcommands whose
# parser sets `func` to a callable taking the parsed namespace and returning an exit code.
COMMAND_MODULES: tuple[str, ...] = (
    "discretion.policy.cli",
    "discretion.deadlines.cli",
    "discretion.detect.cli",
    "discretion.commands",
    "discretion.research.cli",
    "discretion.operations",
    "discretion.scheduler",
    "discretion.serve",
    "discretion.backup",
    "discretion.outbound.relay.cli",
    "discretion.information_rights.documents.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="discretion", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        if name == "discretion.detect.cli":
            from discretion.outbound.subjects import subjects_provider

            module.register(subparsers, subjects_provider=subjects_provider)
        elif name == "discretion.deadlines.cli":
            from discretion.information_rights.calendar import cli_overrides

            module.register(subparsers, overrides_provider=cli_overrides)
        else:
            module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from discretion.audit.context import AuditContext, reset_context, set_context

    # Audit events written by a command say they came from the command line (for this call only).
    token = set_context(AuditContext(channel="cli"))
    try:
        return int(args.func(args))
    except DiscretionError as exc:  # every refusal and bad input: one line on stderr (errors.py)
        sys.stderr.write(f"discretion {args.command}: error: {one_line(exc)}\n")
        return exc.exit_code
    finally:
        if "django" in sys.modules and _django_ready():
            from discretion.access import flush_pending_refusals

            flush_pending_refusals()
        reset_context(token)


def _django_ready() -> bool:
    from django.apps import apps

    return apps.ready


if __name__ == "__main__":
    raise SystemExit(main())
