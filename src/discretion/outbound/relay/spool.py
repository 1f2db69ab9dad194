"""The relay's queue on disk: a message accepted is never lost (issue 14).

Each message is two files in `queue/`: `<id>.eml` (the message as received) and `<id>.json` (its envelope
and state). Both are written to `tmp/` first, flushed to disk (fsync), then renamed into `queue/` and the
directory flushed: the JSON last, so an entry exists only once it is whole. The SMTP "250 queued" reply is
given only after that. A change of state rewrites the JSON the same way; an entry is removed JSON first,
so a crash part-way leaves at most a message without a state, which `recover()` clears (it was never
acknowledged, or it was already done).

Notices that must go out only if a database transaction commits (the one-time codes of a release) are
written to `pending/` and moved into `queue/` after the commit; `recover()` settles any left over by a
crash by asking whether the release was committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """A queued message's envelope and state.

    `stage` is "check" (not yet looked at), or "send" (to go to the next hop as it is). `kind` is
    "message" (from a sender), "bounce" or "notice" (written by the relay to a sender)."""

    id: str
    mail_from: str
    rcpt_tos: tuple[str, ...]
    received_at: str
    stage: str = "check"
    kind: str = "message"
    attempts: int = 0
    next_attempt_at: str = ""
    last_error: str = ""
    peer: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        out = asdict(self)
        out["rcpt_tos"] = list(self.rcpt_tos)
        return json.dumps(out, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Entry:
        raw = json.loads(text)
        raw["rcpt_tos"] = tuple(raw["rcpt_tos"])
        return cls(**raw)

    def due(self, now: dt.datetime) -> bool:
        return not self.next_attempt_at or dt.datetime.fromisoformat(self.next_attempt_at) <= now

    def received(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.received_at)


def new_id() -> str:
    """Sortable by arrival: time first, then randomness."""
    return f"{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}{secrets.token_hex(4)}"


class Spool:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"
        self.queue = self.root / "queue"
        self.pending = self.root / "pending"
        for directory in (self.root, self.tmp, self.queue, self.pending):
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    # -- writing, crash-safe -----------------------------------------------------------------------

    def _write(self, directory: Path, name: str, data: bytes) -> None:
        tmp = self.tmp / f"{name}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, directory / name)

    def _sync(self, directory: Path) -> None:
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def add(self, entry: Entry, content: bytes, *, directory: Path | None = None) -> Entry:
        """Store a message and its state durably (message first, state last)."""
        target = directory or self.queue
        self._write(target, f"{entry.id}.eml", content)
        self._write(target, f"{entry.id}.json", entry.to_json().encode())
        self._sync(target)
        return entry

    def accept(
        self, mail_from: str, rcpt_tos: list[str], content: bytes, *, peer: str = "", entry_id: str = ""
    ) -> Entry:
        entry = Entry(
            id=entry_id or new_id(),
            mail_from=mail_from,
            rcpt_tos=tuple(rcpt_tos),
            received_at=dt.datetime.now(dt.UTC).isoformat(),
            peer=peer,
        )
        return self.add(entry, content)

    def update(self, entry: Entry, **changes: object) -> Entry:
        changed = replace(entry, **changes)  # type: ignore[arg-type]
        self._write(self.queue, f"{entry.id}.json", changed.to_json().encode())
        self._sync(self.queue)
        return changed

    def remove(self, entry: Entry) -> None:
        """Done with: the state goes first, so a crash can only leave a stateless message (cleared)."""
        for suffix in (".json", ".eml"):
            with contextlib.suppress(FileNotFoundError):
                (self.queue / f"{entry.id}{suffix}").unlink()
        self._sync(self.queue)

    # -- reading -----------------------------------------------------------------------------------

    def content(self, entry: Entry) -> bytes:
        return (self.queue / f"{entry.id}.eml").read_bytes()

    def entries(self) -> Iterator[Entry]:
        for path in sorted(self.queue.glob("*.json")):
            try:
                yield Entry.from_json(path.read_text())
            except FileNotFoundError:
                continue  # removed meanwhile

    def __len__(self) -> int:
        return sum(1 for _ in self.queue.glob("*.json"))

    def has(self, entry_id: str) -> bool:
        return (self.queue / f"{entry_id}.json").exists()

    # -- notices that wait for a database commit -----------------------------------------------------

    def add_pending(self, entry: Entry, content: bytes) -> None:
        self.add(entry, content, directory=self.pending)

    def commit_pending(self, entry_id: str) -> None:
        for suffix in (".eml", ".json"):  # the state last, as in add()
            source = self.pending / f"{entry_id}{suffix}"
            if source.exists():
                os.replace(source, self.queue / f"{entry_id}{suffix}")
        self._sync(self.queue)

    def drop_pending(self, entry_id: str) -> None:
        for suffix in (".json", ".eml"):
            with contextlib.suppress(FileNotFoundError):
                (self.pending / f"{entry_id}{suffix}").unlink()

    def recover(self, was_committed: Callable[[str], bool]) -> int:
        """After a crash: clear half-written files, and settle pending notices by whether the release
        they belong to was committed (`was_committed(notice id)`). Returns how many files were cleared."""
        cleared = 0
        for leftover in self.tmp.iterdir():
            leftover.unlink()
            cleared += 1
        for message in self.queue.glob("*.eml"):
            if not message.with_suffix(".json").exists():
                message.unlink()
                cleared += 1
        for state in list(self.pending.glob("*.json")):
            entry_id = state.stem
            if was_committed(entry_id):
                self.commit_pending(entry_id)
            else:
                self.drop_pending(entry_id)
        for message in self.pending.glob("*.eml"):
            if not message.with_suffix(".json").exists():
                message.unlink()
                cleared += 1
        return cleared
