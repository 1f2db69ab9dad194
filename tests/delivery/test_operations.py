"""`discretion deliver` and `discretion daily` through the real command line."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from discretion.cli import main
from discretion.disclosures.models import OutboxMessage, OutboxStatus
from discretion.outbound import services as outbound
from discretion.staff.models import Staff

from .conftest import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def _queue(n: int) -> list[OutboxMessage]:
    return [
        m
        for i in range(n)
        for m in outbound.queue_plain(None, to=[f"parent{i}@gmail.com"], subject="Fete", body="Saturday.")
    ]


def test_deliver_sends_pending_messages_and_prints_counts(settings, plain_server, capsys) -> None:
    settings.DISCRETION_SMTP_PORT = plain_server.port
    _queue(3)

    assert main(["deliver", "--limit", "2"]) == 0
    assert json.loads(capsys.readouterr().out) == {"sent": 2, "failed": 0, "waiting": 1, "given_up": 0}
    assert main(["deliver"]) == 0
    assert json.loads(capsys.readouterr().out)["sent"] == 1
    assert len(plain_server.inbox.received) == 3
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_deliver_exits_1_when_a_send_fails(settings, capsys) -> None:
    settings.DISCRETION_SMTP_PORT = free_port()
    _queue(1)

    assert main(["deliver"]) == 1
    assert json.loads(capsys.readouterr().out) == {"sent": 0, "failed": 1, "waiting": 1, "given_up": 0}


def test_deliver_refuses_a_bad_limit(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["deliver", "--limit", "0"])
    assert exit_.value.code == 2 and "at least 1" in capsys.readouterr().err


def test_daily_runs_every_job_and_prints_a_summary(
    world, settings, plain_server, capsys, audit_actions
) -> None:
    settings.DISCRETION_SMTP_PORT = plain_server.port
    ended = world.staff(end_on=timezone.localdate() - dt.timedelta(days=1))
    _queue(1)

    assert main(["daily"]) == 0

    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] is True and summary["failed"] == []
    jobs = summary["jobs"]
    assert list(jobs) == [
        "deadline_reminders",
        "deactivate_ended_accounts",
        "misuse_detection",
        "outbox_delivery",
    ]
    assert jobs["deactivate_ended_accounts"] == {"ok": True, "deactivated": 1}
    assert jobs["deadline_reminders"]["ok"] and jobs["misuse_detection"]["ok"]
    assert jobs["outbox_delivery"]["sent"] == 1
    assert not Staff.objects.get(pk=ended.pk).is_active
    assert "staff.deactivated" in audit_actions()
    assert len(plain_server.inbox.received) == 1


def test_daily_reports_each_failure_and_still_runs_the_other_jobs(
    world, settings, capsys, monkeypatch: Any
) -> None:
    from discretion.staff import services as staff_services

    settings.DISCRETION_SMTP_PORT = free_port()  # the mail server is down
    ended = world.staff(end_on=timezone.localdate() - dt.timedelta(days=1))
    _queue(1)

    def broken() -> Any:
        raise RuntimeError("audit table unreadable")

    monkeypatch.setattr(staff_services, "run_misuse_detection", broken)

    assert main(["daily"]) == 1

    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["ok"] is False
    assert summary["failed"] == ["misuse_detection", "outbox_delivery"]
    assert summary["jobs"]["misuse_detection"] == {
        "ok": False,
        "error": "RuntimeError: audit table unreadable",
    }
    assert summary["jobs"]["outbox_delivery"]["failed"] == 1
    assert summary["jobs"]["deactivate_ended_accounts"]["ok"] and summary["jobs"]["deadline_reminders"]["ok"]
    assert not Staff.objects.get(pk=ended.pk).is_active
    assert "misuse_detection failed: RuntimeError" in captured.err
