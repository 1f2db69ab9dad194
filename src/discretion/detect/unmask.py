"""Undo the ways a message can hide a name or number from the finder, keeping a map back to the
original text so every finding points at what was actually written.

A zero-width space inside "Black\u200bwood" or "943 476 59\u200b19", a soft hyphen, a word joiner or
any other invisible format character (Unicode category Cf) is dropped; compatibility forms are
folded (NFKC: full-width "Ｊｏｒｄａｎ", mathematical letters, ligatures, non-breaking spaces); and a
letter from another script that looks like a Latin one (Cyrillic "а" for "a", Greek "Ο" for "O": the
Unicode confusables table, UTS #39, as shipped by `confusable-homoglyphs`) is read as that letter.
Only non-ASCII characters are touched, so plain text costs one `isascii()` check.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=1)
def confusables() -> dict[str, str]:
    """Each non-ASCII character that looks like one ASCII letter or digit, mapped to it."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    table: dict[str, str] = {}
    for char, homoglyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        targets = [h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalnum()]
        if targets:
            table[char] = targets[0]
    return table


@lru_cache(maxsize=8192)
def plain(char: str) -> str:
    """How one non-ASCII character is read: "" for a format character, else its NFKC form with
    any look-alike letter replaced by the ASCII letter it imitates."""
    if unicodedata.category(char) == "Cf":
        return ""
    table = confusables()
    return "".join(
        table.get(c, c) for c in unicodedata.normalize("NFKC", char) if unicodedata.category(c) != "Cf"
    )


@dataclass(frozen=True, slots=True)
class Unmasked:
    """`text` as the finder reads it; `origin[i]` is the index in the original of the character that
    produced text[i] (None when nothing changed)."""

    text: str
    origin: tuple[int, ...] | None
    source_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) of text[start:end]."""
        if self.origin is None:
            return start, end
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else self.source_length
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def unmask(text: str) -> Unmasked:
    if text.isascii():
        return Unmasked(text, None, len(text))
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    changed = False
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        if i > pos:
            parts.append(text[pos:i])
            origin.extend(range(pos, i))
        char = text[i]
        read = plain(char)
        changed = changed or read != char
        parts.append(read)
        origin.extend([i] * len(read))
        pos = i + 1
    if not changed:
        return Unmasked(text, None, len(text))
    parts.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return Unmasked("".join(parts), tuple(origin), len(text))
