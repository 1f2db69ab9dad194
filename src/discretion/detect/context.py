"""Context rules: what the words around a name say about it (issue 14).

A name on the council's records is not always the person: "Walsh Court", "PC Ashworth", "Harry Potter",
a partner agency's worker signing off. These rules read the words around a match and say, in plain
English, why it is not a service user. Pure: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence


class Context:
    """The words of one window of a message, with their offsets, for the rules below."""

    def __init__(
        self,
        text: str,
        words: Sequence[str],
        starts: Sequence[int],
        ends: Sequence[int],
    ) -> None:
        self.text = text
        self.words = words
        self.starts = starts  # word k runs from starts[k] to ends[k] in `text`
        self.ends = ends

    def not_a_person(self, i: int, j: int) -> str | None:
        """Why words i..j, which spell a name on the records, are not a service user (or None)."""
        return None
