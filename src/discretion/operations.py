"""Operations commands for cron or a systemd timer: `discretion deliver` and `discretion daily`.

`deliver` sends what the outbox holds (run it every minute or so); `daily` runs the daily jobs in
this process (no task worker needed): deadline reminders and their notifications, ending accounts
past their end date (policy 1.2), misuse detection, and an outbox delivery pass. One job's failure
is reported and the others still run; the exit code is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from discretion.bootstrap import setup_django
from discretion.cli_support import EXIT_FAILED, EXIT_OK, positive_int

DAILY_DELIVERY_LIMIT = 1000


def register(subparsers: Any) -> None:
    deliver = subparsers.add_parser(
        "deliver",
        help="Send pending outbox messages.",
        description="Send pending and failed outbox messages by their channels (policy 1.1); print "
        "counts as JSON; exit 1 if any send failed.",
    )
    deliver.add_argument(
        "--limit", type=positive_int, default=100, metavar="N", help="At most N messages (default 100)."
    )
    deliver.set_defaults(func=run_deliver)

    daily = subparsers.add_parser(
        "daily",
        help="Run the daily jobs (for cron or a systemd timer).",
        description="Deadline reminders, ended accounts, misuse detection and outbox delivery; print "
        "a JSON summary; exit 1 if any job failed.",
    )
    daily.set_defaults(func=run_daily)


def _deliver(limit: int) -> dict[str, int]:
    from discretion.disclosures.delivery import send_outbox_message
    from discretion.disclosures.models import OutboxMessage, OutboxStatus
    from discretion.disclosures.services import deliver_pending

    sent, failed = deliver_pending(send_outbox_message, limit=limit)
    waiting = OutboxMessage.objects.filter(
        status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED], attempts__lt=10
    ).count()
    # Ten failed attempts: deliver_pending stops retrying; someone must look at these.
    given_up = OutboxMessage.objects.filter(status=OutboxStatus.FAILED, attempts__gte=10).count()
    return {"sent": sent, "failed": failed, "waiting": waiting, "given_up": given_up}


def run_deliver(args: argparse.Namespace) -> int:
    setup_django()
    counts = _deliver(args.limit)
    print(json.dumps(counts))
    return EXIT_FAILED if counts["failed"] else EXIT_OK


def _daily_jobs() -> list[tuple[str, Callable[[], tuple[bool, object]]]]:
    from discretion.information_rights.tasks import send_deadline_reminders
    from discretion.staff.tasks import deactivate_ended_accounts, run_misuse_detection

    def reminders() -> tuple[bool, object]:
        from discretion.notifications.reminders import notify_due_dates

        created = send_deadline_reminders.call()
        return True, {"reminders": created, "notifications": notify_due_dates()}

    def accounts() -> tuple[bool, object]:
        return True, {"deactivated": len(deactivate_ended_accounts.call())}

    def misuse() -> tuple[bool, object]:
        return True, {"alerts": run_misuse_detection.call()}

    def outbox() -> tuple[bool, object]:
        counts = _deliver(DAILY_DELIVERY_LIMIT)
        return counts["failed"] == 0, counts

    return [
        ("deadline_reminders", reminders),
        ("deactivate_ended_accounts", accounts),
        ("misuse_detection", misuse),
        ("outbox_delivery", outbox),
    ]


def run_daily(args: argparse.Namespace) -> int:
    setup_django()
    summary: dict[str, dict[str, object]] = {}
    for name, job in _daily_jobs():
        try:
            ok, result = job()
        except Exception as exc:  # one job's failure must not stop the others
            summary[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
            sys.stderr.write(f"discretion daily: {name} failed: {type(exc).__name__}\n")
            continue
        summary[name] = {"ok": ok, **(result if isinstance(result, dict) else {"result": result})}
        if not ok:
            sys.stderr.write(f"discretion daily: {name} had failures\n")
    failed = [name for name, outcome in summary.items() if not outcome["ok"]]
    print(json.dumps({"ok": not failed, "failed": failed, "jobs": summary}))
    return EXIT_FAILED if failed else EXIT_OK
