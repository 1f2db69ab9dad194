"""Accepting apart from sequencing (PostgreSQL), and the scheduled pass that keeps the signed
checkpoint up to the chain's end. SQLite chains each event as it is written, under its one
writer lock: where a behaviour differs, each engine's is asserted."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from discretion.audit import services as audit
from discretion.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_writer_never_waits_for_another_callers_open_transaction():
    """The lock that orders the chain is not held for the rest of a caller's transaction."""
    audit.record(1, "test.before")
    opened, release, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_caller() -> None:
        try:
            with transaction.atomic():
                audit.record(2, "test.in_a_long_transaction")
                opened.set()
                release.wait(120)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def other_writer() -> None:
        try:
            audit.record(3, "test.meanwhile")
            done.set()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    caller = threading.Thread(target=slow_caller)
    caller.start()
    assert opened.wait(120)
    writer = threading.Thread(target=other_writer)
    if connection.vendor == "postgresql":
        writer.start()
        finished_while_open = done.wait(120)
        release.set()
    else:  # SQLite: one writer at a time, so the other writer runs once the caller has finished
        release.set()
        caller.join(120)
        writer.start()
        finished_while_open = False
    caller.join(120)
    writer.join(120)
    assert errors == []
    assert finished_while_open == (connection.vendor == "postgresql")
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    if connection.vendor == "postgresql":
        # in the chain in the order the events were integrated: the meanwhile event first
        assert actions == ["test.before", "test.meanwhile", "test.in_a_long_transaction"]
    else:
        assert actions == ["test.before", "test.in_a_long_transaction", "test.meanwhile"]
    assert audit.verify().ok


def test_with_a_sequencer_process_writers_only_accept_and_nothing_is_left_out(settings):
    if connection.vendor != "postgresql":
        result = subprocess.run(
            [str(Path(sys.executable).parent / "discretion"), "audit", "sequence", "--follow"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2 and "SQLite chains each event" in result.stderr
        return
    from discretion.audit import sequencer

    settings.AUDIT_SEQUENCER = "daemon"
    audit.record(1, "test.accepted")
    assert AuditEvent.objects.get().seq is None  # accepted, waiting for the sequencer
    stop = threading.Event()
    batches: list[int] = []

    def run() -> None:
        try:
            batches.append(sequencer.follow(stop, poll=0.01))
        finally:
            connections.close_all()

    follower = threading.Thread(target=run)
    follower.start()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(25):
                audit.record(n, "test.parallel", object_id=i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
    stop.set()
    follower.join(120)
    sequencer.integrate()  # whatever arrived after the follower's last look
    assert errors == [] and batches and batches[0] >= 1
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 152))
    result = audit.verify()
    head = audit.read_checkpoint()
    assert result.ok and head is not None and (head.seq, head.hash) == (151, result.last_hash)


def test_the_scheduled_pass_integrates_what_was_left_and_brings_the_checkpoint_to_the_head(
    settings, monkeypatch
):
    signed: list[int] = []
    real = audit.write_checkpoint
    monkeypatch.setattr(audit, "write_checkpoint", lambda seq, h: signed.append(seq))
    for i in range(3):
        audit.record(1, "test.unsigned", object_id=i)  # as if each writer died before signing
    monkeypatch.setattr(audit, "write_checkpoint", real)
    assert audit.read_checkpoint() is None
    outcome = audit.integrate_and_sign()
    assert outcome == {"ok": True, "integrated": 0, "checkpoint_moved_to": 3}
    assert audit.read_checkpoint().seq == 3  # type: ignore[union-attr]
    assert audit.verify().ok
    assert audit.integrate_and_sign()["checkpoint_moved_to"] is None  # nothing to move


def test_the_scheduled_pass_never_signs_a_broken_chain():
    for i in range(2):
        audit.record(1, "test.event", object_id=i)
    from tests.audit.test_chain import _raw

    audit.record(1, "test.event", object_id=3)
    head = audit.read_checkpoint()
    assert head is not None and head.seq == 3
    audit.checkpoint_store().replace(
        audit.Checkpoint.sign(1, AuditEvent.objects.get(seq=1).hash, audit._key())
    )
    _raw("UPDATE audit_auditevent SET reason = 'edited' WHERE seq = 2", [])
    outcome = audit.integrate_and_sign()
    assert outcome["ok"] is False and outcome["first_bad_seq"] == 2
    assert audit.read_checkpoint().seq == 1  # type: ignore[union-attr]
