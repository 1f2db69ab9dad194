"""`discretion sar compile ID [--wait] [--as USERNAME]`: compile a subject-access case and read its
documents. Without --wait the reading is queued for the background worker and the progress so far
is printed; with --wait it runs here, printing progress after each document. Resumable: run it
again after a stop and it continues where it stopped."""

from __future__ import annotations

import argparse
import json
from typing import Any

from discretion.cli_support import EXIT_OK, OneLineParser, UsageError, positive_int


def register(subparsers: Any) -> None:
    sar = subparsers.add_parser(
        "sar", help="Subject-access casework.", description="Subject-access casework."
    )
    sub = sar.add_subparsers(dest="sar_command", required=True, parser_class=OneLineParser)
    compile_ = sub.add_parser(
        "compile",
        help="Compile the records and read the documents (resumable).",
        description=__doc__,
    )
    compile_.add_argument("sar_id", type=positive_int, metavar="ID", help="The subject-access case id.")
    compile_.add_argument("--wait", action="store_true", help="Read the documents here, printing progress.")
    compile_.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="The information governance officer (default: the case's handler). Every read is audited.",
    )
    compile_.set_defaults(func=run_compile)


def run_compile(args: argparse.Namespace) -> int:
    from discretion.commands import database_has_table

    if not database_has_table("information_rights_sardocument"):
        raise UsageError("no database set up: run `discretion manage migrate` first")
    from discretion import access
    from discretion.information_rights import services as ir
    from discretion.information_rights.documents import reads
    from discretion.information_rights.documents import services as documents
    from discretion.information_rights.models import SarCase
    from discretion.staff.models import Staff

    sar = SarCase.objects.filter(pk=args.sar_id).first()
    username = args.as_user or (sar.handler.username if sar is not None and sar.handler else None)
    if username is None:
        raise UsageError("give --as USERNAME: the case has no handler")
    actor = Staff.objects.filter(username=username).first()
    if actor is None:
        raise UsageError(f"unknown user {username!r}")
    try:
        if sar is None or sar.compiled_at is None or not args.wait:
            ir.compile_records(actor, args.sar_id)
        if not args.wait:
            print(json.dumps({"queued": True, "progress": reads.progress_for(actor, args.sar_id).line()}))
            return EXIT_OK
        done = reads.read_documents(actor.pk, args.sar_id, on_progress=lambda p: print(p.line(), flush=True))
    except (ir.InvalidInput, documents.InvalidInput) as exc:
        raise UsageError(str(exc)) from None
    except (access.NotFound, access.NotPermitted, access.AccessDenied, access.PolicyNotAcknowledged):
        raise UsageError(f"no subject-access case {args.sar_id} for {username}") from None
    print(json.dumps({"finished": done.finished, "progress": done.line()}))
    return EXIT_OK
