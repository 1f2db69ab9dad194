"""scan(text, index): find personal data in an outgoing message (policy 1.1)."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from discretion.detect.index import SubjectIndex, as_tuple
from discretion.detect.model import Finding, Label, ScanResult, is_service_user_personal_data
from discretion.detect.normalise import normalise
from discretion.detect.patterns import PatternMatch, find_patterns
from discretion.detect.words import COMMON_WORDS, SCHOOL_WORDS

# "Nearby" for a single name and its corroborating identifier: about a short paragraph.
NEAR_CHARS = 250
_Emit = Callable[[int, int, Label, str | None], None]
_SCHOOL_NEAR_WORDS = 8
_ADDRESS_STARTERS = frozenset({"flat", "apartment", "unit", "room"})
# A name shared by more people than this is not worth intersecting token-to-token (it is never rare).
_TOKEN_PAIR_MAX = 200


@dataclass(slots=True)
class _Evidence:
    start: int
    refs: tuple[str, ...]
    word: str | None = None  # set when the evidence is itself a lone name word


def _pick(refs: tuple[str, ...], confirmed: set[str]) -> str | None:
    """One subject for a finding: the only candidate, or the only one corroborated elsewhere."""
    if len(refs) == 1:
        return refs[0]
    hits = [r for r in refs if r in confirmed]
    return hits[0] if len(hits) == 1 else None


def _near(evidence: list[_Evidence], starts: list[int], pos: int) -> list[_Evidence]:
    lo = bisect.bisect_left(starts, pos - NEAR_CHARS)
    hi = bisect.bisect_right(starts, pos + NEAR_CHARS)
    return evidence[lo:hi]


def scan(text: str, index: SubjectIndex) -> ScanResult:
    """Personal data in `text`, with offsets into the original text. Pure: no I/O."""
    findings: list[Finding] = []

    def emit(start: int, end: int, label: Label, ref: str | None) -> None:
        findings.append(Finding(start, end, label, ref, text[start:end]))

    # 1. Identifiers with a fixed written form.
    matches = list(find_patterns(text, index.case_ref_patterns))

    # 2. Name words, in one Aho-Corasick pass over the normalised text.
    norm = normalise(text)
    nt = norm.text
    word_starts: list[int] = []
    word_ends: list[int] = []
    pos = 1
    while pos < len(nt):
        nxt = nt.find(" ", pos)
        if nxt == -1:
            break
        if nxt > pos:
            word_starts.append(pos)
            word_ends.append(nxt)
        pos = nxt + 1
    words = [nt[s:e] for s, e in zip(word_starts, word_ends, strict=True)]
    word_at = {s: i for i, s in enumerate(word_starts)}
    is_name = [False] * len(words)
    for end_index, length in index.automaton().iter(nt):
        i = word_at.get(end_index - length + 2)
        if i is not None:
            is_name[i] = True

    def orig(i: int, j: int) -> tuple[int, int]:
        return norm.span(word_starts[i], word_ends[j])

    anchored: set[str] = set()
    consumed = [False] * len(words)
    person_spans: list[tuple[int, int, tuple[str, ...]]] = []
    # Full names: longest run of name words that spells a known person (or a member of staff).
    i = 0
    while i < len(words):
        matched = False
        for length in (4, 3, 2):
            j = i + length - 1
            if j >= len(words) or not all(is_name[i : j + 1]):
                continue
            phrase = " ".join(words[i : j + 1])
            if phrase in index.staff_full_names or phrase in index.allow_phrases:
                for k in range(i, j + 1):
                    consumed[k] = True
                matched = True
            else:
                refs = as_tuple(index.full_names.get(phrase))
                if refs:
                    for k in range(i, j + 1):
                        consumed[k] = True
                    person_spans.append((i, j, refs))
                    anchored.update(refs)
                    matched = True
            if matched:
                i = j + 1
                break
        if not matched:
            i += 1

    # Known addresses (first line), unless it is one of the council's own.
    address_spans: list[tuple[int, int, tuple[str, ...]]] = []
    if index.addresses:
        for i, word in enumerate(words):
            if not (word[0].isdigit() or word in _ADDRESS_STARTERS):
                continue
            for length in range(min(7, len(words) - i), 1, -1):
                phrase = " ".join(words[i : i + length])
                refs = as_tuple(index.addresses.get(phrase))
                if refs and not index.is_allowed_phrase(phrase):
                    address_spans.append((i, i + length - 1, refs))
                    anchored.update(refs)
                    break

    # Identifiers that pin a known person on their own, and weaker ones (a DOB, a postcode) that only
    # corroborate a name (1M people share ~6,500 birthdays).
    evidence: list[_Evidence] = []
    for m in matches:
        if m.label is Label.NHS_NUMBER:
            refs = as_tuple(index.nhs_numbers.get(m.value))
            anchored.update(refs)
            evidence.append(_Evidence(m.start, refs))
        elif m.label is Label.CASE_REF and m.kind == "person" and m.value in index:
            anchored.add(m.value)
            evidence.append(_Evidence(m.start, (m.value,)))
        elif m.label is Label.DOB:
            evidence.append(_Evidence(m.start, tuple(index.dobs.get(m.value, ()))))
        elif m.label is Label.POSTCODE:
            evidence.append(_Evidence(m.start, as_tuple(index.postcodes.get(m.value))))
    for i, j, refs in person_spans + address_spans:
        evidence.append(_Evidence(orig(i, j)[0], refs))
    for i, word in enumerate(words):
        if is_name[i] and not consumed[i]:
            word_refs = index.token_refs.get(word, [])
            if word_refs and len(word_refs) <= _TOKEN_PAIR_MAX and word not in COMMON_WORDS:
                evidence.append(_Evidence(orig(i, i)[0], tuple(word_refs), word))
    evidence.sort(key=lambda e: e.start)
    starts = [e.start for e in evidence]

    # Single name words: a known person's name in context, never a bare common word.
    confirmed = set(anchored)
    postcode_starts = {m.start for m in matches if m.label is Label.POSTCODE}
    for i, word in enumerate(words):
        if not is_name[i] or consumed[i]:
            continue
        token_refs = index.token_refs.get(word)
        if not token_refs:
            continue
        start, end = orig(i, i)
        common = word in COMMON_WORDS
        near_refs: set[str] = set()
        for ev in _near(evidence, starts, start):
            # Two lone name words back each other only if both are distinctive and different words; an
            # ordinary word ("Rose", "Preston") needs a real identifier of the same person nearby.
            if ev.word is None or (not common and ev.word != word):
                near_refs.update(ev.refs)
        near_refs |= anchored
        token_set = set(token_refs) if len(token_refs) < 4 * len(near_refs) else None
        corroborated = (
            [r for r in near_refs if r in token_set]
            if token_set is not None
            else [r for r in token_refs if r in near_refs]
        )
        capitalised = text[start].isupper()
        ref: str | None
        if corroborated:
            if common and (not capitalised or _skip_separators(text, end) in postcode_starts):
                continue  # "hope", or "Preston PR1 8XJ": the word or the town, not the person
            ref = _pick(tuple(sorted(corroborated)), anchored)
        elif common or word in index.staff_tokens or not capitalised:
            continue  # a lone lower-case word is a word: "max figure", not Max
        elif len(token_refs) <= index.RARE_NAME_MAX or any(
            w in SCHOOL_WORDS for w in words[max(0, i - _SCHOOL_NEAR_WORDS) : i + _SCHOOL_NEAR_WORDS + 1]
        ):
            ref = token_refs[0] if len(token_refs) == 1 else None
        else:
            continue
        if ref is not None:
            confirmed.add(ref)
        emit(start, end, Label.PERSON, ref)

    for i, j, refs in person_spans:
        emit(*orig(i, j), Label.PERSON, _pick(refs, confirmed - set(refs) | anchored))
    for i, j, refs in address_spans:
        emit(*orig(i, j), Label.ADDRESS, _pick(refs, confirmed))

    for m in matches:
        _emit_pattern(m, index, confirmed, emit)

    findings = _dedupe(findings)
    contains = is_service_user_personal_data(findings) or any(
        f.label in (Label.EMAIL, Label.PHONE, Label.ADDRESS) for f in findings
    )
    return ScanResult(contains_personal_data=contains, findings=findings)


def _emit_pattern(m: PatternMatch, index: SubjectIndex, confirmed: set[str], emit: _Emit) -> None:
    label = m.label
    if label is Label.EMAIL:
        domain = m.value.rsplit("@", 1)[1]
        if m.value in index.staff_emails or m.value in index.allow_emails or domain in index.allow_domains:
            return
        emit(m.start, m.end, label, None)
    elif label is Label.PHONE:
        if m.value in index.staff_phones or m.value in index.allow_phones:
            return
        emit(m.start, m.end, label, None)
    elif label is Label.NHS_NUMBER:
        emit(m.start, m.end, label, _pick(as_tuple(index.nhs_numbers.get(m.value)), confirmed))
    elif label is Label.NI_NUMBER:
        emit(m.start, m.end, label, None)
    elif label is Label.POSTCODE:
        if m.value in index.council_postcodes or m.value.lower() in index.allow_phrases:
            return
        refs = tuple(r for r in as_tuple(index.postcodes.get(m.value)) if r in confirmed)
        emit(m.start, m.end, label, refs[0] if len(refs) == 1 else None)
    elif label is Label.DOB:
        refs = tuple(r for r in index.dobs.get(m.value, ()) if r in confirmed)
        if m.has_cue or refs:
            emit(m.start, m.end, label, refs[0] if len(refs) == 1 else None)
    elif label is Label.CASE_REF:
        emit(m.start, m.end, label, m.value if m.kind == "person" and m.value in index else None)


def _skip_separators(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " ,\n\t":
        pos += 1
    return pos


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Sorted by start; of overlapping findings with the same label keep the longest (then first)."""
    findings.sort(key=lambda f: (f.start, -(f.end - f.start), f.label))
    kept: list[Finding] = []
    last_end: dict[Label, int] = {}
    for f in findings:
        if f.start < last_end.get(f.label, -1):
            continue
        kept.append(f)
        last_end[f.label] = f.end
    return kept
