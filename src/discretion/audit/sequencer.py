"""PostgreSQL: accepting audit events apart from sequencing them into the chain.

As a transparency log's front end accepts an entry and its sequencer later integrates queued
entries in batches (Trillian), an audited action here only *accepts* its event: one plain
INSERT in the caller's own transaction, with no chain position (seq NULL) and no lock shared
with any other writer. The event is therefore durable exactly when the caller's work is, and
a rollback leaves neither event nor gap.

Once the caller's transaction has committed (at once, when there is none), the caller
*integrates*: one statement (the database function audit_integrate, migration 0003) takes the
chain's advisory lock, gives every accepted event not yet in the chain, in accept order, the
next seq and its hash, moves the head and commits; the caller then signs the new head
checkpoint. Callers that arrive while a batch is being
integrated wait for that batch; whoever takes the lock next integrates everything accepted
meanwhile (group commit), so under load one lock hold integrates many events, and the lock is
never held across a caller's own transaction. When integrate returns, the caller's event is
in the chain: the page that shows the read it records has not been sent yet.

An event whose caller died between its commit and its integration is integrated by the next
batch, or by the scheduled `discretion audit sequence` pass (every minute): see
docs/audit-chain.md for the bounds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import DatabaseError, connection, transaction

from discretion.audit.models import AuditEvent

log = logging.getLogger(__name__)

# The advisory lock that orders the chain ("audit" in ASCII); one database holds one chain.
CHAIN_LOCK = 0x6175646974
# At most this many events are integrated per lock hold (a bound on how long it is held).
BATCH = 2000


def accept(events: Sequence[dict[str, object]]) -> list[AuditEvent]:
    """Insert `events` (field values, no seq) in the caller's transaction, then integrate them
    once it commits (now, when the caller has no transaction open)."""
    from discretion.audit.services import in_caller_transaction

    rows = [AuditEvent(seq=None, prev_hash="", hash="", **values) for values in events]
    if len(rows) == 1:
        rows[0].save(force_insert=True)  # one statement: atomic on its own
    else:
        with transaction.atomic():
            AuditEvent.objects.bulk_create(rows)
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
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM audit_integrate(%s, %s)", [until, limit])
            row = cursor.fetchone()
        assert row is not None
        status, seq, prev_hash, digest, head_seq, head_hash = row
        if head_seq is not None:
            _sign_when_committed(int(head_seq), str(head_hash))
        if status == "placed":
            return int(seq), str(prev_hash), str(digest)
        if status == "gone" or (status == "done" and until is None):
            return None
        if status == "busy":
            _wait_for_batch()
        elif status == "done":
            # `until` still unplaced after a batch that took every committed event: it is not
            # visible here (never committed). Look again once, then leave it to the next batch.
            idle += 1
            if idle > 1:
                return None
        # "more": a full batch was integrated and more events wait.


def _sign_when_committed(seq: int, head_hash: str) -> None:
    from discretion.audit.services import write_checkpoint

    if connection.in_atomic_block:
        transaction.on_commit(lambda: write_checkpoint(seq, head_hash))
    else:  # autocommit: the batch committed with the statement
        write_checkpoint(seq, head_hash)


def _wait_for_batch() -> None:
    with connection.cursor() as cursor:
        # Autocommit: the shared lock is granted once the integrating batch has committed and
        # released at once, so waiting holds nothing that delays the next batch.
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [CHAIN_LOCK])
