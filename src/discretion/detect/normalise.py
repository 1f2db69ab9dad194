"""Text normalisation for matching, with a map back to the original character offsets."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_APOSTROPHES = frozenset("'\u2019\u02bc")
# Letters that carry no combining mark to strip but are written plainly in English text.
_PLAIN = {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"}


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """A letter as it is matched: case-folded, accents dropped (Zoë and Zoe, Yılmaz and Yilmaz)."""
    if ch.isascii():
        return ch.casefold()
    stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    folded = stripped.casefold()
    return "".join(_PLAIN.get(c, c) for c in folded) or ch.casefold()


@dataclass(frozen=True, slots=True)
class Normalised:
    """`text` is casefolded with accents dropped, with every run of non-alphanumerics (spaces, newlines,
    punctuation) collapsed to one space, possessive 's removed, an apostrophe inside a word dropped
    (O'Connor and OConnor alike), and one space at each end so phrases match on word boundaries.
    `origin[i]` is the index in the original text of the character that produced text[i]."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) of normalised text[start:end] (which must not start/end on a space)."""
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    out: list[str] = [" "]
    origin: list[int] = [0]
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch.isalnum():
            for folded in _fold(ch):
                out.append(folded)
                origin.append(i)
            i += 1
            continue
        if unicodedata.combining(ch):  # a decomposed accent (NFD input): part of its letter
            i += 1
            continue
        # Possessive: "Kayden's" / "Kayden\u2019s" matches as "kayden".
        if (
            ch in _APOSTROPHES
            and i + 1 < n
            and text[i + 1] in "sS"
            and (i + 2 >= n or not text[i + 2].isalnum())
            and i > 0
            and text[i - 1].isalnum()
        ):
            i += 2
            continue
        # An apostrophe inside a name (O'Connor, D'Souza) joins it: "oconnor", as often typed.
        if ch in _APOSTROPHES and 0 < i < n - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
            i += 1
            continue
        if out[-1] != " ":
            out.append(" ")
            origin.append(i)
        i += 1
    if out[-1] != " ":
        out.append(" ")
        origin.append(n)
    return Normalised("".join(out), tuple(origin))


def normalise_phrase(text: str) -> str:
    """The normalised form of a name or address used as an index key: ' kayden walsh '."""
    return normalise(text).text
