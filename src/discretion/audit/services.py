"""Appending to and verifying the audit chain."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from discretion.audit.chain import (
    FIELDS,
    GENESIS_HASH,
    NULL,
    Checkpoint,
    VerifyResult,
    canonical_details,
    event_hash,
    stored_line,
    verify_lines,
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
_ADVANCE_HEAD_BY = "UPDATE audit_chainhead SET seq = seq + %s WHERE id = 1 RETURNING seq, hash"


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


def record_for_people(
    actor_id: int | None,
    action: str,
    person_ids: Iterable[int],
    *,
    object_type: str = "",
    object_id: object = "",
    reason: str = "",
    details: dict[str, object] | None = None,
) -> None:
    """One event per person the action concerns (so "who has looked at this child" finds it),
    or a single event with no person when it concerns none. Appended as one batch: the head moves
    once, so a list of any length costs a fixed number of statements."""
    targets: list[int | None] = [*sorted(set(person_ids))] or [None]
    if len(targets) == 1:
        record(
            actor_id,
            action,
            object_type=object_type,
            object_id=object_id,
            person_id=targets[0],
            reason=reason,
            details=details,
        )
        return
    ctx = current_context()
    count = len(targets)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_ADVANCE_HEAD_BY, [count])
            row = cursor.fetchone()
        if row is None:
            ChainHead.objects.create(id=1, seq=count, hash=GENESIS_HASH)
            row = (count, GENESIS_HASH)
        last_seq, prev = row[0], row[1]
        at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        detail_text = canonical_details({"channel": ctx.channel, **(details or {})})
        events = []
        for offset, person_id in enumerate(targets):
            seq = last_seq - count + 1 + offset
            values = (
                seq,
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
            digest = event_hash(values, prev)
            events.append(
                AuditEvent(
                    seq=seq,
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
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        AuditEvent.objects.bulk_create(events)
        ChainHead.objects.filter(id=1).update(hash=prev)
        transaction.on_commit(lambda: write_checkpoint(last_seq, prev))


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


_COLUMNS = (*FIELDS, "prev_hash", "hash")
_INT_COLUMNS = {"seq", "actor_id", "person_id"}


def _lines(from_seq: int, to_seq: int | None = None) -> Iterator[bytes]:
    """Stored events from `from_seq` (to `to_seq`), each as the line chain.verify_lines reads."""
    if connection.vendor == "postgresql":
        return _postgres_lines(from_seq, to_seq)
    return _sql_lines(from_seq, to_seq)


def _postgres_lines(from_seq: int, to_seq: int | None = None) -> Iterator[bytes]:
    """PostgreSQL writes the lines itself with COPY ... TO STDOUT: one statement, one snapshot,
    streamed row by row in constant memory. The rows are read with libpq's own call through
    psycopg's `pq` layer, which costs a fraction of a cursor fetch per row."""
    from psycopg import pq

    table = AuditEvent._meta.db_table
    upper = "" if to_seq is None else f" AND seq <= {int(to_seq)}"
    sql = (
        f"COPY (SELECT {', '.join(_COLUMNS)} FROM {table} "  # noqa: S608 - names are constants
        f"WHERE seq >= {int(from_seq)}{upper} ORDER BY seq) TO STDOUT"
    )
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    pgconn.send_query(sql.encode())
    result = pgconn.get_result()
    if result is None or result.status != pq.ExecStatus.COPY_OUT:
        message = _drain_results(pgconn) or (result.error_message.decode() if result is not None else "")
        raise DatabaseError(f"audit verify could not read the events: {message}")
    done = False
    try:
        get = pgconn.get_copy_data
        while True:
            nbytes, data = get(0)
            if nbytes < 0:
                break
            yield bytes(data)
        done = True
    finally:
        if not done:  # stopped at a broken event: read the rest so the connection is usable again
            while pgconn.get_copy_data(0)[0] >= 0:
                pass
        error = _drain_results(pgconn)
    if error:
        raise DatabaseError(f"audit verify could not read the events: {error}")


def _drain_results(pgconn: object) -> str:
    """Collect the statement's remaining results (the connection is idle after); the first error."""
    from psycopg import pq

    error = ""
    while (result := pgconn.get_result()) is not None:  # type: ignore[attr-defined]
        if result.status == pq.ExecStatus.FATAL_ERROR and not error:
            error = result.error_message.decode()
    return error


# Bytes that a field's text would carry as a backslash escape (chain._ESCAPES), plus the tab.
_SPECIAL = b"\\\b\f\n\r\v\t"
_SEPARATORS = len(_COLUMNS)  # the tabs between the columns and the closing newline


def _sql_lines(from_seq: int, to_seq: int | None = None) -> Iterator[bytes]:
    """Other engines (SQLite): the database joins the columns with tabs, as UTF-8 bytes.

    Escaping every field in SQL costs more than the rest of verify together, and almost no
    event needs it. A line holds exactly one special byte per separator and one backslash per
    NULL (written \\N) unless a field needs escaping: such a line is used as the database wrote
    it, and any other is rebuilt from its columns by chain.stored_line.
    """
    table = AuditEvent._meta.db_table
    joined = " || char(9) || ".join(
        f"COALESCE(CAST({c} AS TEXT), '{NULL}')" if c in _INT_COLUMNS else c for c in _COLUMNS
    )
    nulls = " + ".join(f"({c} IS NULL)" for c in sorted(_INT_COLUMNS))
    upper = "" if to_seq is None else f"AND seq <= {int(to_seq)} "
    sql = (
        f"SELECT id, {nulls}, CAST({joined} || char(10) AS BLOB) FROM {table} "  # noqa: S608
        f"WHERE seq >= %s {upper}ORDER BY seq"
    )
    special, separators = _SPECIAL, _SEPARATORS
    # No transaction.atomic(): on SQLite it would BEGIN IMMEDIATE and hold off every writer.
    # The one statement is a read snapshot for as long as it is being read.
    with connection.cursor() as cursor:
        cursor.execute(sql, [from_seq])
        while batch := cursor.fetchmany(5000):
            for pk, null_count, line in batch:
                if len(line) - len(line.translate(None, special)) != separators + null_count:
                    line = _rebuilt_line(pk)
                yield line


