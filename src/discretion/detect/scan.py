"""scan(text, index): find personal data in an outgoing message (policy 1.1).

A message is read in windows of about `WINDOW_CHARS` characters, split at white space, each seen with
`MARGIN_CHARS` of the text either side for context: the finder's working memory is that of one window
(plus the findings), whatever the size of the message. A long message is read twice: first for the
people it names beyond doubt (a full name, an NHS number, a person reference, a home address), so that a
lone first name far from the full name still counts, then for everything.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from discretion.detect import context
from discretion.detect.index import SubjectIndex, as_tuple
from discretion.detect.model import Finding, Label, ScanResult, is_service_user_personal_data
from discretion.detect.normalise import normalise
from discretion.detect.patterns import PatternMatch, find_anchor_patterns, find_patterns
from discretion.detect.words import COMMON_WORDS, SCHOOL_WORDS

# "Nearby" for a single name and its corroborating identifier: about a short paragraph.
NEAR_CHARS = 250
WINDOW_CHARS = 16_384
# Context either side of a window: more than NEAR_CHARS plus the longest name or address phrase.
MARGIN_CHARS = 600
_SCHOOL_NEAR_WORDS = 8
_ADDRESS_STARTERS = frozenset({"flat", "apartment", "unit", "room"})
# A name shared by more people than this is not worth intersecting token-to-token (it is never rare).
_TOKEN_PAIR_MAX = 200
_Emit = Callable[[int, int, Label, str | None, str], None]


@dataclass(slots=True)
class _Evidence:
    start: int
    refs: tuple[str, ...]
    word: str | None = None  # set when the evidence is itself a lone name word
    what: str = ""  # plain English, for the finding's `why`


def _pick(refs: tuple[str, ...], confirmed: set[str]) -> str | None:
    """One subject for a finding: the only candidate, or the only one corroborated elsewhere."""
    if len(refs) == 1:
        return refs[0]
    hits = [r for r in refs if r in confirmed]
    return hits[0] if len(hits) == 1 else None


def scan(text: str, index: SubjectIndex) -> ScanResult:
    """Personal data in `text`, with offsets into the original text. Pure: no I/O."""
    n = len(text)
    if n <= WINDOW_CHARS + 2 * MARGIN_CHARS:
        window = _Window(text, 0, n, index)
        findings = window.findings(window.anchors(), 0, n)
    else:
        cores = list(_cores(text))
        anchored: set[str] = set()
        for lo, hi in cores:
            anchored |= _Window(text, lo, min(n, hi + 80), index, anchors_only=True).anchors(lo, hi)
        findings = []
        for lo, hi in cores:
            window = _Window(text, max(0, lo - MARGIN_CHARS), min(n, hi + MARGIN_CHARS), index)
            findings.extend(window.findings(anchored, lo, hi))
    findings = _dedupe(findings)
    contains = is_service_user_personal_data(findings) or any(
        f.label in (Label.EMAIL, Label.PHONE, Label.ADDRESS) for f in findings
    )
    return ScanResult(contains_personal_data=contains, findings=findings)


def _cores(text: str) -> Iterator[tuple[int, int]]:
    """[lo, hi) ranges covering `text`, about WINDOW_CHARS long, each ending after white space."""
    n = len(text)
    lo = 0
    while lo < n:
        hi = min(n, lo + WINDOW_CHARS)
        if hi < n:
            cut = max(text.rfind("\n", lo + WINDOW_CHARS // 2, hi), text.rfind(" ", hi - 200, hi))
            if cut > lo:
                hi = cut + 1
        yield lo, hi
        lo = hi


class _Window:
    """One window of the message: its patterns, its normalised words and which of them are name words.
    Offsets given out are offsets in the whole message."""

    def __init__(
        self, message: str, lo: int, hi: int, index: SubjectIndex, *, anchors_only: bool = False
    ) -> None:
        self.offset = lo
        self.text = text = message[lo:hi] if (lo, hi) != (0, len(message)) else message
        self.index = index
        find = find_anchor_patterns if anchors_only else find_patterns
        self.matches = list(find(text, index.case_ref_patterns))
        self.norm = norm = normalise(text)
        self.words = norm.words
        self.word_starts = norm.norm_starts
        self.orig_starts = norm.orig_starts
        self.orig_ends = norm.orig_ends
        word_at = {s: i for i, s in enumerate(norm.norm_starts)}
        self.is_name = [False] * len(self.words)
        for end_index, length in index.automaton().iter(norm.text):
            i = word_at.get(end_index - length + 2)
            if i is not None:
                self.is_name[i] = True
        self.consumed = [False] * len(self.words)
        self.person_spans: list[tuple[int, int, tuple[str, ...]]] = []
        self.address_spans: list[tuple[int, int, tuple[str, ...]]] = []
        self.ctx = context.Context(text, self.words, norm.orig_starts, norm.orig_ends)
        self._find_full_names()
        self._find_addresses()

    def orig(self, i: int, j: int) -> tuple[int, int]:
        """Offsets in this window's text of words i..j."""
        return self.orig_starts[i], self.orig_ends[j]

    def _find_full_names(self) -> None:
        """Longest run of name words that spells a known person (or a member of staff)."""
        words, is_name, index = self.words, self.is_name, self.index
        n = len(words)
        skip_to = 0
        for i in [k for k, flag in enumerate(is_name) if flag]:
            if i < skip_to:
                continue
            for length in (4, 3, 2):
                j = i + length - 1
                if j >= n or not all(is_name[i : j + 1]):
                    continue
                phrase = " ".join(words[i : j + 1])
                if phrase in index.staff_full_names or phrase in index.allow_phrases:
                    pass
                else:
                    refs = as_tuple(index.full_names.get(phrase))
                    if not refs:
                        continue
                    if self.ctx.not_a_person(i, j) is None:
                        self.person_spans.append((i, j, refs))
                for k in range(i, j + 1):
                    self.consumed[k] = True
                skip_to = j + 1
                break

    def _find_addresses(self) -> None:
        """Known home addresses (first line), unless it is one of the council's own."""
        index, words = self.index, self.words
        if not index.addresses:
            return
        for i in [k for k, word in enumerate(words) if word[0].isdigit() or word in _ADDRESS_STARTERS]:
            for length in range(min(7, len(words) - i), 1, -1):
                phrase = " ".join(words[i : i + length])
                refs = as_tuple(index.addresses.get(phrase))
                if refs and not index.is_allowed_phrase(phrase):
                    self.address_spans.append((i, i + length - 1, refs))
                    break

    def _in(self, start: int, lo: int, hi: int) -> bool:
        return lo <= start + self.offset < hi

    def anchors(self, lo: int = 0, hi: int | None = None) -> set[str]:
        """People named beyond doubt in [lo, hi) of the message: by full name, home address, NHS number
        or person reference."""
        hi = len(self.text) + self.offset if hi is None else hi
        out: set[str] = set()
        for i, _j, refs in self.person_spans + self.address_spans:
            if self._in(self.orig(i, i)[0], lo, hi):
                out.update(refs)
        index = self.index
        for m in self.matches:
            if not self._in(m.start, lo, hi):
                continue
            if m.label is Label.NHS_NUMBER:
                out.update(as_tuple(index.nhs_numbers.get(m.value)))
            elif m.label is Label.CASE_REF and m.kind == "person" and m.value in index:
                out.add(m.value)
        return out

    def findings(self, anchored: set[str], lo: int, hi: int) -> list[Finding]:
        """Every finding that starts in [lo, hi) of the message; `anchored`: people named beyond doubt
        anywhere in the message."""
        index, words, is_name, text = self.index, self.words, self.is_name, self.text
        offset = self.offset
        out: list[Finding] = []

        def emit(start: int, end: int, label: Label, ref: str | None, why: str) -> None:
            if lo <= start + offset < hi:
                out.append(Finding(start + offset, end + offset, label, ref, text[start:end], why))

        # Identifiers that pin a known person on their own, and weaker ones (a DOB, a postcode) that only
        # corroborate a name (1M people share ~6,500 birthdays).
        evidence: list[_Evidence] = []
        for m in self.matches:
            if m.label is Label.NHS_NUMBER:
                evidence.append(
                    _Evidence(m.start, as_tuple(index.nhs_numbers.get(m.value)), None, "NHS number")
                )
            elif m.label is Label.CASE_REF and m.kind == "person" and m.value in index:
                evidence.append(_Evidence(m.start, (m.value,), None, "person reference"))
            elif m.label is Label.DOB:
                evidence.append(_Evidence(m.start, tuple(index.dobs.get(m.value, ())), None, "date of birth"))
            elif m.label is Label.POSTCODE:
                evidence.append(_Evidence(m.start, as_tuple(index.postcodes.get(m.value)), None, "postcode"))
        for i, j, refs in self.person_spans:
            evidence.append(_Evidence(self.orig(i, j)[0], refs, None, "full name"))
        for i, j, refs in self.address_spans:
            evidence.append(_Evidence(self.orig(i, j)[0], refs, None, "home address"))
        for i, word in enumerate(words):
            if is_name[i] and not self.consumed[i]:
                word_refs = index.token_refs.get(word, [])
                if word_refs and len(word_refs) <= _TOKEN_PAIR_MAX and word not in COMMON_WORDS:
                    evidence.append(_Evidence(self.orig(i, i)[0], tuple(word_refs), word, "name"))
        evidence.sort(key=lambda e: e.start)
        starts = [e.start for e in evidence]

        # Single name words: a known person's name in context, never a bare common word.
        confirmed = set(anchored)
        postcode_starts = {m.start for m in self.matches if m.label is Label.POSTCODE}
        for i, word in enumerate(words):
            if not is_name[i] or self.consumed[i]:
                continue
            token_refs = index.token_refs.get(word)
            if not token_refs:
                continue
            start, end = self.orig(i, i)
            if not (lo <= start + offset < hi):
                continue
            common = word in COMMON_WORDS
            near: dict[str, str] = {}
            lo_e = bisect.bisect_left(starts, start - NEAR_CHARS)
            hi_e = bisect.bisect_right(starts, start + NEAR_CHARS)
            for ev in evidence[lo_e:hi_e]:
                # Two lone name words back each other only if both are distinctive and different words; an
                # ordinary word ("Rose", "Preston") needs a real identifier of the same person nearby.
                if ev.word is None or (not common and ev.word != word):
                    for r in ev.refs:
                        near.setdefault(r, ev.what)
            has_token = index.refs_set(word)
            corroborated = {r: what for r, what in near.items() if r in has_token}
            if len(anchored) <= len(token_refs):
                corroborated.update(
                    {r: "full name" for r in anchored if r in has_token and r not in corroborated}
                )
            else:
                corroborated.update(
                    {r: "full name" for r in token_refs if r in anchored and r not in corroborated}
                )
            capitalised = text[start].isupper()
            ref: str | None
            if corroborated:
                if common and (not capitalised or _skip_separators(text, end) in postcode_starts):
                    continue  # "hope", or "Preston PR1 8XJ": the word or the town, not the person
                if self.ctx.not_a_person(i, i) is not None:
                    continue
                ref = _pick(tuple(sorted(corroborated)), anchored)
                what = corroborated[ref] if ref is not None else sorted(corroborated.values())[0]
                why = f"a name on the council's records, with the same person's {what} nearby"
            elif common or word in index.staff_tokens or not capitalised:
                continue  # a lone lower-case word is a word: "max figure", not Max
            elif len(token_refs) <= index.RARE_NAME_MAX or any(
                w in SCHOOL_WORDS for w in words[max(0, i - _SCHOOL_NEAR_WORDS) : i + _SCHOOL_NEAR_WORDS + 1]
            ):
                if self.ctx.not_a_person(i, i) is not None:
                    continue
                ref = token_refs[0] if len(token_refs) == 1 else None
                why = (
                    "a name that few people on the council's records have"
                    if len(token_refs) <= index.RARE_NAME_MAX
                    else "a name on the council's records, with a school or class mentioned nearby"
                )
            else:
                continue
            if ref is not None:
                confirmed.add(ref)
            emit(start, end, Label.PERSON, ref, why)

        for i, j, refs in self.person_spans:
            emit(
                *self.orig(i, j),
                Label.PERSON,
                _pick(refs, confirmed - set(refs) | anchored),
                "the full name of someone on the council's records",
            )
        for i, j, refs in self.address_spans:
            emit(
                *self.orig(i, j),
                Label.ADDRESS,
                _pick(refs, confirmed),
                "a home address on the council's records",
            )

        for m in self.matches:
            _emit_pattern(m, index, confirmed, emit)
        return out


