"""`discretion backup` and `discretion restore`: the database and the signed audit checkpoint.

A backup is a directory: the database (PostgreSQL: `pg_dump --format=custom`; SQLite: the
online backup API), `checkpoint.json` (the signed head checkpoint, read *before* the dump, so it
never names an event the dump lacks) and `manifest.json`.

`restore` loads a backup into an empty database, then verifies the audit chain against the
checkpoint store the service uses. A backup older than that checkpoint is reported as a
rollback (exit 1), never silently accepted: the operator either restores a newer backup or, if
the events after it are truly lost, runs `discretion audit accept-restore --reason ...`, which
records the rollback in the chain itself. Where the checkpoint store was lost too, verify
against the backup's own copy: `discretion audit verify --head DIR/checkpoint.json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from discretion.bootstrap import setup_django
from discretion.cli_support import EXIT_FAILED, EXIT_OK, UsageError


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="Back up the database and the signed audit checkpoint into a new directory.",
        description="Write the database dump, checkpoint.json and manifest.json into DIR (which must not exist).",
    )
    backup.add_argument("--out", type=Path, required=True, metavar="DIR")
    backup.set_defaults(func=run_backup)
    restore = subparsers.add_parser(
        "restore",
        help="Restore a backup into an empty database, then verify the audit chain.",
        description="Load DIR's dump into the (empty) database named by DATABASE_URL, then verify the "
        "audit chain against the checkpoint store; a rollback exits 1.",
    )
    restore.add_argument("--from", dest="source", type=Path, required=True, metavar="DIR")
    restore.set_defaults(func=run_restore)


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise UsageError(f"{name} is not installed (Debian: postgresql-client)")
    return str(candidates[-1])


def _libpq_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The connection as libpq environment variables (the password never on a command line)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def run_backup(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import connection

    from discretion.audit import services as audit

    out: Path = args.out
    if out.exists():
        raise UsageError(f"{out} already exists: a backup goes into a new directory")
    # The checkpoint first: it may lag the chain but never runs ahead of it, so the dump taken
    # after it holds every event it names.
    checkpoint = audit.read_checkpoint()
    out.mkdir(parents=True)
    if checkpoint is not None:
        (out / "checkpoint.json").write_text(checkpoint.to_json())
    if connection.vendor == "postgresql":
        database = "database.dump"
        subprocess.run(  # noqa: S603 - a fixed tool and our own arguments
            [_postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out / database)],
            env=_libpq_env(connection.settings_dict),
            check=True,
        )
    else:
        import sqlite3

        database = "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(out / database)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "database": database,
        "checkpoint_seq": checkpoint.seq if checkpoint else None,
        "checkpoint_store": audit.checkpoint_store().describe(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest))
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import connection

    from discretion.audit import services as audit

    source: Path = args.source
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{source} is not a Discretion backup: {exc}") from None
    if manifest.get("engine") != connection.vendor:
        raise UsageError(
            f"the backup is of a {manifest.get('engine')} database; DATABASE_URL is {connection.vendor}"
        )
    if connection.introspection.table_names():
        raise UsageError("the database is not empty: restore into a new, empty database")
    dump = source / str(manifest["database"])
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(  # noqa: S603 - a fixed tool and our own arguments
            [
                _postgres_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(dump),
            ],
            env=_libpq_env(connection.settings_dict),
            check=True,
        )
    else:
        import sqlite3

        connection.ensure_connection()
        backup = sqlite3.connect(dump)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    result = audit.verify(workers=os.cpu_count() or 1)
    if not result.ok:
        sys.stderr.write(
            f"discretion restore: restored, but the audit chain does not match the checkpoint store: "
            f"{result.problem}. Restore a newer backup, or if the later events are truly lost run "
            f"`discretion audit accept-restore --reason ...`.\n"
        )
        return EXIT_FAILED
    print(
        json.dumps(
            {
                "restored": str(source),
                "events": result.checked,
                "last_seq": result.last_seq,
                "audit_verify": "ok",
            }
        )
    )
    return EXIT_OK
