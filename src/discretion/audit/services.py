"""Appending to and verifying the audit chain."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from discretion.audit.chain import (
    FIELDS,
    GENESIS_HASH,
    CanonicalRow,
    Checkpoint,
    VerifyResult,
    canonical_details,
    event_hash,
    verify_rows,
)
from discretion.audit.context import current_context
from discretion.audit.models import AuditEvent, ChainHead


def session_digest(session_key: str | None) -> str:
    """Sessions are identified in the log by a digest, so the log never holds a usable key."""
    if not session_key:
        return ""
    return hashlib.sha256(session_key.encode()).hexdigest()[:16]


# One statement both locks the head and reads it (RETURNING: PostgreSQL, SQLite >= 3.35).
_ADVANCE_HEAD = "UPDATE audit_chainhead SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash"


def record(
    actor_id: int | None,
    action: str,
    *,
    object_type: str = "",
    object_id: object = "",
    person_id: int | None = None,
    reason: str = "",
    details: dict[str, object] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Locking the head row first serialises appends on both engines (PostgreSQL row lock;
    SQLite's write lock), so concurrent writers can never fork the chain.
    """
    ctx = current_context()
    with transaction.atomic():
        # The UPDATE takes the head's row lock (PostgreSQL) or the write lock (SQLite) first.
        with connection.cursor() as cursor:
            cursor.execute(_ADVANCE_HEAD)
            row = cursor.fetchone()
        if row is None:
            ChainHead.objects.create(id=1, seq=1, hash=GENESIS_HASH)
            row = (1, GENESIS_HASH)
        head = ChainHead(id=1, seq=row[0], hash=row[1])
        at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        detail_text = canonical_details({"channel": ctx.channel, **(details or {})})
        values = (
            head.seq,
            at,
            actor_id,
            action,
            object_type,
            str(object_id),
            person_id,
            ctx.ip,
            ctx.session,
            reason,
            detail_text,
        )
        digest = event_hash(values, head.hash)
        event = AuditEvent.objects.create(
            seq=head.seq,
            at=at,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            person_id=person_id,
            ip=ctx.ip,
            session=ctx.session,
            reason=reason,
            details=detail_text,
            prev_hash=head.hash,
            hash=digest,
        )
        ChainHead.objects.filter(id=1).update(hash=digest)
        seq = head.seq
        transaction.on_commit(lambda: write_checkpoint(seq, digest))
    return event


def _key() -> bytes:
    return str(settings.AUDIT_CHECKPOINT_KEY).encode()


def _checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_PATH)


# The checkpoint is one fixed-size record rewritten in place by a single pwrite under an
# exclusive lock: cheap enough to move on every append. The descriptor stays open per process.
_CHECKPOINT_BYTES = 512
_checkpoint_fds: dict[str, int] = {}
_checkpoint_lock = threading.Lock()  # flock does not exclude threads sharing one descriptor


def _checkpoint_fd(path: Path) -> int:
    fd = _checkpoint_fds.get(str(path))
    if fd is not None and os.fstat(fd).st_nlink == 0:  # the file was removed or replaced
        os.close(fd)
        fd = None
    if fd is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        _checkpoint_fds[str(path)] = fd
    return fd


def write_checkpoint(seq: int, head_hash: str) -> None:
    """Move the signed head checkpoint forward (never back), under a lock."""
    with _checkpoint_lock:
        fd = _checkpoint_fd(_checkpoint_path())
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            text = os.pread(fd, _CHECKPOINT_BYTES, 0).decode().strip()
            if text and Checkpoint.from_json(text).seq >= seq:
                return
            record = Checkpoint.sign(seq, head_hash, _key()).to_json().encode()
            os.pwrite(fd, record.ljust(_CHECKPOINT_BYTES), 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


def read_checkpoint() -> Checkpoint | None:
    path = _checkpoint_path()
    if not path.exists():
        return None
    text = path.read_text().strip()
    return Checkpoint.from_json(text) if text else None


def _rows(from_seq: int) -> Iterator[CanonicalRow]:
    table = AuditEvent._meta.db_table
    # The database assembles each event's canonical text (the same netstring form as
    # chain.canonical_text); Python hashes it, so the rate is close to SHA-256's own.
    canonical_sql = " || ".join(
        f"length(COALESCE(CAST({f} AS TEXT), '')) || ':' || COALESCE(CAST({f} AS TEXT), '') || ','"
        for f in FIELDS
    )
    columns = f"seq, {canonical_sql}, prev_hash, hash"
    sql = f"SELECT {columns} FROM {table} WHERE seq >= %s ORDER BY seq"  # noqa: S608
    # A server-side cursor on PostgreSQL; SQLite streams from its cursor. Constant memory either way.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, [from_seq])
        if connection.vendor != "postgresql":
            while batch := cursor.fetchmany(5000):
                yield from batch
            return
        # PostgreSQL: a reader thread fetches the next batch (the server assembling it on its own
        # core) while this thread hashes the current one. At most two batches are held.
        batches: queue.Queue[list[CanonicalRow] | BaseException | None] = queue.Queue(maxsize=2)

        stop = threading.Event()

        def read() -> None:
            try:
                while not stop.is_set() and (batch := cursor.fetchmany(5000)):
                    batches.put(batch)
                batches.put(None)
            except BaseException as exc:  # handed to the consuming thread
                batches.put(exc)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            while (item := batches.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield from item
        finally:
            # The consumer may stop early (a broken event): let the reader finish, then join it.
            stop.set()
            while reader.is_alive():
                try:
                    batches.get_nowait()
                except queue.Empty:
                    reader.join(0.01)


def verify(*, start: Checkpoint | None = None, use_head_checkpoint: bool = True) -> VerifyResult:
    """Recompute the chain and compare its end with the signed head checkpoint.

    `start` is a signed checkpoint from an earlier verified run: the chain is then re-checked
    from the event after it, so a nightly run need not re-read years of events.
    """
    start_seq, start_prev = 1, GENESIS_HASH
    if start is not None:
        if not start.is_authentic(_key()):
            return VerifyResult(False, 0, 0, "", start.seq, "the starting checkpoint's signature is invalid")
        start_seq, start_prev = start.seq + 1, start.hash
    head = read_checkpoint() if use_head_checkpoint else None
    return verify_rows(
        _rows(start_seq), start_prev_hash=start_prev, start_seq=start_seq, checkpoint=head, key=_key()
    )


def sign_checkpoint(result: VerifyResult) -> Checkpoint:
    """A signed checkpoint of a verified chain end, to start the next verify from."""
    return Checkpoint.sign(result.last_seq, result.last_hash, _key())
