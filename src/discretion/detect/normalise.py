"""Text normalisation for matching, with a map back to the original character offsets."""

from __future__ import annotations

from dataclasses import dataclass

_APOSTROPHES = frozenset("'\u2019\u02bc")


@dataclass(frozen=True, slots=True)
class Normalised:
    """`text` is casefolded, with every run of non-alphanumerics (spaces, newlines, punctuation) collapsed
    to one space, possessive 's removed, and one space at each end so phrases match on word boundaries.
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
            for folded in ch.casefold():
                out.append(folded)
                origin.append(i)
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
