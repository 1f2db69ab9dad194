"""The audit chain: every tamper case is caught, appends never fork, verify streams."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.db import DatabaseError, connection, transaction

from discretion.audit import services as audit
from discretion.audit.chain import Checkpoint, event_hash
from discretion.audit.models import AuditEvent, ChainHead

SQLITE_TRIGGER = importlib.import_module("discretion.audit.migrations.0002_append_only").SQLITE_TRIGGER


def _append(n: int) -> list[AuditEvent]:
    # The head checkpoint is written on commit; run those callbacks inside the test transaction.
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return [
            audit.record(1, "test.event", object_type="case", object_id=i, person_id=i, details={"i": i})
            for i in range(n)
        ]


def _raw(sql: str, params: list[object]) -> None:
    """Tamper below the ORM, as an attacker with database access would (trigger off on PG)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
            cursor.execute(sql, params)
            cursor.execute(SQLITE_TRIGGER)


pytestmark = pytest.mark.django_db


def test_intact_chain_verifies():
    _append(5)
    result = audit.verify()
    assert result.ok and result.checked == 5 and result.last_seq == 5


def test_a_batch_for_several_people_chains_like_single_events():
    from django.test import TestCase

    _append(2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        audit.record_for_people(1, "test.batch", [7, 3, 5, 3], object_type="search")
    _append(1)
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "action", "person_id"))
    assert rows[2:5] == [(3, "test.batch", 3), (4, "test.batch", 5), (5, "test.batch", 7)]
    result = audit.verify()
    assert result.ok and result.checked == 6 and result.last_seq == 6


def test_edited_event_is_named():
    _append(5)
    _raw("UPDATE audit_auditevent SET reason = %s WHERE seq = 3", ["edited"])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == 3


def test_deleted_event_is_named():
    _append(5)
    _raw("DELETE FROM audit_auditevent WHERE seq = 2", [])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == 3


def test_inserted_event_is_caught():
    events = _append(3)
    _raw("UPDATE audit_auditevent SET seq = seq + 100 WHERE seq = 3", [])
    forged = AuditEvent(
        seq=3, at=events[2].at, actor_id=1, action="test.forged", prev_hash=events[1].hash, hash="0" * 64
    )
    _raw(
        "INSERT INTO audit_auditevent (seq, at, actor_id, action, object_type, object_id, ip, session, reason,"
        " details,"
        " prev_hash, hash) VALUES (%s, %s, %s, %s, '', '', '', '', '', '', %s, %s)",
        [forged.seq, forged.at, 1, forged.action, forged.prev_hash, forged.hash],
    )
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == 3


def test_reordered_events_are_caught():
    _append(4)
    _raw("UPDATE audit_auditevent SET seq = 100 WHERE seq = 2", [])
    _raw("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3", [])
    _raw("UPDATE audit_auditevent SET seq = 3 WHERE seq = 100", [])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == 2


def test_cutting_off_the_newest_events_is_caught_by_the_signed_checkpoint():
    _append(5)
    _raw("DELETE FROM audit_auditevent WHERE seq >= 4", [])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == 4 and "missing" in result.problem


def test_rehashing_the_whole_chain_after_an_edit_is_caught():
    events = _append(3)
    prev = events[0].hash
    for e in events[1:]:
        values = (
            e.seq,
            e.at,
            e.actor_id,
            e.action,
            e.object_type,
            e.object_id,
            e.person_id,
            e.ip,
            e.session,
            "rewritten",
            e.details,
        )
        digest = event_hash(values, prev)
        _raw(
            "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            ["rewritten", prev, digest, e.seq],
        )
        prev = digest
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == 3 and "checkpoint" in result.problem


def test_forged_checkpoint_is_refused(settings):
    _append(2)
    settings.AUDIT_CHECKPOINT_PATH.write_text(Checkpoint(2, "f" * 64, "0" * 64).to_json())
    assert not audit.verify().ok


def test_verify_from_a_signed_checkpoint_reads_only_newer_events():
    _append(4)
    first = audit.verify()
    start = audit.sign_checkpoint(first)
    _append(3)
    result = audit.verify(start=start)
    assert result.ok and result.checked == 3 and result.last_seq == 7
    _raw("UPDATE audit_auditevent SET action = 'x' WHERE seq = 6", [])
    assert audit.verify(start=start).first_bad_seq == 6


