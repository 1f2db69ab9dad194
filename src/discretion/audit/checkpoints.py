"""Where the signed head checkpoint is kept: outside the audited database.

The checkpoint (chain.Checkpoint: the newest integrated event's seq and hash, HMAC-signed with
a key that is never in the database) is what catches events cut off the end of the chain, a
chain re-hashed from an edited event onwards, and a restore of an older backup. So it must live
where an attacker who can change the database cannot also roll it back, and where every web
node and a restore drill can reach it:

- a file (`DISCRETION_AUDIT_CHECKPOINT`, default var/audit-checkpoint.json): one machine, or a
  directory shared by every node;
- a separate PostgreSQL database, the *checkpoint witness* (`DISCRETION_AUDIT_CHECKPOINT_URL`):
  several nodes; administered apart from the council's database and never restored with it.
  One row per chain (`DISCRETION_AUDIT_CHAIN`), so a regional service keeps one chain per council.

Both only ever move the checkpoint forward (a higher seq); `replace` moves it back and is used
only when an operator accepts a restore (`discretion audit accept-restore`).
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from typing import Any, Protocol

from discretion.audit.chain import Checkpoint


class CheckpointStore(Protocol):
    def read(self) -> Checkpoint | None: ...

    def advance(self, checkpoint: Checkpoint) -> None:
        """Store `checkpoint` if it is newer (higher seq) than the stored one; never move back."""

    def replace(self, checkpoint: Checkpoint) -> None:
        """Store `checkpoint` whatever is stored (an accepted restore)."""

    def describe(self) -> str: ...


# The file is one fixed-size record rewritten in place by a single pwrite under an exclusive
# lock: cheap enough to move on every integrated batch. The descriptor stays open per process.
_RECORD_BYTES = 512


class FileCheckpointStore:
    _fds: dict[str, int] = {}
    _lock = threading.Lock()  # flock does not exclude threads sharing one descriptor

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def describe(self) -> str:
        return str(self.path)

    def _fd(self) -> int:
        fd = self._fds.get(str(self.path))
        if fd is not None and os.fstat(fd).st_nlink == 0:  # the file was removed or replaced
            os.close(fd)
            fd = None
        if fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._fds[str(self.path)] = fd
        return fd

    def _write(self, checkpoint: Checkpoint, *, only_forward: bool) -> None:
        with self._lock:
            fd = self._fd()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                text = os.pread(fd, _RECORD_BYTES, 0).decode().strip()
                if only_forward and text and Checkpoint.from_json(text).seq >= checkpoint.seq:
                    return
                os.pwrite(fd, checkpoint.to_json().encode().ljust(_RECORD_BYTES), 0)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def advance(self, checkpoint: Checkpoint) -> None:
        self._write(checkpoint, only_forward=True)

    def replace(self, checkpoint: Checkpoint) -> None:
        self._write(checkpoint, only_forward=False)

    def read(self) -> Checkpoint | None:
        if not self.path.exists():
            return None
        text = self.path.read_text().strip()
        return Checkpoint.from_json(text) if text else None


_WITNESS_TABLE = "discretion_audit_checkpoint"
_WITNESS_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_WITNESS_TABLE} (
    chain text PRIMARY KEY,
    seq bigint NOT NULL,
    hash text NOT NULL,
    signature text NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now()
)
"""


class PostgresCheckpointStore:
    """The checkpoint witness: one row per chain in a database apart from the council's own.

    Each process (and thread) keeps one autocommit connection; a move forward is one
    statement that cannot move the row back, whatever order concurrent writers arrive in.
    """

    _local = threading.local()

    def __init__(self, url: str, chain: str) -> None:
        self.url = url
        self.chain = chain

    def describe(self) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        return f"checkpoint witness {parts.hostname or 'localhost'}{parts.path} (chain {self.chain!r})"

    def _connection(self) -> Any:
        import psycopg

        connections: dict[str, Any] = getattr(self._local, "connections", None) or {}
        self._local.connections = connections
        conn = connections.get(self.url)
        if conn is not None and (conn.closed or conn.broken):
            conn = None
        if conn is None:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            conn.execute(_WITNESS_SCHEMA)
            connections[self.url] = conn
        return conn

    def _execute(self, sql: str, params: tuple[object, ...]) -> Any:
        import psycopg

        try:
            return self._connection().execute(sql, params)
        except psycopg.OperationalError:
            # One retry on a fresh connection (the witness restarted, a node woke from sleep).
            self._local.connections.pop(self.url, None)
            return self._connection().execute(sql, params)

    def read(self) -> Checkpoint | None:
        row = self._execute(
            f"SELECT seq, hash, signature FROM {_WITNESS_TABLE} WHERE chain = %s",  # noqa: S608
            (self.chain,),
        ).fetchone()
        return None if row is None else Checkpoint(int(row[0]), str(row[1]), str(row[2]))

    def advance(self, checkpoint: Checkpoint) -> None:
        self._execute(
            f"INSERT INTO {_WITNESS_TABLE} AS w (chain, seq, hash, signature) "  # noqa: S608
            "VALUES (%s, %s, %s, %s) ON CONFLICT (chain) DO UPDATE "
            "SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, signature = EXCLUDED.signature, "
            "written_at = now() WHERE w.seq < EXCLUDED.seq",
            (self.chain, checkpoint.seq, checkpoint.hash, checkpoint.signature),
        )

    def replace(self, checkpoint: Checkpoint) -> None:
        self._execute(
            f"INSERT INTO {_WITNESS_TABLE} AS w (chain, seq, hash, signature) "  # noqa: S608
            "VALUES (%s, %s, %s, %s) ON CONFLICT (chain) DO UPDATE "
            "SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, signature = EXCLUDED.signature, "
            "written_at = now()",
            (self.chain, checkpoint.seq, checkpoint.hash, checkpoint.signature),
        )


def store_from_settings() -> CheckpointStore:
    from django.conf import settings

    url = str(getattr(settings, "AUDIT_CHECKPOINT_URL", "") or "")
    if url:
        return PostgresCheckpointStore(url, str(getattr(settings, "AUDIT_CHAIN_NAME", "discretion")))
    return FileCheckpointStore(Path(settings.AUDIT_CHECKPOINT_PATH))
