"""Proposals on a page (pure: no Django, no I/O): the personal-data finder runs over the page's
words joined into text, and each third-party finding becomes a box around the words it covers,
one box per line. OCR misreads a name now and then ("Roxarme" for "Roxanne"), so on an OCR page a
word or two-word window within a small edit distance of a third party's name is proposed too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from discretion import detect
from discretion.information_rights.documents import misreadings
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
    return misreadings.close(token, key)


# A word OCR was this unsure of (0–100), next to a third party's given or family name, is taken for
# the rest of the name: handwriting's family names are what OCR reads worst ("Bernadette Okage").
PARTNER_CONFIDENCE = 50.0


def _unreadable_partners(
    words: Sequence[Word], folded: Sequence[str], keys: NameKeys, taken: set[int]
) -> list[Proposal]:
    """The word after a given name, or before a family name, on the same line, when OCR could not
    read it with confidence: boxed as the rest of the name."""
    found: list[Proposal] = []
    for i in range(len(words) - 1):
        if words[i].line != words[i + 1].line:
            continue
        for given, family in sorted(keys.pairs):
            if (
                i + 1 not in taken
                and words[i + 1].conf < PARTNER_CONFIDENCE
                and misreadings.could_be(folded[i + 1], family)
                and misreadings.close(folded[i], given)
            ):
                taken.add(i + 1)
                found += box_words(words, (i + 1,), THIRD_PARTY, family)
            elif (
                i not in taken
                and words[i].conf < PARTNER_CONFIDENCE
                and misreadings.could_be(folded[i], given)
                and misreadings.close(folded[i + 1], family)
            ):
                taken.add(i)
                found += box_words(words, (i,), THIRD_PARTY, given)
    return found


def fuzzy_names(words: Sequence[Word], keys: NameKeys, *, fuzzy: bool = True) -> list[Proposal]:
    """Third parties' names, alone or in full; where `fuzzy` (an OCR page), misread as OCR misreads
    (`misreadings`): a word or two, a name split in two or hyphenated at a line's end, a name run
    into the next word."""
    folded = [fold(w.text) for w in words]
    close = misreadings.close if fuzzy else str.__eq__
    loose = misreadings.loose if fuzzy else str.__eq__
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
        key = next((k for k in sorted(keys.singles) if close(token, k)), None)
        if key is None and fuzzy:
            key = next((k for k in sorted(keys.singles) if misreadings.run_into(token, k)), None)
        if key is not None:
            taken.add(i)
            found += box_words(words, (i,), THIRD_PARTY, key)
    if fuzzy:
        found += _unreadable_partners(words, folded, keys, taken)
        for i in range(len(words) - 1):
            if i in taken or i + 1 in taken:
                continue
            key = next(
                (k for k in sorted(keys.singles) if misreadings.joined(folded[i], folded[i + 1], k)), None
            )
            if key is not None:
                taken |= {i, i + 1}
                found += box_words(words, (i, i + 1), THIRD_PARTY, key)
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
        proposals += [p for p in fuzzy_names(words, keys, fuzzy=fuzzy) if not hidden_by(p, proposals)]
    return proposals


def propose_readings(
    readings: Sequence[Sequence[Word]],
    index: detect.SubjectIndex,
    third_refs: set[str],
    labels: frozenset[detect.Label],
    *,
    keys: NameKeys | None = None,
    fuzzy: bool = False,
) -> list[Proposal]:
    """`propose` on each reading of a page (the stored one first, then further readings of a page
    OCR read poorly): a name read only by another reading is proposed where that reading saw it."""
    proposals: list[Proposal] = []
    for words in readings:
        found = propose(words, index, third_refs, labels, keys=keys, fuzzy=fuzzy)
        proposals += [p for p in found if not hidden_by(p, proposals)] if proposals else found
    return proposals


def hidden_by(candidate: Proposal, boxes: Sequence[Proposal]) -> bool:
    """Whether boxes already proposed hide the candidate: on its line (over half its height) and
    across nine tenths of its width or more. (A box for "Bernadette Okonkwo" is not hidden by one for
    "Bernadette" alone, though its centre may be.)"""
    height, width = candidate.y1 - candidate.y0, candidate.x1 - candidate.x0
    spans = sorted(
        (max(b.x0, candidate.x0), min(b.x1, candidate.x1))
        for b in boxes
        if min(b.y1, candidate.y1) - max(b.y0, candidate.y0) >= height / 2
        and min(b.x1, candidate.x1) > max(b.x0, candidate.x0)
    )
    hidden, reach = 0.0, candidate.x0
    for left, right in spans:
        if right > reach:
            hidden += right - max(left, reach)
            reach = right
    return hidden >= 0.9 * width


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
