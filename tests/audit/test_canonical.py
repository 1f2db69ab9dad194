"""The canonical serialisation is injective: the event's fields can be read back from it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from discretion.audit.chain import (
    FIELDS,
    GENESIS_HASH,
    NULL,
    Checkpoint,
    canonical_text,
    event_hash,
    stored_line,
    verify_lines,
)

_UNESCAPE = {"\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _decode(text: str) -> list[str | None]:
    """Read a canonical line back (PostgreSQL's COPY text rules), to prove nothing is lost."""
    fields: list[str | None] = []
    for raw in text.split("\t"):  # an escaped tab is "\\t", so a bare tab only ever separates
        if raw == NULL:
            fields.append(None)
            continue
        out, i = [], 0
        while i < len(raw):
            if raw[i] == "\\":
                out.append(_UNESCAPE[raw[i + 1]])
                i += 2
            else:
                out.append(raw[i])
                i += 1
        fields.append("".join(out))
    return fields


field = st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30))


@given(st.lists(field, min_size=len(FIELDS), max_size=len(FIELDS)))
def test_canonical_text_reads_back_to_the_same_fields(values):
    assert _decode(canonical_text(values)) == values


@given(st.lists(field, min_size=3, max_size=3), st.lists(field, min_size=3, max_size=3))
def test_different_fields_never_share_a_canonical_text(a, b):
    assert (canonical_text(a) == canonical_text(b)) == (a == b)


def _chain(n: int) -> list[bytes]:
    prev, lines = GENESIS_HASH, []
    for seq in range(1, n + 1):
        values = (seq, "2026-11-25T10:00:00+00:00", 1, "x", "case", str(seq), None, "", "", "", "")
        digest = event_hash(values, prev)
        lines.append(stored_line(values, prev, digest))
        prev = digest
    return lines


def test_verify_lines_accepts_an_intact_chain_and_names_each_kind_of_break():
    lines = _chain(5)
    assert verify_lines(lines).ok
    assert verify_lines(lines[:2] + lines[3:]).first_bad_seq == 4  # 3 deleted: 4 is out of place
    assert verify_lines([lines[1], lines[0], *lines[2:]]).first_bad_seq == 2  # reordered
    edited = lines[2].replace(b"\tx\t", b"\ty\t")
    assert verify_lines([*lines[:2], edited, *lines[3:]]).problem == "event 3 has been altered"
    for junk in (b"", b"\n", b"3\t\n", b"3" + b"\t" * 200 + b"\n"):
        result = verify_lines([*lines[:2], junk])
        assert not result.ok and result.first_bad_seq == 3


def test_a_checkpoint_beyond_the_end_reports_missing_events():
    lines = _chain(3)
    key = b"k"
    head = Checkpoint.sign(5, "f" * 64, key)
    result = verify_lines(lines, checkpoint=head, key=key)
    assert not result.ok and result.first_bad_seq == 4 and "missing" in result.problem
