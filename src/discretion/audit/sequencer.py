"""PostgreSQL: accepting audit events apart from sequencing them into the chain.

As a transparency log accepts an entry at once and its sequencer later integrates the queued
entries in batches (Trillian), an audited action here only *accepts* its event: one plain
INSERT in the caller's own transaction, with no place in the chain yet (seq NULL) and no lock
shared with any other writer. The event is durable exactly when the caller's work is (so before
the page showing the read it records is sent), and a rollback leaves neither event nor gap.

*Integrating* is one short transaction under the chain's advisory lock: it reads the head and
every accepted event not yet in the chain, gives each, in accept order, the next seq and its hash
(chain.event_hash), writes them and the new head with one statement and commits; then the new
head checkpoint is signed (after the commit, so it never runs ahead of the chain). Who integrates:

- `sequencer` mode (the production stack, DISCRETION_AUDIT_SEQUENCER=daemon): one process,
  `discretion audit sequence --follow`, integrates continuously in batches; writers never wait
  for it and never touch the lock.
- `inline` mode (the default: one process, tests, development): the writer integrates once its
  transaction has committed (at once when it has none), before it returns. Writers arriving
  while a batch is being integrated wait for it holding nothing; whoever takes the lock next
  integrates everything accepted meanwhile (group commit).

Either way the lock is never held across a caller's transaction, and an event left behind by a
process that died is integrated by the next batch or by the scheduled `discretion audit
sequence` pass (every minute). docs/audit-chain.md states the bounds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from discretion.audit.models import AuditEvent

log = logging.getLogger(__name__)

# The advisory lock that orders the chain ("audit" in ASCII); one database holds one chain.
CHAIN_LOCK = 0x6175646974
# At most this many events are integrated per lock hold (a bound on how long it is held).
BATCH = 5000
# The sequencer looks for accepted events this often when it last found none.
POLL_SECONDS = 0.02

_ACCEPT = (
    f"INSERT INTO {AuditEvent._meta.db_table} (seq, at, actor_id, action, object_type, object_id, "  # noqa: S608
    "person_id, ip, session, reason, details, prev_hash, hash) "
    "VALUES (NULL, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', '')"
)
_MORE_ROWS = ", (NULL, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', '')"
_ACCEPT_FIELDS = (
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "ip",
    "session",
    "reason",
    "details",
)


def inline() -> bool:
    """Whether writers integrate their own events (no sequencer process)."""
    return str(getattr(settings, "AUDIT_SEQUENCER", "inline")) != "daemon"


def accept(events: Sequence[dict[str, object]]) -> list[AuditEvent]:
    """Insert `events` (field values, no seq) in the caller's transaction; in inline mode,
    integrate them once it commits (now, when the caller has no transaction open)."""
    from discretion.audit.services import in_caller_transaction

    params: list[Any] = [values[f] for values in events for f in _ACCEPT_FIELDS]
    with connection.cursor() as cursor:
        # One statement for any number of events: atomic on its own, in accept (id) order.
        cursor.execute(_ACCEPT + _MORE_ROWS * (len(events) - 1) + " RETURNING id", params)
        ids = sorted(int(row[0]) for row in cursor.fetchall())
    rows = [
        AuditEvent(pk=pk, seq=None, prev_hash="", hash="", **values)
        for pk, values in zip(ids, events, strict=True)
    ]
    if not inline():
        return rows
    last_id = max(int(row.pk) for row in rows)
    if in_caller_transaction():
        transaction.on_commit(lambda: _integrate_quietly(last_id), robust=True)
        return rows
    place = _integrate_quietly(last_id)
    if len(rows) == 1 and place is not None:
        rows[0].seq, rows[0].prev_hash, rows[0].hash = place
    elif len(rows) > 1:
        placed = AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).values_list(
            "pk", "seq", "prev_hash", "hash"
        )
        places = {pk: (seq, prev, digest) for pk, seq, prev, digest in placed}
        for row in rows:
            if row.pk in places:
                row.seq, row.prev_hash, row.hash = places[row.pk]
    return rows


def follow(stop: threading.Event | None = None, *, poll: float = POLL_SECONDS) -> int:
    """The sequencer process: integrate accepted events continuously until `stop` is set (or
    forever); returns how many batches it integrated. A database error is logged and retried
    after a pause: nothing accepted is lost meanwhile, only integrated later."""
    from django.db import close_old_connections

    batches = 0
    while stop is None or not stop.is_set():
        try:
            if _integrate_once():
                batches += 1
                continue
        except DatabaseError:
            log.exception("audit sequencer: integrating failed; retrying")
            close_old_connections()
            time.sleep(1)
            continue
        if stop is not None:
            stop.wait(poll)
        else:
            time.sleep(poll)
    return batches


def _integrate_once() -> bool:
    """One batch; whether it integrated anything."""
    status, _place = _integrate_batch(BATCH)
    return status in ("more", "done-some")


Place = tuple[int, str, str]
"""An event's seq, prev_hash and hash in the chain."""


def _integrate_quietly(event_id: int) -> Place | None:
    """Integrate up to `event_id`. A failure here (the database went away) loses nothing: the
    event was committed when accepted and the next batch or the scheduled pass integrates it."""
    try:
        return integrate(until=event_id)
    except DatabaseError:
        log.exception("audit: integrating accepted events failed; the next batch will")
        return None