def _emit_pattern(m: PatternMatch, index: SubjectIndex, confirmed: set[str], emit: _Emit) -> None:
    label = m.label
    if label is Label.EMAIL:
        domain = m.value.rsplit("@", 1)[1]
        if m.value in index.staff_emails or m.value in index.allow_emails or domain in index.allow_domains:
            return
        emit(m.start, m.end, label, None, "an e-mail address that is not one of the council's own")
    elif label is Label.PHONE:
        if m.value in index.staff_phones or m.value in index.allow_phones:
            return
        emit(m.start, m.end, label, None, "a phone number that is not one of the council's own")
    elif label is Label.NHS_NUMBER:
        refs = as_tuple(index.nhs_numbers.get(m.value))
        emit(
            m.start,
            m.end,
            label,
            _pick(refs, confirmed),
            "the NHS number of someone on the council's records"
            if refs
            else "an NHS number (its check digit is right)",
        )
    elif label is Label.NI_NUMBER:
        emit(m.start, m.end, label, None, "a National Insurance number")
    elif label is Label.POSTCODE:
        if m.value in index.council_postcodes or m.value.lower() in index.allow_phrases:
            return
        refs = tuple(r for r in as_tuple(index.postcodes.get(m.value)) if r in confirmed)
        emit(
            m.start,
            m.end,
            label,
            refs[0] if len(refs) == 1 else None,
            "the postcode of someone named nearby" if refs else "a postcode",
        )
    elif label is Label.DOB:
        refs = tuple(r for r in index.dobs.get(m.value, ()) if r in confirmed)
        if m.has_cue or refs:
            emit(
                m.start,
                m.end,
                label,
                refs[0] if len(refs) == 1 else None,
                "the date of birth of someone named nearby" if refs else "a date given as a date of birth",
            )
    elif label is Label.CASE_REF:
        known = m.kind == "person" and m.value in index
        emit(
            m.start,
            m.end,
            label,
            m.value if known else None,
            "the council's reference for someone on its records"
            if known
            else f"a council {m.kind} reference",
        )


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
