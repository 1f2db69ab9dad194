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

# The canonical serialisation of an event is one line of PostgreSQL's COPY text format
# (documented, stable, injective for a fixed number of fields): fields joined by tabs,
# NULL written as \N, and a backslash or a control character that could end a field or a
# line written as a backslash escape. The production database emits exactly this text for
# its own rows, so verifying needs no per-field work anywhere but the hash.
_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
)
NULL = "\\N"


def _field(value: object) -> str:
    return NULL if value is None else str(value).translate(_ESCAPES)


def canonical_text(values: Iterable[object]) -> str:
    """The canonical serialisation of one event's FIELDS values, in FIELDS order."""
    return "\t".join(map(_field, values))


def canonical(values: Iterable[object], prev_hash: str) -> bytes:
    """What an event's hash covers: its canonical text, a tab, and the previous event's hash."""
    return f"{canonical_text(values)}\t{prev_hash}".encode()


def event_hash(values: Iterable[object], prev_hash: str) -> str:
    return hashlib.sha256(canonical(values, prev_hash)).hexdigest()


def stored_line(values: Iterable[object], prev_hash: str, digest: str) -> bytes:
    """An event as verify reads it: FIELDS, prev_hash and hash as one COPY text line."""
    return canonical(values, prev_hash) + f"\t{digest}\n".encode()


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


def verify_lines(
    lines: Iterable[bytes],
    *,
    start_prev_hash: str = GENESIS_HASH,
    start_seq: int = 1,
    checkpoint: Checkpoint | None = None,
    key: bytes | None = None,
) -> VerifyResult:
    """Recompute the chain over stored events ordered by seq, streaming in constant memory.

    Each line is one event as `stored_line` writes it (and as PostgreSQL's COPY emits the row):
    its canonical text, prev_hash and hash, tab-separated, ending in a newline. The hash covers
    everything before the last tab, so a line is checked with two slices and one SHA-256.
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
    prev = start_prev_hash.encode()
    expected = start_seq
    anchor_seq = checkpoint.seq if checkpoint is not None else -1
    anchor_hash = checkpoint.hash.encode() if checkpoint is not None else b""
    for line in lines:
        # line = <canonical text> TAB <prev_hash: 64> TAB <hash: 64> NEWLINE
        if not line.startswith(b"%d\t" % expected):
            found = _seq_of(line)
            return _broken(
                start_seq,
                expected,
                prev,
                found if found is not None else expected,
                f"event {found if found is not None else '?'} found where event {expected} was expected "
                "(events deleted, inserted or reordered)",
            )
        if line[-130:-66] != prev or line[-131:-130] != b"\t":
            return _broken(
                start_seq, expected, prev, expected, f"event {expected} does not link to the event before it"
            )
        digest = sha256(line[:-66]).hexdigest().encode()
        if digest != line[-65:-1] or line[-66:-65] != b"\t":
            return _broken(start_seq, expected, prev, expected, f"event {expected} has been altered")
        if expected == anchor_seq and digest != anchor_hash:
            return _broken(
                start_seq,
                expected,
                prev,
                expected,
                f"event {expected} differs from the signed head checkpoint "
                "(chain rewritten, or rolled back to a backup and appended to since)",
            )
        prev = digest
        expected += 1
    last = expected - 1
    if checkpoint is not None and last < checkpoint.seq:
        return VerifyResult(
            False,
            last - start_seq + 1,
            last,
            prev.decode(),
            last + 1,
            f"events after {last} are missing: the signed checkpoint records event {checkpoint.seq} "
            "(cut off the end of the chain, or an older backup restored over a newer checkpoint: a rollback)",
        )
    return VerifyResult(True, last - start_seq + 1, last, prev.decode())


def _seq_of(line: bytes) -> int | None:
    head = line.split(b"\t", 1)[0]
    return int(head) if head.isdigit() else None


def _broken(start_seq: int, expected: int, prev: bytes, bad_seq: int, problem: str) -> VerifyResult:
    return VerifyResult(False, expected - start_seq, expected - 1, prev.decode(), bad_seq, problem)
