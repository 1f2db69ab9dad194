"""`discretion extract --request ID --out FILE.csv`: the same extract as the web page and API."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from discretion.cli_support import EXIT_FAILED, EXIT_OK, UsageError


def register(subparsers: Any) -> None:
    extract = subparsers.add_parser(
        "extract",
        help="Make and release a research extract for an approved request.",
        description="Anonymise (or, where approved, pseudonymise) an extract for an approved research "
        "request, register it as a disclosure, and write the CSV to FILE.",
    )
    extract.add_argument("--request", dest="request_id", type=int, required=True, metavar="ID")
    extract.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    extract.add_argument(
        "--as",
        dest="as_user",
        default=os.environ.get("DISCRETION_USER"),
        metavar="USERNAME",
        help="The research governance officer releasing it (default $DISCRETION_USER).",
    )
    extract.add_argument("--pseudonymised", action="store_true", help="Include pseudonyms (needs approval).")
    extract.set_defaults(func=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    from discretion.commands import setup_django

    setup_django()
    from discretion import access
    from discretion.research import services
    from discretion.staff.models import Staff

    if not args.as_user:
        raise UsageError("name the research governance officer with --as USERNAME (or set DISCRETION_USER)")
    actor = Staff.objects.filter(username=args.as_user).first()
    if actor is None:
        raise UsageError(f"unknown user {args.as_user!r}")
    if not args.out.parent.exists():
        raise UsageError(f"directory {args.out.parent} does not exist")
    try:
        result = services.make_extract(actor, args.request_id, pseudonymised=args.pseudonymised)
    except services.ExtractRefused as exc:
        sys.stderr.write(f"{exc}\n")
        print(json.dumps({"released": False, "report": exc.report.as_dict()}))
        return EXIT_FAILED
    except (services.InvalidInput, access.NotPermitted) as exc:
        raise UsageError(str(exc)) from None
    except access.NotFound:
        raise UsageError(f"unknown research request {args.request_id}") from None
    args.out.write_bytes(result.content)
    print(
        json.dumps(
            {
                "released": True,
                "disclosure": result.release.disclosure.pk,
                "rows": result.extract.rows,
                "report": result.extract.report,
                "link_token": result.release.link_token,
                "link_code": result.release.link_code,
            }
        )
    )
    return EXIT_OK
