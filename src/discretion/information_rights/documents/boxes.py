"""Proposals on a page (pure: no Django, no I/O): the personal-data finder runs over the page's
words joined into text, and each third-party finding becomes a box around the words it covers,
one box per line. OCR misreads a name now and then ("Roxarme" for "Roxanne"), so on an OCR page a
word or two-word window within a small edit distance of a third party's name is proposed too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jellyfish

from discretion import detect
from discretion.information_rights.documents.ocr import Word

PAD = 0.002  # a box reaches a little past its words (fractions of the page)
THIRD_PARTY = "third_party"  # Reason.THIRD_PARTY (DPA 2018 Sch 2 para 16)


@dataclass(frozen=True, slots=True)
class Proposal:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    match_key: str
    reason: str


def fold(text: str) -> str:
    return detect.normalise(text).text.strip()


def page_text(words: Sequence[Word]) -> tuple[str, list[tuple[int, int]]]:
    """The words as text (a space between words, a newline between lines) and each word's span."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, word in enumerate(words):
        if i:
            sep = "\n" if word.line != words[i - 1].line else " "
            parts.append(sep)
            pos += 1
        spans.append((pos, pos + len(word.text)))
        parts.append(word.text)
        pos += len(word.text)
    return "".join(parts), spans


def box_words(words: Sequence[Word], indexes: Iterable[int], reason: str, key: str) -> list[Proposal]:
    """One box per line around the chosen words."""
    by_line: dict[int, list[Word]] = {}
    for i in sorted(set(indexes)):
        by_line.setdefault(words[i].line, []).append(words[i])
    return [
        Proposal(
            max(0.0, min(w.x0 for w in line) - PAD),
            max(0.0, min(w.y0 for w in line) - PAD),
            min(1.0, max(w.x1 for w in line) + PAD),
            min(1.0, max(w.y1 for w in line) + PAD),
            " ".join(w.text for w in line),
            key,
            reason,
        )
        for line in by_line.values()
    ]


def whole_page(reason: str) -> Proposal:
    return Proposal(0.0, 0.0, 1.0, 1.0, "(whole page)", "", reason)


@dataclass(frozen=True)
class NameKeys:
    """Third parties' names as OCR should have read them, folded: (given, family) pairs, and the
    single words a person would redact alone (not shared with the subject, four letters or more)."""

    pairs: frozenset[tuple[str, str]]
    singles: frozenset[str]

    @classmethod
    def build(cls, third_party_names: Iterable[str], subject_names: Iterable[str]) -> NameKeys:
        own = {t for name in subject_names for t in fold(name).split()}
        pairs, singles = set(), set()
        for name in third_party_names:
            tokens = fold(name).split()
            if len(tokens) >= 2:
                pairs.add((tokens[0], tokens[-1]))
            singles |= {t for t in tokens if len(t) >= 4 and t not in own}
        return cls(frozenset(pairs), frozenset(singles))


def _close(token: str, key: str) -> bool:
    """Within an edit of a short name, two of a longer one; a wrong first letter costs one more
    letter of length (handwriting's capitals are what OCR misreads most)."""
    if token == key:
        return True
    if abs(len(token) - len(key)) > 2 or len(token) < 3:
        return False
    distance = jellyfish.levenshtein_distance(token, key)
    limit = 1 if len(key) <= 4 else 2
    if token[:1] != key[:1]:
        return len(key) >= 6 and distance <= limit
    return distance <= limit


def _loose(token: str, key: str) -> bool:
    """Next to a name read well, its partner may be read badly ("Tyler Glouis" for Tyler Hollis)."""
    return len(token) >= 2 and jellyfish.levenshtein_distance(token, key) <= max(1, len(key) // 2)


def fuzzy_names(words: Sequence[Word], keys: NameKeys, *, fuzzy: bool = True) -> list[Proposal]:
    """Third parties' names, alone or in full; within an edit or two where `fuzzy` (an OCR page)."""
    folded = [fold(w.text) for w in words]
    close = _close if fuzzy else str.__eq__
    loose = _loose if fuzzy else str.__eq__
    found: list[Proposal] = []
    taken: set[int] = set()
    for i in range(len(words) - 1):
        a, b = folded[i], folded[i + 1]
        for given, family in keys.pairs:
            if (close(a, given) and loose(b, family)) or (close(b, family) and loose(a, given)):
                taken |= {i, i + 1}
                found += box_words(words, (i, i + 1), THIRD_PARTY, f"{given} {family}")
                break
    for i, token in enumerate(folded):
        if i in taken or len(token) < 4:
            continue
        key = next((k for k in keys.singles if close(token, k)), None)
        if key is not None:
            found += box_words(words, (i,), THIRD_PARTY, key)
    return found


def propose(
    words: Sequence[Word],
    index: detect.SubjectIndex,
    third_refs: set[str],
    labels: frozenset[detect.Label],
    *,
    keys: NameKeys | None = None,
    fuzzy: bool = False,
) -> list[Proposal]:
    """Boxes for third-party findings on the page, and for third parties' names (`keys`): a lone
    given name the finder cannot attribute is still redacted; with `fuzzy` (an OCR page), near-misses."""
    text, spans = page_text(words)
    proposals: list[Proposal] = []
    covered: set[int] = set()
    for finding in detect.scan(text, index).findings:
        if finding.subject_ref not in third_refs or finding.label not in labels:
            continue
        hit = [i for i, (s, e) in enumerate(spans) if s < finding.end and e > finding.start]
        if hit:
            covered |= set(hit)
            proposals += box_words(words, hit, THIRD_PARTY, fold(finding.text))
    if keys is not None:
        proposals += [p for p in fuzzy_names(words, keys, fuzzy=fuzzy) if not _inside(p, proposals)]
    return proposals


def overlaps(candidate: Proposal, boxes: Sequence[Proposal]) -> bool:
    """Whether the candidate's centre is inside a box already proposed."""
    return _inside(candidate, boxes)


def _inside(candidate: Proposal, boxes: Sequence[Proposal]) -> bool:
    cx, cy = (candidate.x0 + candidate.x1) / 2, (candidate.y0 + candidate.y1) / 2
    return any(b.x0 <= cx <= b.x1 and b.y0 <= cy <= b.y1 for b in boxes)


def find_phrase(words: Sequence[Word], phrase: str, *, fuzzy: bool) -> list[list[int]]:
    """Every run of words reading `phrase` (folded; within an edit or two on an OCR page)."""
    wanted = fold(phrase).split()
    if not wanted:
        return []
    folded = [fold(w.text) for w in words]
    runs = []
    for start in range(len(words) - len(wanted) + 1):
        window = folded[start : start + len(wanted)]
        if all(
            got == want or (fuzzy and len(want) >= 4 and _close(got, want))
            for got, want in zip(window, wanted, strict=True)
        ):
            runs.append(list(range(start, start + len(wanted))))
    return runs
