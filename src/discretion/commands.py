"""CLI commands that need Django: seed, demo, audit verify/show, manage."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from discretion.cli_support import EXIT_FAILED, EXIT_OK, OneLineParser, UsageError, positive_int


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
    import django

    django.setup()


def database_has_table(table: str) -> bool:
    """Whether the configured database exists and has been migrated as far as `table`.

    Commands that only read optional council data (calendar one-off days, known people) use it
    so they still work where no database has been set up, without creating one.
    """
    setup_django()
    from django.db import DatabaseError, connection

    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if name != ":memory:" and not Path(name).exists():
            return False
    try:
        return table in connection.introspection.table_names()
    except DatabaseError:
        return False


def register(subparsers: Any) -> None:
    seed = subparsers.add_parser(
        "seed",
        help="Build a synthetic council into an empty database.",
        description="Build a synthetic council (Faker en_GB) into an empty database.",
    )
    seed.add_argument("--size", choices=["small", "medium", "large"], default="small")
    seed.add_argument(
        "--seed", type=int, default=1, help="Random seed: the same seed builds the same council."
    )
    seed.add_argument("--migrate", action="store_true", help="Apply database migrations first.")
    seed.set_defaults(func=run_seed)

    demo = subparsers.add_parser(
        "demo",
        help="Migrate, seed a small council if empty, and serve it.",
        description="Set up the demo database and serve the web app.",
    )
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--no-serve", action="store_true", help="Set up and print the accounts, but do not serve."
    )
    demo.set_defaults(func=run_demo)

    audit = subparsers.add_parser(
        "audit",
        help="Verify or read the audit trail.",
        description="Verify the hash-chained audit trail or read it.",
    )
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, parser_class=OneLineParser)
    verify = audit_sub.add_parser(
        "verify", help="Recompute the chain; exit 0 when intact, 1 naming the first bad event."
    )
    verify.add_argument(
        "--from-checkpoint",
        type=Path,
        metavar="FILE",
        help="Start after the signed checkpoint in FILE (written by --save-checkpoint).",
    )
    verify.add_argument(
        "--save-checkpoint",
        type=Path,
        metavar="FILE",
        help="When intact, write a signed checkpoint of the chain's end to FILE.",
    )
    verify.add_argument(
        "--workers",
        type=positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="Check a long chain in N processes at once (default: one per CPU; 1 to turn off).",
    )
    verify.add_argument(
        "--head",
        type=Path,
        metavar="FILE",
        help="Compare the chain's end with the signed checkpoint in FILE (a backup's copy) instead of "
        "the checkpoint store.",
    )
    verify.add_argument("--json", action="store_true", help="Print the result as JSON.")
    verify.set_defaults(func=run_audit_verify)
    sequence = audit_sub.add_parser(
        "sequence",
        help="Integrate accepted events and bring the signed checkpoint up to the chain's end "
        "(run every minute by the scheduler).",
    )
    sequence.add_argument(
        "--follow",
        action="store_true",
        help="Keep integrating until stopped: the sequencer process of the production stack (PostgreSQL).",
    )
    sequence.set_defaults(func=run_audit_sequence)
    accept = audit_sub.add_parser(
        "accept-restore",
        help="After restoring an older backup on purpose, re-anchor the checkpoint (the rollback is "
        "recorded in the chain).",
    )
    accept.add_argument("--reason", required=True, help="Why the restore is accepted (recorded).")
    accept.set_defaults(func=run_audit_accept_restore)
    show = audit_sub.add_parser("show", help="Who has looked at a person's record.")
    show.add_argument("--person", required=True, metavar="REF", help="The person reference, e.g. P000123.")
    show.add_argument(
        "--as",
        dest="as_user",
        required=True,
        metavar="USERNAME",
        help="The information governance officer asking (the read is audited).",
    )
    show.add_argument("--limit", type=int, default=200)
    show.set_defaults(func=run_audit_show)

    manage = subparsers.add_parser(
        "manage", help="Run a Django management command (migrate, createsuperuser…).", add_help=False
    )
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=run_manage)


def run_seed(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    from discretion import seed

    if args.migrate:
        call_command("migrate", verbosity=0)
    try:
        report = seed.build(args.size, args.seed)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(
        json.dumps(
            {
                "size": args.size,
                "seed": args.seed,
                "children": report.children,
                "adults": report.adults,
                "cases": report.cases,
                "entries": report.entries,
                "staff": report.staff,
                "seconds": round(report.seconds, 1),
            }
        )
    )
    return EXIT_OK


def run_demo(args: argparse.Namespace) -> int:
    # Synthetic data only: keys made once for this checkout (var/demo-secrets.json), so the demo
    # runs with DEBUG off like production, pseudonymised extracts can be tried, and the audit
    # checkpoint stays valid across restarts. Keys set in the environment win.
    from discretion.safety import demo_secrets

    home = Path(os.environ.get("DISCRETION_HOME", Path.cwd()))
    for name, value in demo_secrets(Path(os.environ.get("DISCRETION_VAR", home / "var"))).items():
        os.environ.setdefault(name, value)
    setup_django()
    from django.core.management import call_command

    from discretion import seed
    from discretion.records.models import Person

    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        report = seed.build("small", 1)
        print(f"Built a small synthetic council: {report.children} children, {report.entries} entries.")
    print("\nDemo accounts (every account is personal; password for all: " + seed.DEMO_PASSWORD + ")")
    for username, label in seed.demo_accounts():
        print(f"  {username:<16} {label}")
    from discretion.staff import security

    # Synthetic data only: every demo account shares one published authenticator secret.
    security.ensure_demo_devices([username for username, _ in seed.demo_accounts()])
    if security.two_factor_required():
        secret = security.demo_secret()
        print("\nTwo-factor sign-in: every demo account has an authenticator app with this setup key")
        print(f"  {secret}")
        print(f"  otpauth://totp/Discretion:demo?secret={secret}&issuer=Discretion")
        print("Add it to an authenticator app, or print the current code with:")
        print(
            '  .venv/bin/python -c "import base64; from django_otp.oath import totp; '
            f"print('%06d' % totp(base64.b32decode('{secret}')))\""
        )
    print(f"\nOpen http://127.0.0.1:{args.port}/ and sign in.\n")
    sys.stdout.flush()
    if not args.no_serve:
        call_command("runserver", f"127.0.0.1:{args.port}", "--noreload")
    return EXIT_OK


def run_audit_verify(args: argparse.Namespace) -> int:
    setup_django()
    from discretion.audit import services as audit
    from discretion.audit.chain import Checkpoint

    start = None
    if args.from_checkpoint is not None:
        try:
            start = Checkpoint.from_json(args.from_checkpoint.read_text())
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(f"cannot read checkpoint {args.from_checkpoint}: {exc}") from None
    head = None
    if args.head is not None:
        try:
            head = Checkpoint.from_json(args.head.read_text())
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(f"cannot read checkpoint {args.head}: {exc}") from None
    result = audit.verify(start=start, workers=args.workers, head_checkpoint=head)
    state = audit.status()
    if args.json:
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "checked": result.checked,
                    "last_seq": result.last_seq,
                    "first_bad_seq": result.first_bad_seq,
                    "problem": result.problem,
                    "checkpoint_seq": head.seq if head is not None else state["checkpoint_seq"],
                    "pending": state["pending"],
                }
            )
        )
    if not result.ok:
        where = "" if result.first_bad_seq is None else f" broken at event {result.first_bad_seq}"
        sys.stderr.write(f"audit chain{where or ' cannot be verified'}: {result.problem}\n")
        return EXIT_FAILED
    if args.save_checkpoint is not None:
        args.save_checkpoint.write_text(audit.sign_checkpoint(result).to_json())
    if not args.json:
        signed = head.seq if head is not None else state["checkpoint_seq"]
        print(
            f"audit chain intact: {result.checked} events checked, last event {result.last_seq}; "
            f"signed checkpoint at event {signed}; {state['pending']} accepted events not yet integrated"
        )
    return EXIT_OK


def run_audit_sequence(args: argparse.Namespace) -> int:
    setup_django()
    from discretion.audit import services as audit

    if args.follow:
        return _follow()
    outcome = audit.integrate_and_sign()
    print(json.dumps(outcome))
    if not outcome["ok"]:
        sys.stderr.write(f"audit sequence: the chain does not verify: {outcome['problem']}\n")
        return EXIT_FAILED
    return EXIT_OK


def _follow() -> int:
    import logging
    import signal
    import threading

    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection

    from discretion.audit import sequencer
    from discretion.safety import refuse_to_start

    if connection.vendor != "postgresql":
        raise UsageError("the sequencer runs on PostgreSQL; SQLite chains each event as it is written")
    try:
        refuse_to_start()
    except ImproperlyConfigured as exc:
        raise UsageError(str(exc)) from None
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    logging.getLogger("discretion.audit.sequencer").info("audit sequencer started")
    print("audit sequencer started", flush=True)
    batches = sequencer.follow(stop)
    print(f"audit sequencer stopped after {batches} batches", flush=True)
    return EXIT_OK


def run_audit_accept_restore(args: argparse.Namespace) -> int:
    setup_django()
    from discretion.audit import services as audit

    if len(args.reason.strip()) < 10:
        raise UsageError("give the reason the restore is accepted (at least 10 characters)")
    try:
        details = audit.accept_restore(args.reason.strip())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps(details))
    return EXIT_OK


def run_audit_show(args: argparse.Namespace) -> int:
    setup_django()
    from discretion import access
    from discretion.staff.models import Staff

    actor = Staff.objects.filter(username=args.as_user).first()
    if actor is None:
        raise UsageError(f"unknown user {args.as_user!r}")
    try:
        _person, events = access.who_has_viewed(actor, args.person, limit=args.limit)
    except access.NotFound:
        raise UsageError(f"unknown person reference {args.person!r}") from None
    names = Staff.objects.in_bulk({e.actor_id for e in events if e.actor_id})
    for event in events:
        who = names.get(event.actor_id) if event.actor_id else None
        print(
            json.dumps(
                {
                    "seq": event.seq,
                    "at": event.at,
                    "action": event.action,
                    "staff": who.username if who else None,
                    "object": f"{event.object_type}:{event.object_id}",
                    "ip": event.ip,
                    "reason": event.reason,
                }
            )
        )
    return EXIT_OK


def run_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["discretion manage", *args.args])
    return EXIT_OK
