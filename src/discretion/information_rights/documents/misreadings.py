"""How far a word OCR read is from a name, counting the misreadings OCR makes (pure: no Django).

Tesseract confuses shapes, not letters at random: "rn" for "m", "1" and "|" for "l", "0" for "o",
"5" for "s", "vv" for "w", "cl" for "d" (an "I" read for "l" is one edit: folded, it is "i").
Both words are first brought to a *skeleton* where each such group is the letter it looks like, so
"Hol1is" and "rnaureen" are as close to "Hollis" and "maureen" as the names themselves. Words are folded first (`detect.normalise`: lower case, accents and possessives
gone), so the rules here see "hollis", never "Hollis's".
"""

from __future__ import annotations

import jellyfish

# Shapes read one for another: digits for the letters they look like first, then the pairs of
# letters read as one ("rn" as "m"), each brought to the letter it looks like.
_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("1", "l"),
    ("|", "l"),
    ("0", "o"),
    ("5", "s"),
    ("rn", "m"),
    ("vv", "w"),
    ("cl", "d"),
)


def skeleton(word: str) -> str:
    """`word` (folded) with every group OCR confuses replaced by the shape they share."""
    for group, shape in _CONFUSIONS:
        word = word.replace(group, shape)
    return word


def distance(token: str, key: str) -> int:
    """Edits between a folded word and a folded name, whichever is fewer: letter by letter, or
    shape by shape (an OCR confusion costs nothing)."""
    if token == key:
        return 0
    return min(
        jellyfish.levenshtein_distance(token, key),
        jellyfish.levenshtein_distance(skeleton(token), skeleton(key)),
    )


def limit(key: str) -> int:
    """Edits allowed for a word to count as `key` misread: one for a name of up to four letters,
    two for a longer one."""
    return 1 if len(key) <= 5 else 2


# Capitals handwriting makes that OCR reads one for another ("Cary" for Gary, "Lyler" for Tyler).
FIRST_LETTERS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair) for pair in ("cg", "lt", "pr", "pf", "bp", "hn", "oq", "od")
)


def close(token: str, key: str) -> bool:
    """Whether OCR may have read `key` as `token`: within `limit(key)` edits. A wrong first letter
    is allowed for a name of six letters or more, or where it is a capital OCR confuses with the
    name's (`FIRST_LETTERS`); otherwise a short word with another first letter is another word."""
    if token == key:
        return True
    if len(token) < 3 or abs(len(token) - len(key)) > 2:
        return False
    edits = distance(token, key)
    first, wanted = skeleton(token)[:1], skeleton(key)[:1]
    if first != wanted and len(key) < 6 and frozenset((first, wanted)) not in FIRST_LETTERS:
        return False
    return edits <= limit(key)


def loose(token: str, key: str) -> bool:
    """Next to a name read well, its partner may be read badly ("Tyler Glouis" for Tyler Hollis):
    within half the name's letters."""
    return len(token) >= 2 and distance(token, key) <= max(1, len(key) // 2)


def could_be(token: str, key: str) -> bool:
    """A word read too badly to measure could still be `key`: the same first letter (or one OCR
    confuses with it) and at least three fifths of its length."""
    if not token or len(token) * 5 < len(key) * 3 or len(token) > len(key) + 2:
        return False
    first, wanted = skeleton(token)[:1], skeleton(key)[:1]
    return first == wanted or frozenset((first, wanted)) in FIRST_LETTERS


def joined(first: str, second: str, key: str) -> bool:
    """Two words that are one name split by OCR ("Ber nadette") or hyphenated at a line's end
    ("Brier-" "ley", folded to "brier" "ley"): each of two letters or more, their join `key` or
    within an edit of a name of six letters or more."""
    if len(first) < 2 or len(second) < 2:
        return False
    return distance(first + second, key) <= (0 if len(key) < 6 else 1)


def run_into(token: str, key: str) -> bool:
    """A name run into the next word ("Pellowhad"): the word starts with the name (or with it
    misread by an edit) and is at most four letters longer."""
    extra = len(token) - len(key)
    if len(key) < 5 or extra < 2 or extra > 4:
        return False
    return distance(token[: len(key)], key) <= (0 if len(key) < 6 else 1)