def integrate(*, until: int | None = None, limit: int = BATCH) -> Place | None:
    """Integrate accepted events into the chain.

    Without `until`, integrates everything accepted so far. With it, returns once the event
    with that id is in the chain, giving its place (None if it is gone: rolled back). Whoever
    takes the chain's lock integrates every accepted event; the others wait for that batch
    holding nothing, and take the lock themselves only if their event missed it.
    """
    idle = 0
    first = True
    while True:
        # The first try skips looking whether `until` is placed: it was accepted just now.
        status, place = _integrate_batch(limit, None if first else until, mine=until)
        first = False
        if status == "placed":
            return place
        if status == "gone":
            return None
        if status == "busy":
            _wait_for_batch()
        elif status in ("done", "done-some"):
            if until is None:
                return None
            # `until` still unplaced after a batch that took every committed event: it is not
            # visible here (never committed). Look again once, then leave it to the next batch.
            idle += 1
            if idle > 1:
                return None
        # "more": a full batch was integrated and more events wait.


_TABLE = AuditEvent._meta.db_table
_CONTENT = (
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "ip",
    "session",
    "reason",
    "details",
)
_HEAD_AND_PENDING = (
    "SELECT h.seq, h.hash, e.* FROM audit_chainhead h LEFT JOIN LATERAL ("  # noqa: S608
    f"SELECT id, {', '.join(_CONTENT)} FROM {_TABLE} WHERE seq IS NULL ORDER BY id LIMIT %s"
    ") e ON true WHERE h.id = 1"
)
_PLACE = (
    f"WITH placed AS (UPDATE {_TABLE} AS e SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash "  # noqa: S608
    "FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[], %s::varchar[]) AS v(id, seq, prev_hash, hash) "
    "WHERE e.id = v.id RETURNING e.id) "
    "UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1 AND seq = %s AND (SELECT count(*) FROM placed) = %s"
)


def _integrate_batch(
    limit: int, until: int | None = None, *, mine: int | None = None
) -> tuple[str, Place | None]:
    """One lock hold: chain up to `limit` accepted events, in accept order.

    Returns (status, place of `until`): "placed" (`until` is in the chain), "gone" (no such
    event), "busy" (another process holds the lock), "more" (a full batch was integrated and
    more wait), "done-some" / "done" (everything accepted is integrated, by this call or not).
    The seq column is unique, so even a wrong head could never fork the chain: it would fail.
    """
    from discretion.audit.chain import GENESIS_HASH, event_hash

    mine = until if mine is None else mine
    # Never inside a caller's transaction (see integrate's callers): no savepoint needed.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if until is not None:
            cursor.execute(f"SELECT seq, prev_hash, hash FROM {_TABLE} WHERE id = %s", [until])  # noqa: S608
            found = cursor.fetchone()
            if found is None:
                return "gone", None
            if found[0] is not None:
                return "placed", (int(found[0]), str(found[1]), str(found[2]))
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [CHAIN_LOCK])
        locked = cursor.fetchone()
        if not locked or not locked[0]:
            return "busy", None
        # A statement of its own, after the lock: it sees every batch committed before.
        cursor.execute(_HEAD_AND_PENDING, [limit])
        rows = cursor.fetchall()
        if not rows:  # a new (or emptied) database: the chain starts at genesis
            cursor.execute(
                "INSERT INTO audit_chainhead (id, seq, hash) VALUES (1, 0, %s) ON CONFLICT (id) DO NOTHING",
                [GENESIS_HASH],
            )
            cursor.execute(_HEAD_AND_PENDING, [limit])
            rows = cursor.fetchall()
        seq, prev = int(rows[0][0]), str(rows[0][1])
        head_seq = seq
        rows = [row[2:] for row in rows if row[2] is not None]
        if not rows:
            return "done", None
        ids, seqs, prevs, hashes = [], [], [], []
        mine_place: Place | None = None
        for row in rows:
            seq += 1
            digest = event_hash((seq, *row[1:]), prev)
            ids.append(row[0])
            seqs.append(seq)
            prevs.append(prev)
            hashes.append(digest)
            if row[0] == mine:
                mine_place = (seq, prev, digest)
            prev = digest
        cursor.execute(_PLACE, [ids, seqs, prevs, hashes, seq, prev, head_seq, len(ids)])
        if cursor.rowcount != 1:
            raise DatabaseError("audit: accepted events changed while being integrated")
        _sign_when_committed(seq, prev)
    if mine_place is not None:
        return "placed", mine_place
    return ("more" if len(rows) >= limit else "done-some"), None


def _sign_when_committed(seq: int, head_hash: str) -> None:
    from discretion.audit.services import write_checkpoint

    # After the batch's commit (at once where there is no outer transaction): the checkpoint
    # never runs ahead of the chain.
    transaction.on_commit(lambda: write_checkpoint(seq, head_hash))


def _wait_for_batch() -> None:
    with connection.cursor() as cursor:
        # Autocommit: the shared lock is granted once the integrating batch has committed and
        # released at once, so waiting holds nothing that delays the next batch.
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [CHAIN_LOCK])
