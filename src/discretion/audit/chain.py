"""The audit hash chain: pure, no Django.

Each event's hash is SHA-256 over a canonical serialisation of its fields and the previous
event's hash, so editing, deleting, inserting or reordering any event breaks every later link.
Cutting off the newest events is caught by comparing the chain's end with a checkpoint signed
with HMAC-SHA-256 under a key that lives outside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS_HASH = "0" * 64

# The fields, in order, that the hash covers. Changing this list changes every hash: don't.
FIELDS: tuple[str, ...] = (
    "seq",
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

CanonicalRow = tuple[int, str, str, str]
"""One stored event as (seq, canonical text of its FIELDS, prev_hash, hash)."""


def _field(value: object) -> str:
    text = "" if value is None else str(value)
    # Length-prefixed (netstring-like) so no choice of field text can collide with another.
    return f"{len(text)}:{text},"


def canonical_text(values: Iterable[object]) -> str:
    """The canonical serialisation of one event's FIELDS values, in FIELDS order."""
    return "".join(_field(v) for v in values)


def canonical(values: Iterable[object], prev_hash: str) -> bytes:
    """What an event's hash covers: its canonical text followed by the previous event's hash."""
    return (canonical_text(values) + prev_hash).encode()


def event_hash(values: Iterable[object], prev_hash: str) -> str:
    return hashlib.sha256(canonical(values, prev_hash)).hexdigest()


def canonical_details(details: dict[str, object] | None) -> str:
    """Details as canonical JSON text: stored as text so the hash covers exactly what is kept."""
    if not details:
        return ""
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Checkpoint:
    """The chain head as last appended, signed so that it cannot be forged without the key."""

    seq: int
    hash: str
    signature: str

    @staticmethod
    def sign(seq: int, head_hash: str, key: bytes) -> Checkpoint:
        return Checkpoint(seq, head_hash, _signature(seq, head_hash, key))

    def is_authentic(self, key: bytes) -> bool:
        return hmac.compare_digest(self.signature, _signature(self.seq, self.hash, key))

    def to_json(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "signature": self.signature})

    @staticmethod
    def from_json(text: str) -> Checkpoint:
        obj = json.loads(text)
        return Checkpoint(int(obj["seq"]), str(obj["hash"]), str(obj["signature"]))


def _signature(seq: int, head_hash: str, key: bytes) -> str:
    return hmac.new(key, f"{seq}:{head_hash}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    last_seq: int
    last_hash: str
    first_bad_seq: int | None = None
    problem: str = ""


def verify_rows(
    rows: Iterable[CanonicalRow],
    *,
    start_prev_hash: str = GENESIS_HASH,
    start_seq: int = 1,
    checkpoint: Checkpoint | None = None,
    key: bytes | None = None,
) -> VerifyResult:
    """Recompute the chain over rows ordered by seq, streaming in constant memory.

    `start_seq`/`start_prev_hash` let a run begin at a trusted checkpoint instead of genesis.
    With a signed head checkpoint, the event it names must carry the hash it records: this
    catches cut-off newest events and a chain re-hashed from an edited event onwards.
    """
    if checkpoint is not None and key is not None and not checkpoint.is_authentic(key):
        return VerifyResult(
            False,
            0,
            start_seq - 1,
            start_prev_hash,
            checkpoint.seq,
            "the head checkpoint's signature is invalid",
        )
    sha256 = hashlib.sha256
    prev = start_prev_hash
    expected = start_seq
    anchor_seq = checkpoint.seq if checkpoint is not None else -1
    for row in rows:
        seq = row[0]
        if seq != expected:
            return _broken(
                expected,
                prev,
                int(str(seq)),
                f"event {seq} found where event {expected} was expected "
                "(events deleted, inserted or reordered)",
            )
        if row[2] != prev:
            return _broken(expected, prev, expected, f"event {seq} does not link to the event before it")
        digest = sha256((row[1] + prev).encode()).hexdigest()
        if digest != row[3]:
            return _broken(expected, prev, expected, f"event {seq} has been altered")
        if expected == anchor_seq and checkpoint is not None and digest != checkpoint.hash:
            return _broken(
                expected,
                prev,
                expected,
                f"event {seq} differs from the signed head checkpoint (chain rewritten)",
            )
        prev = digest
        expected += 1
    last = expected - 1
    if checkpoint is not None and last < checkpoint.seq:
        return VerifyResult(
            False,
            last - start_seq + 1,
            last,
            prev,
            last + 1,
            f"events after {last} are missing: the signed checkpoint records event {checkpoint.seq}",
        )
    return VerifyResult(True, last - start_seq + 1, last, prev)


def _broken(expected: int, prev: str, bad_seq: int, problem: str) -> VerifyResult:
    return VerifyResult(False, expected - 1, expected - 1, prev, bad_seq, problem)
