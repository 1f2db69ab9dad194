"""Text normalisation for matching, with a map back to the original character offsets.

Words are found by one regular expression (in C) and folded a word at a time, so the cost is per word,
not per character, and the map back is two integers per word (where it starts and ends in the original).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from discretion.detect.unmask import plain

_APOSTROPHES = "'\u2019\u02bc"
# Letters that carry no combining mark to strip but are written plainly in English text.
_PLAIN = {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"}


def _combining_class() -> str:
    """A character class of the combining marks of the Basic Multilingual Plane (accents written
    separately, NFD): part of the letter before them, never a word break."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x300, 0x10000):
        ch = chr(code)
        if unicodedata.combining(ch) and not ch.isalnum():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)


_COMBINING = _combining_class()
# A word: letters and digits, with accents written separately and apostrophes inside a name (O'Connor,
# D'Souza: "oconnor", as often typed) joined in; a possessive 's after it is read and dropped.
# (U+02BC, the modifier-letter apostrophe, counts as a letter to Python: it is read as an apostrophe.)
_LETTER = r"[^\W_\u02bc]"
# A contraction ("she'll", "we're", "can't") is two words, never one name ("shell").
_CONTRACTION = rf"(?:[sS]|[lL][lL]|[rR][eE]|[vV][eE]|[dD]|[mM]|[tT])(?!{_LETTER})"
_WORD_RE = re.compile(
    rf"({_LETTER}+(?:(?:[{_COMBINING}]+|[{_APOSTROPHES}](?!{_CONTRACTION})(?={_LETTER})){_LETTER}*)*)"
    rf"(?:[{_APOSTROPHES}][sS](?!{_LETTER}))?"
)


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """A letter as it is matched: case-folded, accents dropped (Zoë and Zoe, Yılmaz and Yilmaz)."""
    if ch.isascii():
        return ch.casefold()
    ch = plain(ch) or ch  # a look-alike from another script reads as the Latin letter (as in scan)
    stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    folded = stripped.casefold()
    return "".join(_PLAIN.get(c, c) for c in folded) or ch.casefold()


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    if word.isascii():
        return word.lower().replace("'", "")
    folded = "".join(_fold(c) for c in word if c not in _APOSTROPHES and not unicodedata.combining(c))
    return folded.replace(" ", "")


@dataclass(frozen=True, slots=True)
class Normalised:
    """`text` is casefolded with accents dropped, with every run of non-alphanumerics (spaces, newlines,
    punctuation) collapsed to one space, possessive 's removed, an apostrophe inside a word dropped
    (O'Connor and OConnor alike), and one space at each end so phrases match on word boundaries.
    Word k of `text` is `words[k]` and starts at `norm_starts[k]`; in the original it runs from
    `orig_starts[k]` to `orig_ends[k]` (its first and one past its last letter or digit)."""

    text: str
    words: list[str]
    norm_starts: list[int]
    orig_starts: list[int]
    orig_ends: list[int]
    source_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) of normalised text[start:end] (which must start and end on a word
        boundary: a word's first letter and one past a word's last)."""
        first = bisect_right(self.norm_starts, start) - 1
        last = bisect_right(self.norm_starts, end - 1) - 1
        return self.orig_starts[first], self.orig_ends[last]

    @property
    def origin(self) -> tuple[int, ...]:
        """`origin[i]`: the index in the original text of the character that produced text[i] (a space:
        the first separator character after the word before it). Built on demand: for tests and tools."""
        out: list[int] = [0]
        for k, norm_start in enumerate(self.norm_starts):
            length = self._word_length(k, norm_start)
            a, b = self.orig_starts[k], self.orig_ends[k]
            if b - a == length:
                out.extend(range(a, b))
            else:  # folding changed the length (ß, æ, O'Connor): spread the word over its letters
                out.extend(min(a + round(t * (b - a) / length), b - 1) for t in range(length))
            out.append(b if k + 1 < len(self.norm_starts) else self.source_length)
        return tuple(out)

    def _word_length(self, k: int, norm_start: int) -> int:
        following = self.norm_starts[k + 1] if k + 1 < len(self.norm_starts) else len(self.text)
        return following - 1 - norm_start


def normalise(text: str) -> Normalised:
    matches = list(_WORD_RE.finditer(text))
    spans = [m.span(1) for m in matches]
    if text.isascii():
        lowered = text.lower()
        words = [lowered[a:b] for a, b in spans]
        if "'" in text:
            words = [w.replace("'", "") if "'" in w else w for w in words]
        orig_ends = [b for _, b in spans]
    else:
        words = [_fold_word(text[a:b]) for a, b in spans]
        orig_ends = []
        for _, end in spans:
            while not text[end - 1].isalnum():  # a trailing accent written separately: end at the letter
                end -= 1
            orig_ends.append(end)
    orig_starts = [a for a, _ in spans]
    norm_starts = list(accumulate((len(w) + 1 for w in words[:-1]), initial=1)) if words else []
    nt = " " + " ".join(words) + " " if words else " "
    return Normalised(nt, words, norm_starts, orig_starts, orig_ends, len(text))


def normalise_phrase(text: str) -> str:
    """The normalised form of a name or address used as an index key: ' kayden walsh '."""
    return normalise(text).text