def _rebuilt_line(pk: int) -> bytes:
    values = AuditEvent.objects.filter(pk=pk).values_list(*_COLUMNS).get()
    return stored_line(values[:-2], str(values[-2]), str(values[-1]))


def verify(
    *, start: Checkpoint | None = None, use_head_checkpoint: bool = True, workers: int = 1
) -> VerifyResult:
    """Recompute the chain and compare its end with the signed head checkpoint.

    `start` is a signed checkpoint from an earlier verified run: the chain is then re-checked
    from the event after it, so a nightly run need not re-read years of events.
    `workers` > 1 splits a long chain into consecutive ranges checked by that many processes
    at once; the result is the same as one process's (see `_verify_in_parts`).
    """
    start_seq, start_prev = 1, GENESIS_HASH
    if start is not None:
        if not start.is_authentic(_key()):
            return VerifyResult(False, 0, 0, "", start.seq, "the starting checkpoint's signature is invalid")
        start_seq, start_prev = start.seq + 1, start.hash
    head = read_checkpoint() if use_head_checkpoint else None  # read before the events: see below
    if use_head_checkpoint and head is None and AuditEvent.objects.filter(seq__gte=start_seq).exists():
        # Without the signed head, events cut off the end of the chain would go unseen.
        return VerifyResult(
            False,
            0,
            start_seq - 1,
            start_prev,
            None,
            f"the signed head checkpoint ({_checkpoint_path()}) is missing, so the chain's end cannot "
            "be checked: restore it from backup (events cut off the end would otherwise go unseen)",
        )
    if workers > 1 and not connection.in_atomic_block:
        result = _verify_in_parts(start_seq, start_prev, head, workers)
        if result is not None:
            return result
    return verify_lines(
        _lines(start_seq), start_prev_hash=start_prev, start_seq=start_seq, checkpoint=head, key=_key()
    )


# A range shorter than this is not worth a process of its own.
_MIN_PART = 100_000


def _verify_in_parts(
    start_seq: int, start_prev: str, head: Checkpoint | None, workers: int
) -> VerifyResult | None:
    """Check consecutive ranges of the chain in parallel processes, then join them.

    Range i starts from the prev_hash stored in its first event; the join checks that this is
    the hash range i-1 computed for its last event, so every link is still checked once. The
    head checkpoint goes to the range holding the event it names (the last range when it names
    a later one). If any range or join fails, the chain is re-checked in one process from the
    start of that range, so a broken chain is reported exactly as a single-process run would.
    Returns None when the chain is too short to split or a range's first event is missing.
    """
    import multiprocessing

    from django.db import connections

    last = (
        AuditEvent.objects.filter(seq__gte=start_seq).order_by("-seq").values_list("seq", flat=True).first()
    )
    if last is None:
        return None
    parts = min(workers, (last - start_seq + 1) // _MIN_PART)
    if parts < 2:
        return None
    step = (last - start_seq + 1) // parts
    firsts = [start_seq + i * step for i in range(parts)]
    stored = dict(AuditEvent.objects.filter(seq__in=firsts[1:]).values_list("seq", "prev_hash"))
    if len(stored) != parts - 1:
        return None
    starts = [start_prev, *(stored[seq] for seq in firsts[1:])]
    holder = parts - 1
    if head is not None:
        holder = max(i for i, first in enumerate(firsts) if first <= max(head.seq, start_seq))
    jobs = [
        (first, firsts[i + 1] - 1 if i + 1 < parts else None, starts[i], head if i == holder else None)
        for i, first in enumerate(firsts)
    ]
    connections.close_all()  # each process opens its own connection
    with multiprocessing.get_context("fork").Pool(parts) as pool:
        results = pool.starmap(_verify_part, jobs)
    for i, result in enumerate(results):
        joined = i == 0 or results[i - 1].last_hash == starts[i]
        if joined and result.ok:
            continue
        redo = i if joined else i - 1  # a failed join may be events missing from the range before
        again = verify_lines(
            _lines(firsts[redo]),
            start_prev_hash=starts[redo],
            start_seq=firsts[redo],
            checkpoint=head,
            key=_key(),
        )
        earlier = sum(r.checked for r in results[:redo])
        return VerifyResult(
            again.ok,
            again.checked + earlier,
            again.last_seq,
            again.last_hash,
            again.first_bad_seq,
            again.problem,
        )
    end = results[-1]
    return VerifyResult(True, sum(r.checked for r in results), end.last_seq, end.last_hash)


def _verify_part(first: int, last: int | None, prev: str, head: Checkpoint | None) -> VerifyResult:
    try:
        return verify_lines(
            _lines(first, last), start_prev_hash=prev, start_seq=first, checkpoint=head, key=_key()
        )
    finally:
        connection.close()


def sign_checkpoint(result: VerifyResult) -> Checkpoint:
    """A signed checkpoint of a verified chain end, to start the next verify from."""
    return Checkpoint.sign(result.last_seq, result.last_hash, _key())
