"""`discretion deadline foi|eir|sar`: print when a statutory clock runs out."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from discretion.cli_support import EXIT_OK, UsageError
from discretion.deadlines.calendars import CalendarOverrides, Nation
from discretion.deadlines.clocks import Deadline, eir_due, foi_due, foi_extension_limit, sar_due

OverridesProvider = Callable[[], CalendarOverrides]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

DESCRIPTION = """\
Print the date a request must be answered by, as YYYY-MM-DD on one line (--json for the rule applied
and the days skipped, with why).
  foi  FOIA s10: the 20th working day after receipt; working days exclude weekends, Christmas Day,
       Good Friday and bank holidays in any part of the UK (s10(6)). --extended gives the 40th working
       day, the longest public-interest extension the ICO accepts (s10(3)).
  eir  EIR reg 5(2): 20 working days, on the same calendar; --extended gives 40 (reg 7).
  sar  UK GDPR Art 12(3), 12A: one month from the latest of the request, identity evidence and fee, to
       the corresponding date (or the month's last day), moved to the next working day in --nation;
       --extended gives three months.
A clarification restarts the FOI/EIR clock from its arrival, and stops the SAR clock from the day it
is asked for to the day it arrives."""


def _iso_date(text: str) -> date:
    if not _ISO_DATE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date") from None


def register(subparsers: Any, overrides_provider: OverridesProvider | None = None) -> None:
    """Add `deadline`. `overrides_provider` supplies the council's one-off days; None means the
    package calendar alone."""
    parser = subparsers.add_parser(
        "deadline",
        help="when an FOI, EIR or subject-access request must be answered by",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("regime", choices=("foi", "eir", "sar"), help="which law's clock")
    parser.add_argument(
        "--received",
        type=_iso_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the day the request was received (any day, even a weekend)",
    )
    parser.add_argument(
        "--clarification-requested",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the day clarification was asked for (give with --clarification-received)",
    )
    parser.add_argument(
        "--clarification-received",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the day the clarification arrived",
    )
    parser.add_argument(
        "--id-received",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="sar: the day the identity evidence asked for arrived",
    )
    parser.add_argument(
        "--fee-notice",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="foi: the day a fees notice was given (FOIA s9); give with --fee-received",
    )
    parser.add_argument(
        "--fee-received",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the day the fee arrived (foi: working days from the notice do not count; "
        "sar: the month starts no earlier)",
    )
    parser.add_argument(
        "--extended",
        action="store_true",
        help="foi: latest public-interest extension; eir: 40 working days; sar: three months",
    )
    parser.add_argument(
        "--nation",
        choices=[n.value for n in Nation],
        default=Nation.ENGLAND_WALES.value,
        help="sar: the council's own nation, whose bank holidays move the end date (default england_wales)",
    )
    parser.add_argument("--json", action="store_true", help="print the date, rule and skipped days as JSON")
    parser.set_defaults(func=run, overrides_provider=overrides_provider)


def _not_for(args: argparse.Namespace, regime: str, *options: str) -> None:
    for option in options:
        if getattr(args, option.lstrip("-").replace("-", "_")) is not None:
            raise UsageError(f"{option} does not apply to {regime}")


def compute(args: argparse.Namespace) -> Deadline:
    provider: OverridesProvider | None = getattr(args, "overrides_provider", None)
    overrides = provider() if provider is not None else None
    if (args.clarification_requested is None) != (args.clarification_received is None):
        raise UsageError("give both --clarification-requested and --clarification-received, or neither")
    if args.regime != "sar" and args.nation != Nation.ENGLAND_WALES.value:
        raise UsageError(
            f"--nation does not apply to {args.regime}: it counts bank holidays in all of the UK"
        )
    if args.regime == "foi":
        _not_for(args, "foi", "--id-received")
        kwargs: dict[str, Any] = {
            "clarification_requested_on": args.clarification_requested,
            "clarification_received_on": args.clarification_received,
            "fee_notice_on": args.fee_notice,
            "fee_received_on": args.fee_received,
            "overrides": overrides,
        }
        if args.extended:
            kwargs["extended_to"] = foi_extension_limit(args.received, **kwargs)
        return foi_due(args.received, **kwargs)
    if args.regime == "eir":
        _not_for(args, "eir", "--id-received", "--fee-notice", "--fee-received")
        return eir_due(
            args.received,
            clarification_requested_on=args.clarification_requested,
            clarification_received_on=args.clarification_received,
            extended=args.extended,
            overrides=overrides,
        )
    _not_for(args, "sar", "--fee-notice")
    return sar_due(
        args.received,
        id_received_on=args.id_received,
        fee_received_on=args.fee_received,
        clarification_requested_on=args.clarification_requested,
        clarification_received_on=args.clarification_received,
        extended=args.extended,
        nation=args.nation,
        overrides=overrides,
    )


def run(args: argparse.Namespace) -> int:
    try:
        deadline = compute(args)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        sys.stdout.write(json.dumps(deadline.as_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(deadline.due_on.isoformat() + "\n")
    return EXIT_OK
