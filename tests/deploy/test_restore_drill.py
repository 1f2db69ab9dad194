"""The restore drill: a backup (database + signed checkpoint) restored into a fresh database
verifies; an older backup restored over a newer checkpoint is reported as a rollback; the
checkpoint lives where every node and a restore can reach it (a witness database)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from tests.deploy.test_stack import _database_url

BIN = Path(sys.executable).parent
_n = itertools.count(1)

pytestmark = pytest.mark.django_db(transaction=True)


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "discretion"), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _fresh_database(tmp_path: Path, scratch: Any) -> str:
    """An empty database of the suite's engine: a new database in a cluster of its own for
    PostgreSQL, a new file for SQLite."""
    if connection.vendor == "postgresql":
        return scratch.create_database(f"restored_{os.getpid()}_{next(_n)}")
    return f"sqlite:///{tmp_path / f'restored-{next(_n)}.sqlite3'}"


def _append(n: int) -> None:
    for i in range(n):
        audit.record(1, "person.read", object_type="person", object_id=i, person_id=i)


def test_backup_restores_and_verifies_and_an_older_backup_is_a_rollback(tmp_path, settings, scratch_postgres):
    witness = scratch_postgres.create_database(f"witness_{os.getpid()}_{next(_n)}")
    settings.AUDIT_CHECKPOINT_URL = witness
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCRETION_", "DATABASE_URL"))}
    env.update(
        DISCRETION_VAR=str(tmp_path / "var"),
        DISCRETION_AUDIT_CHECKPOINT_URL=witness,
        DATABASE_URL=_database_url(connection.settings_dict),
    )
    _append(5)
    head = audit.read_checkpoint()
    assert head is not None and head.seq == 5  # kept in the witness database, not a local file

    backup = _cli(["backup", "--out", str(tmp_path / "b1")], env)
    assert backup.returncode == 0, backup.stderr
    manifest = json.loads((tmp_path / "b1" / "manifest.json").read_text())
    assert manifest["checkpoint_seq"] == 5 and manifest["engine"] == connection.vendor

    restored = _cli(
        ["restore", "--from", str(tmp_path / "b1")],
        {**env, "DATABASE_URL": _fresh_database(tmp_path, scratch_postgres)},
    )
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["audit_verify"] == "ok"

    _append(3)  # the service goes on: the checkpoint moves to event 8
    assert audit.read_checkpoint().seq == 8  # type: ignore[union-attr]
    older = _fresh_database(tmp_path, scratch_postgres)
    rollback = _cli(["restore", "--from", str(tmp_path / "b1")], {**env, "DATABASE_URL": older})
    assert rollback.returncode == 1
    assert "rollback" in rollback.stderr and "events after 5 are missing" in rollback.stderr

    # The witness lost too: verify against the backup's own copy of the checkpoint.
    own_copy = _cli(
        ["audit", "verify", "--head", str(tmp_path / "b1" / "checkpoint.json")],
        {**env, "DATABASE_URL": older},
    )
    assert own_copy.returncode == 0, own_copy.stderr

    # Accepting the restore on purpose re-anchors the checkpoint and records the rollback.
    accepted = _cli(
        ["audit", "accept-restore", "--reason", "Disk lost; restored last night's backup"],
        {**env, "DATABASE_URL": older},
    )
    assert accepted.returncode == 0, accepted.stderr
    assert json.loads(accepted.stdout)["checkpoint_was_seq"] == 8
    after = _cli(["audit", "verify", "--json"], {**env, "DATABASE_URL": older})
    assert after.returncode == 0 and json.loads(after.stdout)["last_seq"] == 6, after.stderr


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, scratch_postgres):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCRETION_", "DATABASE_URL"))}
    env.update(
        DISCRETION_VAR=str(tmp_path / "var"),
        DISCRETION_AUDIT_CHECKPOINT=str(tmp_path / "checkpoint.json"),
        DATABASE_URL=_database_url(connection.settings_dict),
    )
    _append(1)
    assert _cli(["backup", "--out", str(tmp_path / "b")], env).returncode == 0
    again = _cli(["restore", "--from", str(tmp_path / "b")], env)  # over the live database
    assert again.returncode == 2 and "not empty" in again.stderr
    assert AuditEvent.objects.count() == 1