def test_a_rolled_back_action_leaves_no_gap():
    _append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(1, "test.rolled_back")
        raise RuntimeError
    _append(1)
    assert audit.verify().ok
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3]


def test_the_database_refuses_to_update_events_and_postgresql_to_delete_them():
    _append(1)
    refused = ["UPDATE audit_auditevent SET action = 'x'"]
    if connection.vendor == "postgresql":
        refused.append("DELETE FROM audit_auditevent")
    for sql in refused:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql)


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_never_fork_the_chain():
    ChainHead.objects.get_or_create(id=1)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                audit.record(n, "test.parallel", object_id=i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = list(AuditEvent.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 121))
    assert audit.verify().ok


AWKWARD = "back\\slash\ttab\nnew\rret\bbs\fff\vvt \x01 \x7f é 🙂 \\N \\t"


def test_awkward_text_verifies_on_this_engine():
    """The database's own line for a stored event must be the very text Python hashed."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        audit.record(None, "test.awkward", object_id=AWKWARD[:60], reason=AWKWARD, details={"note": AWKWARD})
        audit.record(2, "", reason="", details=None)
    result = audit.verify()
    assert result.ok, result.problem
    assert result.checked == 2


def test_verify_stops_at_a_broken_event_and_the_connection_stays_usable():
    _append(4)
    _raw("UPDATE audit_auditevent SET reason = 'x' WHERE seq = 2", [])
    assert audit.verify().first_bad_seq == 2
    assert AuditEvent.objects.count() == 4  # the half-read statement was finished cleanly


def test_a_truncated_hash_column_is_reported_not_crashed_on():
    _append(2)
    _raw("UPDATE audit_auditevent SET prev_hash = '', hash = '' WHERE seq = 2", [])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "tamper",
    [
        None,
        "UPDATE audit_auditevent SET reason = 'x' WHERE seq = 4",  # first event of the second range
        "UPDATE audit_auditevent SET reason = 'x' WHERE seq = 8",  # inside the third range
        "DELETE FROM audit_auditevent WHERE seq = 6",  # last event of the second range
        "DELETE FROM audit_auditevent WHERE seq = 7",  # first event of the third range
        "DELETE FROM audit_auditevent WHERE seq >= 9",  # newest events cut off
        "UPDATE audit_auditevent SET prev_hash = hash WHERE seq = 10",
    ],
)
def test_verifying_in_parallel_ranges_gives_the_single_process_answer(monkeypatch, tamper):
    from django.test import TestCase

    monkeypatch.setattr(audit, "_MIN_PART", 3)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for i in range(10):
            audit.record(1, "test.event", object_id=i, reason="r")
    if tamper:
        _raw(tamper, [])
    single = audit.verify()
    assert audit.verify(workers=3) == single
    assert single.ok == (tamper is None)


def test_a_null_is_read_on_the_fast_path_and_never_confused_with_the_text_backslash_n(monkeypatch):
    from django.test import TestCase

    rebuilt: list[int] = []
    original = audit._rebuilt_line
    monkeypatch.setattr(audit, "_rebuilt_line", lambda pk: rebuilt.append(pk) or original(pk))
    with TestCase.captureOnCommitCallbacks(execute=True):
        audit.record(None, "test.system")  # actor_id and person_id are NULL
        audit.record(None, "test.escaped", reason="a\\b")
    assert audit.verify().ok
    if connection.vendor == "sqlite":
        assert len(rebuilt) == 1  # only the line whose text needed an escape was rebuilt
        # SQLite lets a text value into an integer column: the text \N must not pass for NULL.
        _raw("UPDATE audit_auditevent SET actor_id = %s WHERE seq = 1", ["\\N"])
    else:
        _raw("UPDATE audit_auditevent SET actor_id = 0 WHERE seq = 1", [])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == 1


def test_a_missing_head_checkpoint_fails_verify_so_a_cut_off_end_cannot_hide(settings):
    _append(3)
    _raw("DELETE FROM audit_auditevent WHERE seq = 3", [])
    settings.AUDIT_CHECKPOINT_PATH.unlink()
    result = audit.verify()
    assert not result.ok and result.first_bad_seq is None and "checkpoint" in result.problem
    assert "missing" in result.problem
