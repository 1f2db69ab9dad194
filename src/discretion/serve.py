"""`discretion serve`: the whole production stack from one command, against DATABASE_URL.

Processes under honcho (a Procfile runner): gunicorn serving the web pages and API, the
django-tasks database worker, the scheduler (discretion.scheduler) and, on PostgreSQL, the audit
sequencer (discretion.audit.sequencer). Stopping one stops all;
Ctrl-C or SIGTERM stops them cleanly. Before starting it refuses unsafe settings
(discretion.safety) and, with --migrate, applies migrations. Containers and systemd run the same
three commands as separate services (deploy/).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from discretion.bootstrap import setup_django
from discretion.cli_support import EXIT_OK, UsageError, positive_int


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="Run the production stack: gunicorn, the task worker and the scheduler.",
        description="Run gunicorn, the django-tasks database worker and the scheduler against "
        "DATABASE_URL until stopped. See docs/deploy.md.",
    )
    serve.add_argument(
        "--bind",
        default=os.environ.get("DISCRETION_BIND", "127.0.0.1:8000"),
        metavar="HOST:PORT",
        help="Where gunicorn listens (default 127.0.0.1:8000, or DISCRETION_BIND).",
    )
    serve.add_argument(
        "--workers", type=positive_int, default=None, metavar="N", help="gunicorn worker processes."
    )
    serve.add_argument("--migrate", action="store_true", help="Apply database migrations first.")
    serve.add_argument("--no-worker", action="store_true", help="Do not start the task worker.")
    serve.add_argument("--no-scheduler", action="store_true", help="Do not start the scheduler.")
    serve.set_defaults(func=run_serve)


def commands(args: argparse.Namespace) -> dict[str, str]:
    """The processes to run, as shell command lines, by name."""
    bin_dir = Path(sys.executable).parent
    discretion = shlex.quote(str(bin_dir / "discretion"))
    gunicorn = shlex.quote(str(bin_dir / "gunicorn"))
    procs = {
        "web": f"{gunicorn} -c python:discretion.gunicorn_conf --bind {shlex.quote(args.bind)} "
        + (f"--workers {int(args.workers)} " if args.workers else "")
        + "discretion.wsgi:application"
    }
    if not args.no_worker:
        procs["worker"] = f"{discretion} manage db_worker --interval 2 --no-startup-delay"
    if not args.no_scheduler:
        procs["scheduler"] = f"{discretion} scheduler"
    if sequencer_process():
        procs["sequencer"] = f"{discretion} audit sequence --follow"
    return procs


def sequencer_process() -> bool:
    """PostgreSQL: the audit sequencer runs as a process of its own (discretion.audit.sequencer)."""
    from django.db import connection

    return connection.vendor == "postgresql"


def run_serve(args: argparse.Namespace) -> int:
    if ":" not in args.bind:
        raise UsageError(f"--bind must be HOST:PORT, not {args.bind!r}")
    setup_django()
    from django.core.exceptions import ImproperlyConfigured

    from discretion.safety import refuse_to_start

    try:
        refuse_to_start()
    except ImproperlyConfigured as exc:
        raise UsageError(str(exc)) from None
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    from honcho.manager import Manager
    from honcho.printer import Printer

    manager = Manager(Printer(sys.stdout))
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    if sequencer_process():
        env["DISCRETION_AUDIT_SEQUENCER"] = "daemon"  # writers accept; the sequencer integrates
    for name, command in commands(args).items():
        manager.add_process(name, command, env=env)
    manager.loop()
    return int(manager.returncode or EXIT_OK)
