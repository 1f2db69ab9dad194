"""`discretion scheduler`: the scheduled jobs, run by APScheduler (cron triggers, Europe/London).

| job | when | what |
|---|---|---|
| deliver | every minute | send the outbox (`discretion deliver`) |
| audit sequence | every minute | integrate accepted audit events a dead process left behind and bring the signed checkpoint up to the chain's end (`discretion audit sequence`) |
| daily | 02:30 | reminders, ended accounts, misuse detection, outbox (`discretion daily`) |

Each job is the same code path as its command, run in this process; a job never overlaps
itself (a slow run makes the next one wait, then runs once), and one failing is logged and does
not stop the others. One scheduler per council: run exactly one (the compose file and the
systemd units do). Where systemd is preferred, deploy/systemd/ has timers for the same jobs.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from discretion.bootstrap import setup_django
from discretion.cli_support import EXIT_OK

log = logging.getLogger("discretion.scheduler")

# (job id, command line as `discretion ARGS`, cron fields)
JOBS: tuple[tuple[str, tuple[str, ...], dict[str, str]], ...] = (
    ("deliver", ("deliver",), {"minute": "*"}),
    ("audit-sequence", ("audit", "sequence"), {"minute": "*"}),
    ("daily", ("daily",), {"hour": "2", "minute": "30"}),
)


def register(subparsers: Any) -> None:
    scheduler = subparsers.add_parser(
        "scheduler",
        help="Run the scheduled jobs (deliver and audit sequence every minute, daily at 02:30).",
        description="Run the scheduled jobs until stopped (SIGTERM or Ctrl-C). One per council.",
    )
    scheduler.add_argument(
        "--list", action="store_true", help="Print the jobs and their next run times, then exit."
    )
    scheduler.set_defaults(func=run_scheduler)


def run_job(argv: tuple[str, ...]) -> int:
    """Run one command in this process, as `discretion ARGV` would (its output is this
    process's output: the journal or the container log)."""
    from django.db import close_old_connections

    from discretion.cli import main

    close_old_connections()
    try:
        code = main(list(argv))
    except Exception:
        log.exception("job %s failed", " ".join(argv))
        code = 1
    finally:
        close_old_connections()
    log.log(logging.INFO if code == 0 else logging.ERROR, "discretion %s: exit %s", " ".join(argv), code)
    return code


def build_scheduler(run: Callable[[tuple[str, ...]], int] = run_job) -> Any:
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from django.conf import settings

    scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
    for job_id, argv, fields in JOBS:
        scheduler.add_job(
            run,
            CronTrigger(timezone=settings.TIME_ZONE, **fields),
            args=[argv],
            id=job_id,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=300,
        )
    return scheduler


def run_scheduler(args: argparse.Namespace) -> int:
    setup_django()
    from discretion.safety import refuse_to_start

    refuse_to_start()
    log.setLevel(logging.INFO)  # the jobs' starts and ends, whatever the root level
    scheduler = build_scheduler()
    if args.list:
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        for job in scheduler.get_jobs():
            print(f"{job.id}: next {job.trigger.get_next_fire_time(None, now).isoformat()}")
        return EXIT_OK
    log.info("scheduler started: %s", ", ".join(job_id for job_id, _, _ in JOBS))
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
    return EXIT_OK
