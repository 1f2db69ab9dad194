"""scan(text, index): find personal data in an outgoing message (policy 1.1).

What the council knows (its own people, their names, homes and numbers: an exact-data match) is read in
context (detect/context.py): a name is a service user unless the words around it make it a place, a
brand, a famous person or a professional; a first name alone counts when something ties it to one child
(a school year, a brother or sister, an age, their date of birth nearby). Every finding says why.

A message is read in windows of about `WINDOW_CHARS` characters, split at white space, each seen with
`MARGIN_CHARS` of the text either side for context: the finder's working memory is that of one window
(plus the findings), whatever the size of the message. A long message is read twice: first for the
people it names beyond doubt (a full name, an NHS number, a person reference, a home address), so that a
lone first name far from the full name still counts, then for everything.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from discretion.detect import context
from discretion.detect.index import SubjectIndex, as_tuple
from discretion.detect.knowledge import (
    ACRONYMS,
    CASE_CUES,
    KIN_WORDS,
    NON_CASE_REF_CUES,
    ORG_CONTACT_CUES,
    OWN_CONTACT_CUES,
    OWNER_WORDS,
    PLACES,
    PROFESSIONAL_DOMAINS,
    ROLE_MAILBOXES,
    SCHOOL_CUES,
)
from discretion.detect.model import Finding, Label, ScanResult, is_service_user_personal_data
from discretion.detect.normalise import normalise
from discretion.detect.patterns import PatternMatch, find_anchor_patterns, find_patterns
from discretion.detect.unmask import unmask
from discretion.detect.words import COMMON_WORDS

# "Nearby" for a single name and its corroborating identifier: about a short paragraph.
NEAR_CHARS = 250
WINDOW_CHARS = 16_384
# Context either side of a window: more than NEAR_CHARS plus the longest name or address phrase.
MARGIN_CHARS = 600
_ADDRESS_STARTERS = frozenset({"flat", "apartment", "unit", "room"})
# A name shared by more people than this is not worth intersecting token-to-token (it is never rare).
_TOKEN_PAIR_MAX = 200
_CUES = SCHOOL_CUES | KIN_WORDS | CASE_CUES
_NON_GEOGRAPHIC = (
    "03",
    "080",
    "0845",
    "0843",
    "0844",
    "0870",
    "0871",
    "0872",
    "0500",
    "0330",
    "0333",
    "0345",
)
# Words that are a subject at school or a language before they are a name.
_NEVER_ALONE = frozenset({"english", "french", "maths", "art", "music", "science", "history", "drama"})
_PLACEHOLDER_DIGITS = frozenset({"123456", "112233", "654321", "000000", "111111", "999999", "121212"})
_EXAMPLE_NI = frozenset({"AB123456C", "QQ123456C", "AA123456A", "AB123456A", "QQ123456A"})
_HOUSE_BEFORE = re.compile(r"(?:\b(?:no\.?|number|house)\s*)?(\d{1,4}[a-z]?)\s*[,/\-]?\s*$", re.IGNORECASE)
_HOUSE_AFTER = re.compile(r"^\s*[,/\-]?\s*(?:no\.?|number|house)\s*(\d{1,4}[a-z]?)\b", re.IGNORECASE)


class _EmitFn(Protocol):
    def __call__(
        self, start: int, end: int, label: Label, ref: str | None, why: str, *, of_service_user: bool = False
    ) -> None: ...


@dataclass(slots=True)
class _Evidence:
    start: int
    refs: tuple[str, ...]
    word: str | None = None  # set when the evidence is itself a lone name word
    what: str = ""  # plain English, for the finding's `why`


@dataclass(slots=True)
class _Span:
    """Words i..j that name someone on the records: `kind` is "full" (a full name or alias), "variant" (one
    letter away from one), "short" (an initial and a name: "T. Bolton", "Hope P"), or "initials" ("DK")."""

    i: int
    j: int
    refs: tuple[str, ...]
    kind: str
    famous: bool = False


def _pick(refs: tuple[str, ...], confirmed: set[str]) -> str | None:
    """One subject for a finding: the only candidate, or the only one corroborated elsewhere."""
    if len(refs) == 1:
        return refs[0]
    hits = [r for r in refs if r in confirmed]
    return hits[0] if len(hits) == 1 else None


def scan(text: str, index: SubjectIndex) -> ScanResult:
    """Personal data in `text`, with offsets into the original text. Pure: no I/O.

    The text is read unmasked first (detect/unmask.py: invisible format characters dropped, NFKC,
    look-alike letters read as the Latin ones), and each finding is mapped back to the original."""
    unmasked = unmask(text)
    result = _scan(unmasked.text, index)
    if unmasked.origin is None:
        return result
    findings = []
    for f in result.findings:
        start, end = unmasked.span(f.start, f.end)
        findings.append(dataclasses.replace(f, start=start, end=end, text=text[start:end]))
    return ScanResult(contains_personal_data=result.contains_personal_data, findings=findings)


def _scan(text: str, index: SubjectIndex) -> ScanResult:
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
    return ScanResult(contains_personal_data=is_service_user_personal_data(findings), findings=findings)


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
        self.original = message[lo:hi] if (lo, hi) != (0, len(message)) else message
        # Boxed-form writing ("M A R S H") is closed up first; offsets are mapped back when emitted.
        self.text, self.changes = context.unspace(self.original)
        text = self.text
        self.index = index
        find = find_anchor_patterns if anchors_only else find_patterns
        self.matches = list(find(text, index.case_ref_patterns))
        norm = normalise(text)
        self.words = norm.words
        self.orig_starts = norm.orig_starts
        self.orig_ends = norm.orig_ends
        vocabulary, staff = index.token_refs, index.staff_tokens
        self.is_name = [w in vocabulary or w in staff for w in self.words]
        self.consumed = [False] * len(self.words)
        # Names inside an e-mail address are that address's finding, never a person's of their own.
        emails = [(m.start, m.end) for m in self.matches if m.label is Label.EMAIL]
        for a, b in emails:
            for k in range(bisect.bisect_left(self.orig_starts, a), bisect.bisect_left(self.orig_starts, b)):
                self.consumed[k] = True
        self.spans: list[_Span] = []
        self.address_spans: list[tuple[int, int, tuple[str, ...]]] = []
        self.ctx = context.Context(
            text,
            self.words,
            norm.orig_starts,
            norm.orig_ends,
            index.venues,
            index.same_person_words,
            vocabulary,
        )
        self._find_full_names()
        self._find_with_a_middle_name()
        self._find_joined_names()
        self._find_short_forms()
        self._find_initials()
        if not anchors_only:
            self._find_variants()
        self._find_addresses()

    def orig(self, i: int, j: int) -> tuple[int, int]:
        """Offsets in this window's (closed-up) text of words i..j."""
        return self.orig_starts[i], self.orig_ends[j]

    def _to_message(self, start: int, end: int) -> tuple[int, int]:
        if self.changes:
            start, end = context.to_original(self.changes, start, end)
        return start + self.offset, end + self.offset

    # -- names -------------------------------------------------------------------------------------

    def _find_full_names(self) -> None:
        """Longest run of name words that spells a known person (or a member of staff)."""
        words, is_name, index, ctx = self.words, self.is_name, self.index, self.ctx
        n = len(words)
        skip_to = 0
        for i in [k for k, flag in enumerate(is_name) if flag]:
            if i < skip_to or self.consumed[i]:
                continue
            for length in (4, 3, 2):
                j = i + length - 1
                if j >= n or not all(is_name[i : j + 1]) or any(self.consumed[i : j + 1]):
                    continue
                phrase = " ".join(words[i : j + 1])
                if phrase not in index.staff_full_names and phrase not in index.allow_phrases:
                    refs = as_tuple(index.full_names.get(phrase))
                    if not refs:
                        continue
                    if (
                        ctx.hard_veto(i, j, lone=False) is None
                        and not ctx.longer_name(i, j)
                        and not ctx.correspondent(j)
                    ):
                        self.spans.append(_Span(i, j, refs, "full", ctx.famous(i, j)))
                for k in range(i, j + 1):
                    self.consumed[k] = True
                skip_to = j + 1
                break

    def _find_with_a_middle_name(self) -> None:
        """A full name with a middle name the records do not hold: "Kayden James Walsh"."""
        words, is_name, index, ctx = self.words, self.is_name, self.index, self.ctx
        for i in range(len(words) - 2):
            j = i + 2
            if not (is_name[i] and is_name[j]) or any(self.consumed[i : j + 1]):
                continue
            if not (ctx.cap(i + 1) and words[i + 1].isalpha() and len(words[i + 1]) > 1):
                continue
            if ctx.gap(i + 1).strip(" \t") or ctx.gap(j).strip(" \t"):
                continue
            refs = as_tuple(index.full_names.get(f"{words[i]} {words[j]}"))
            if refs and ctx.hard_veto(i, j, lone=False) is None and not ctx.longer_name(i, j):
                self.spans.append(_Span(i, j, refs, "full", ctx.famous(i, j)))
                for k in range(i, j + 1):
                    self.consumed[k] = True

    def _find_joined_names(self) -> None:
        """A full name written as one word, as in file names and user names: "KaydenWalsh",
        "walshkayden"."""
        words, index = self.words, self.index
        for k, word in enumerate(words):
            if self.is_name[k] or self.consumed[k] or not (5 <= len(word) <= 40) or not word.isalpha():
                continue
            ends: dict[int, list[str]] = {}
            for end, length in index.automaton().iter(word):
                ends.setdefault(end - length + 1, []).append(word[end - length + 1 : end + 1])
            for first in ends.get(0, ()):
                second = word[len(first) :]
                if len(second) < 4 or second not in index.token_refs:
                    continue
                refs = as_tuple(index.full_names.get(f"{first} {second}"))
                if refs and self.ctx.hard_veto(k, k, lone=False) is None:
                    self.spans.append(_Span(k, k, refs, "full"))
                    self.consumed[k] = True
                    break
            if not self.consumed[k] and word[1:] in index.token_refs:  # "kwalsh": an initial and a name
                short = tuple(index.initial_names.get(f"{word[0]} {word[1:]}", ()))
                if short:
                    self.spans.append(_Span(k, k, short, "short"))
                    self.consumed[k] = True

    def _find_short_forms(self) -> None:
        """An initial with a name: "T. Bolton", "Hope P", "M. Ali Hussain", "Alfie A-H"; a member of
        staff's ("Dawn F", "P. Patel") is nobody's data."""
        words, is_name, index, ctx = self.words, self.is_name, self.index, self.ctx
        n = len(words)

        single = [len(w) == 1 and w.isalpha() for w in words]

        def part(k: int) -> bool:
            return 0 <= k < n and not self.consumed[k] and (is_name[k] or single[k])

        for i in [k for k, flag in enumerate(is_name) if flag and not self.consumed[k]]:
            if self.consumed[i] or not any(single[max(0, i - 3) : i + 4]):
                continue
            best: tuple[int, int, tuple[str, ...] | None] | None = None
            for length in (4, 3, 2):
                for s in range(max(0, i - length + 1), i + 1):
                    e = s + length - 1
                    if e >= n or not all(part(k) for k in range(s, e + 1)):
                        continue
                    if not any(len(words[k]) == 1 for k in range(s, e + 1)):
                        continue
                    if any(len(words[k]) == 1 and not ctx.cap(k) for k in range(s, e + 1)):
                        continue  # an initial is a capital letter
                    phrase = " ".join(words[s : e + 1])
                    refs = tuple(index.initial_names.get(phrase, ()))
                    if refs:  # a service user's short form, even if a member of staff's too ("R. Marsh")
                        best = (s, e, refs)
                    elif phrase in index.staff_full_names:
                        best = (s, e, None)
                    if best:
                        break
                if best:
                    break
            if best is None:
                continue
            s, e, found = best
            for k in range(s, e + 1):
                self.consumed[k] = True
            if found is not None and ctx.hard_veto(s, e, lone=False) is None:
                self.spans.append(_Span(s, e, found, "short"))

    def _find_initials(self) -> None:
        """Initials alone: "DK (12, Kirkham)", "A.S. (9, Deepdale Primary)". Only ever with something
        tying them to the child (checked in `findings`)."""
        words, ctx, index = self.words, self.ctx, self.index
        n = len(words)
        k = 0
        while k < n:
            raw = ctx.raw(k)
            span: tuple[int, int] | None = None
            if 2 <= len(raw) <= 4 and raw.isalpha() and raw.isupper() and words[k] not in ACRONYMS:
                span = (k, k)
            elif len(raw) == 1 and raw.isalpha() and raw.isupper():
                e = k
                while (
                    e + 1 < n
                    and e - k < 3
                    and len(ctx.raw(e + 1)) == 1
                    and ctx.raw(e + 1).isupper()
                    and ctx.gap(e + 1).strip(" ") in (".", "")
                ):
                    e += 1
                if e > k:
                    span = (k, e)
            if span is None or any(self.consumed[span[0] : span[1] + 1]):
                k += 1
                continue
            key = "initials " + "".join(words[span[0] : span[1] + 1])
            refs = tuple(index.initial_names.get(key, ()))
            if refs:
                self.spans.append(_Span(span[0], span[1], refs, "initials"))
                for m in range(span[0], span[1] + 1):
                    self.consumed[m] = True
            k = span[1] + 1

    def _find_variants(self) -> None:
        """Two capitalised words, one letter away from a full name on the records: "Kaden Welsh",
        "Katazyna Novak"."""
        words, index, ctx = self.words, self.index, self.ctx
        for i in range(len(words) - 1):
            j = i + 1
            if self.consumed[i] or self.consumed[j] or not (ctx.cap(i) and ctx.cap(j)):
                continue
            if "\n" in ctx.gap(j) or not (words[i].isalpha() and words[j].isalpha()):
                continue
            if self.is_name[i] and self.is_name[j]:
                continue  # both spelt as on the records but not a name there: someone else
            if not self.is_name[i] and (words[i] in COMMON_WORDS or len(words[i]) < 4):
                continue
            if not self.is_name[j] and (words[j] in COMMON_WORDS or len(words[j]) < 4):
                continue
            first = {words[i]} if self.is_name[i] else index.near_spellings(words[i])
            if not first:
                continue
            second = {words[j]} if self.is_name[j] else index.near_spellings(words[j])
            for a in first:
                for b in second:
                    refs = as_tuple(index.full_names.get(f"{a} {b}"))
                    if refs and ctx.hard_veto(i, j, lone=False) is None:
                        self.spans.append(_Span(i, j, refs, "variant"))
                        self.consumed[i] = self.consumed[j] = True
                        break
                if self.consumed[i]:
                    break

    def _find_addresses(self) -> None:
        """Known home addresses (first line), unless it is one of the council's own."""
        index, words = self.index, self.words
        if not index.addresses:
            return
        firsts = index.address_first_words
        for i in [k for k, word in enumerate(words) if word in firsts]:
            for length in range(min(7, len(words) - i), 1, -1):
                phrase = " ".join(words[i : i + length])
                refs = as_tuple(index.addresses.get(phrase))
                if refs and not index.is_allowed_phrase(phrase):
                    self.address_spans.append((i, i + length - 1, refs))
                    break

    def _in(self, start: int, lo: int, hi: int) -> bool:
        return lo <= self._to_message(start, start + 1)[0] < hi

    def anchors(self, lo: int = 0, hi: int | None = None) -> set[str]:
        """People named beyond doubt in [lo, hi) of the message: by full name, home address, NHS number
        or person reference."""
        hi = len(self.original) + self.offset if hi is None else hi
        out: set[str] = set()
        for span in self.spans:
            if span.kind == "full" and not span.famous and self._in(self.orig(span.i, span.i)[0], lo, hi):
                out.update(span.refs)
        for i, _j, refs in self.address_spans:
            if self._in(self.orig(i, i)[0], lo, hi):
                out.update(refs)
        index = self.index
        for m in self.matches:
            if not self._in(m.start, lo, hi):
                continue
            if m.label is Label.NHS_NUMBER and m.kind != "unchecked":
                out.update(as_tuple(index.nhs_numbers.get(m.value)))
            elif m.label is Label.CASE_REF and m.kind == "person" and m.value in index:
                out.add(m.value)
        return out

    # -- findings ----------------------------------------------------------------------------------

    def findings(self, anchored: set[str], lo: int, hi: int) -> list[Finding]:
        """Every finding that starts in [lo, hi) of the message; `anchored`: people named beyond doubt
        anywhere in the message."""
        index, words, is_name, ctx = self.index, self.words, self.is_name, self.ctx
        out: list[Finding] = []

        def emit(
            start: int, end: int, label: Label, ref: str | None, why: str, *, of_service_user: bool = False
        ) -> None:
            m_start, m_end = self._to_message(start, end)
            if lo <= m_start < hi:
                found = self.original[m_start - self.offset : m_end - self.offset]
                out.append(Finding(m_start, m_end, label, ref, found, why, of_service_user))

        # What points at one person, for the names below to lean on.
        evidence: list[_Evidence] = []
        for m in self.matches:
            if m.label is Label.NHS_NUMBER and m.kind != "unchecked":
                evidence.append(
                    _Evidence(m.start, as_tuple(index.nhs_numbers.get(m.value)), None, "NHS number")
                )
            elif m.label is Label.CASE_REF and m.kind == "person" and m.value in index:
                evidence.append(_Evidence(m.start, (m.value,), None, "person reference"))
            elif m.label is Label.DOB:
                evidence.append(_Evidence(m.start, tuple(index.dobs.get(m.value, ())), None, "date of birth"))
            elif m.label is Label.POSTCODE:
                evidence.append(_Evidence(m.start, as_tuple(index.postcodes.get(m.value)), None, "postcode"))
        for span in self.spans:
            if span.kind in ("full", "variant") and not span.famous:
                evidence.append(_Evidence(self.orig(span.i, span.j)[0], span.refs, None, "full name"))
        for i, j, refs in self.address_spans:
            evidence.append(_Evidence(self.orig(i, j)[0], refs, None, "home address"))
        for i, word in enumerate(words):
            if is_name[i] and not self.consumed[i] and ctx.cap(i):
                word_refs = index.token_refs.get(word, [])
                if word_refs and len(word_refs) <= _TOKEN_PAIR_MAX:
                    evidence.append(_Evidence(self.orig(i, i)[0], tuple(word_refs), word, "name"))
        evidence.sort(key=lambda e: e.start)
        self._evidence = evidence
        self._starts = [e.start for e in evidence]
        self._anchored = anchored
        confirmed = set(anchored)

        # Names that need something tying them to the person; a famous one last, so that a short form
        # or initials already accepted ("E. Morrison") can be the family member that ties it.
        for span in sorted(self.spans, key=lambda sp: sp.famous):
            start, end = self.orig(span.i, span.j)
            if span.kind == "full" and not span.famous:
                ref = _pick(span.refs, confirmed - set(span.refs) | anchored)
                emit(start, end, Label.PERSON, ref, "the full name of someone on the council's records")
                continue
            link = self._strong_link(
                span.i, span.j, span.refs, beside=span.kind != "initials", famous=span.famous
            ) or (None if span.famous or span.kind == "initials" else self._weak_link(span.i, span.refs))
            if span.kind == "variant" and link is None and not span.famous:
                link = (span.refs, "")
            if link is None and span.kind == "short":
                link = self._listed_with_family(span)  # "Walsh K, Walsh J (siblings)"
            if link is None:
                continue
            refs, because = link
            ref = _pick(refs, confirmed)
            what = {
                "full": "the full name of someone on the council's records, though it is also a famous name",
                "variant": "a spelling of the name of someone on the council's records",
                "short": "an initial and a name of someone on the council's records",
                "initials": "the initials of someone on the council's records",
            }[span.kind]
            emit(start, end, Label.PERSON, ref, f"{what}{', ' + because if because else ''}")
            if ref is not None:
                confirmed.add(ref)
            if span.kind != "full" or span.famous:  # accepted: now it can tie a family member's name
                at = bisect.bisect(self._starts, start)
                self._evidence.insert(at, _Evidence(start, refs, None, "full name"))
                self._starts.insert(at, start)

        for i, word in enumerate(words):
            if not is_name[i] or self.consumed[i]:
                continue
            decided = self._lone_name(i, word)
            if decided is None:
                continue
            refs, why = decided
            start, end = self.orig(i, i)
            ref = _pick(refs, anchored | confirmed)
            if ref is not None:
                confirmed.add(ref)
            emit(start, end, Label.PERSON, ref, why)

        for i, j, refs in self.address_spans:
            emit(
                *self.orig(i, j),
                Label.ADDRESS,
                _pick(refs, confirmed),
                "a home address on the council's records",
            )

        for m in self.matches:
            self._emit_pattern(m, confirmed, out, emit)
        return out

    # -- what ties a name to one person ------------------------------------------------------------

    def _near(self, start: int) -> list[_Evidence]:
        lo = bisect.bisect_left(self._starts, start - NEAR_CHARS)
        hi = bisect.bisect_right(self._starts, start + NEAR_CHARS)
        return self._evidence[lo:hi]

    def _strong_link(
        self, i: int, j: int, refs: tuple[str, ...], *, beside: bool = True, famous: bool = False
    ) -> tuple[tuple[str, ...], str] | None:
        """Something that makes words i..j one of `refs` beyond reasonable doubt, and why."""
        index, ctx = self.index, self.ctx
        start = self.orig(i, i)[0]
        wanted = set(refs)
        same: dict[str, str] = {}
        family: set[str] = set()
        households = {r: index.household(r) for r in refs} if len(refs) <= 20 else {}
        for ev in self._near(start):
            if ev.word is not None or ev.start == start:
                continue
            for r in ev.refs:
                if r in wanted:
                    same.setdefault(r, ev.what)
                elif ev.what in ("full name", "home address", "person reference", "NHS number"):
                    family.update(s for s, home in households.items() if r in home)
        if len(self._anchored) <= len(refs):
            same.update({r: "full name" for r in self._anchored if r in wanted and r not in same})
        else:
            same.update({r: "full name" for r in refs if r in self._anchored and r not in same})
        if same:
            what = sorted(set(same.values()))[0]
            return tuple(sorted(same)), f"with the same person's {what} in the message"
        if family:
            return tuple(sorted(family)), "with a family member named nearby"
        if ctx.kin_before(i) or ctx.kin_after(j):
            return refs, "described as a member of a family"
        if ctx.denies_fame(j):
            return refs, "and the message says it is not the famous one"
        if ctx.age_or_school_after(j) or ctx.age_before(i):
            return refs, "with an age or a school year"
        if famous:
            return None  # a famous name has a school or a plan too: "Jamie Oliver's school dinners"
        if ctx.possessive_of_child(j):
            return refs, "said of a child (their school, family or plan)"
        if ctx.form_label(i):
            return refs, "given as someone's name in a form"
        if i == j and ctx.family_reference(i):
            return refs, "a family referred to by name"
        for k in range(max(0, i - 3), min(len(self.words), j + 4)) if beside else ():
            if (
                (k < i or k > j)
                and self.is_name[k]
                and ctx.cap(k)
                and self.words[k] != self.words[i]
                and ctx.same_sentence(k, i)
                and ctx.hard_veto(k, k, lone=False) is None
            ):
                both = [r for r in refs if index.subject_has_token(r, self.words[k])]
                if both:
                    return tuple(both), "with another of the same person's names beside it"
        return None

    def _listed_with_family(self, span: _Span) -> tuple[tuple[str, ...], str] | None:
        """Another short form or name of the same household near this one: "W. Rooney and D. Rooney"."""
        if len(span.refs) > 20:
            return None
        start = self.orig(span.i, span.i)[0]
        homes = set().union(*(self.index.household(r) for r in span.refs))
        for other in self.spans:
            if other is span or len(other.refs) > 20 or other.famous:
                continue
            if abs(self.orig(other.i, other.i)[0] - start) > NEAR_CHARS:
                continue
            if any(r in homes and r not in span.refs for r in other.refs):
                return span.refs, "with a family member named nearby"
        return None

    def _family_named_near(self, i: int, refs: tuple[str, ...]) -> bool:
        """Another of the household's given names written nearby (not their shared surname)."""
        index = self.index
        if len(refs) > 20:
            return False
        start = self.orig(i, i)[0]
        homes = set().union(*(index.household(r) for r in refs))
        return any(
            ev.word is not None
            and ev.word != self.words[i]
            and ev.start != start
            and any(r in homes and r not in refs for r in ev.refs)
            and not any(index.subject_has_token(r, ev.word) for r in refs)
            for ev in self._near(start)
        )

    def _weak_link(self, i: int, refs: tuple[str, ...]) -> tuple[tuple[str, ...], str] | None:
        """Something that ties word i to one of `refs` in a case, if less firmly."""
        index, ctx = self.index, self.ctx
        if self._family_named_near(i, refs):
            return refs, "with a brother, sister or parent named nearby"
        if ctx.cues(i, _CUES):
            return refs, "with a school, family or case detail in the same sentence"
        if len(refs) <= 20:
            towns = set().union(*(index.towns_of(r) for r in refs))
            if towns and ctx.cues(i, frozenset(w for t in towns for w in t.split()), reach=30):
                return refs, "with their home town nearby"
        return None

    def _lone_name(self, i: int, word: str) -> tuple[tuple[str, ...], str] | None:
        """A name word on its own: a service user's only when nothing says otherwise and something ties it
        to one of them. Returns the people it may be and why, or None."""
        index, ctx = self.index, self.ctx
        token_refs = index.token_refs.get(word)
        if not token_refs or not ctx.cap(i):
            return None  # a lone lower-case word is a word: "max figure", not Max
        if ctx.hard_veto(i, i, lone=True) is not None or ctx.place(i):
            return None
        refs = tuple(token_refs) if len(token_refs) <= _TOKEN_PAIR_MAX else ()
        # Inside a famous name ("Muhammad Ali"), its other word is no sign of the person.
        famous = ctx.famous(i, i)
        strong = self._strong_link(i, i, refs, beside=not famous, famous=famous) if refs else None
        if strong is not None:
            return strong[0], f"a name on the council's records, {strong[1]}"
        ordinary = word in COMMON_WORDS or word in PLACES or famous
        if ordinary or word in index.staff_tokens or ctx.in_sign_off(i) or not refs:
            # A word that is also a name ("Hope", "Grace") counts beside a brother's or sister's name only
            # in a sentence about the case: "Grace and Faith are the themes of the carol service" does not.
            if ordinary and not famous and refs and ctx.cues(i, _CUES):
                if self._family_named_near(i, refs):
                    return (
                        refs,
                        "a name on the council's records, with a brother, sister or parent named nearby",
                    )
                # Mid-sentence, a capital makes "Hope", "Summer" a first name; a surname that is a word
                # ("Church", "Park") alone is the word.
                raw = ctx.raw(i)
                if (
                    (not ctx.sentence_start(i) or ctx.subject_of_sentence(i))
                    and raw[1:].islower()  # "Summer", not a heading's "SUMMER"
                    and not ctx.template
                    and index.is_given_name(word)
                    and word not in _NEVER_ALONE
                    and (word not in index.staff_tokens or ctx.cues(i, KIN_WORDS))  # "Grace … her dad"
                    and not ctx.in_sign_off(i)
                    and not ctx.month_used_as_month(i)
                ):
                    return (
                        refs,
                        "a name on the council's records, written as a name in a sentence about the case",
                    )
            return None
        weak = self._weak_link(i, refs)
        if weak is not None:
            return weak[0], f"a name on the council's records, {weak[1]}"
        return None

    # -- identifiers with a written form -----------------------------------------------------------

    def _sentence_has_person(self, start: int, out: list[Finding]) -> str | None:
        """The person named in the findings so far within a short paragraph before `start`."""
        m_start = self._to_message(start, start + 1)[0]
        for f in reversed(out):
            if f.label is Label.PERSON and m_start - 300 <= f.start <= m_start + 120:
                return f.subject_ref or ""
        return None

    def _owner_cue(self, start: int, end: int) -> bool:
        text = self.text
        line_start = max(text.rfind("\n", 0, start) + 1, start - 120)
        before = " " + " ".join(
            "".join(c if c.isalnum() else " " for c in text[line_start:start].lower()).split()
        )
        words = before.split()
        if any(w in OWN_CONTACT_CUES for w in words) and (
            any(w in OWNER_WORDS for w in words) or self._named_before(line_start, start)
        ):
            return True  # "her new mobile is …", "you can reach Kerry on …"
        if any(w in KIN_WORDS for w in words[-3:]):
            return True  # "Mum: 07700 900999", "dad on 07…"
        line_end = text.find("\n", end)
        after = "".join(
            c if c.isalnum() else " " for c in text[end : line_end if line_end != -1 else end + 40]
        )
        if any(w in OWNER_WORDS for w in after.lower().split()[:4]):
            return True  # "07700 900123 (mum)", "… - her own mobile"
        return bool(
            re.search(
                r"(?:'s|\u2019s)\s+(?:own\s+|new\s+|personal\s+)*(?:mobile|number|phone|e-?mail)",
                text[line_start:start],
                re.IGNORECASE,
            )
        )

    def _named_before(self, lo: int, hi: int) -> bool:
        """A name on the records (not staff's) written between `lo` and `hi`, as a name."""
        index, ctx = self.index, self.ctx
        first = bisect.bisect_left(self.orig_starts, lo)
        last = bisect.bisect_left(self.orig_starts, hi)
        return any(
            self.is_name[k]
            and ctx.cap(k)
            and self.words[k] not in index.staff_tokens
            and self.words[k] not in COMMON_WORDS
            and ctx.hard_veto(k, k, lone=True) is None
            for k in range(first, last)
        )

    def _org_cue(self, start: int) -> bool:
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        words = "".join(c if c.isalnum() else " " for c in text[line_start:start].lower()).split()[-10:]
        return any(w in ORG_CONTACT_CUES for w in words)

    def _emit_pattern(self, m: PatternMatch, confirmed: set[str], out: list[Finding], emit: _EmitFn) -> None:
        index, ctx = self.index, self.ctx
        label = m.label
        if label is not Label.POSTCODE and ctx.example_line(m.start):
            return  # "e.g. Joe Bloggs, DOB 01/01/2015", "looks like 999 999 9999"
        if label is Label.EMAIL:
            local, domain = m.value.rsplit("@", 1)
            if (
                m.value in index.staff_emails
                or m.value in index.allow_emails
                or domain in index.allow_domains
            ):
                return
            parts = re.split(r"[._+\-]", local)
            if all(p in ROLE_MAILBOXES or p.isdigit() for p in parts if p):
                return  # a team's or a role's mailbox, or a placeholder: firstname.surname@…
            professional = domain.endswith(PROFESSIONAL_DOMAINS)
            owners = [] if professional else index.refs_in_text(local)
            person = self._sentence_has_person(m.start, out)
            if not professional and (
                owners
                or self._owner_cue(m.start, m.end)
                or (person is not None and not self._org_cue(m.start))
            ):
                ref = owners[0] if len(owners) == 1 else (person or None)
                emit(
                    m.start,
                    m.end,
                    label,
                    ref,
                    "an e-mail address the message says is a service user's own",
                    of_service_user=True,
                )
            elif not self._org_cue(m.start):
                emit(m.start, m.end, label, None, "an e-mail address that is not one of the council's own")
        elif label is Label.PHONE:
            if m.value in index.staff_phones or m.value in index.allow_phones:
                return
            if m.value.startswith(_NON_GEOGRAPHIC) or self._org_cue(m.start):
                return  # a helpline, a desk, a surgery, a dial-in
            person = self._sentence_has_person(m.start, out)
            if self._owner_cue(m.start, m.end) or person is not None:
                emit(
                    m.start,
                    m.end,
                    label,
                    person or None,
                    "a phone number the message says is a service user's own",
                    of_service_user=True,
                )
            else:
                emit(m.start, m.end, label, None, "a phone number that is not one of the council's own")
        elif label is Label.NHS_NUMBER:
            if m.value.startswith("999"):
                return  # NHS test numbers
            if m.kind == "unchecked":
                cue = self.text[max(0, m.start - 24) : m.start].lower()
                if "nhs" in cue:
                    emit(
                        m.start,
                        m.end,
                        label,
                        None,
                        "written as an NHS number, though its check digit is wrong",
                    )
                return
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
            if m.value not in _EXAMPLE_NI:
                emit(m.start, m.end, label, None, "a National Insurance number")
        elif label is Label.POSTCODE:
            if m.value in index.council_postcodes or m.value.lower() in index.allow_phrases:
                return
            holders = as_tuple(index.postcodes.get(m.value))
            house = self._house_number(m, holders) if holders else None
            if house is not None:
                (h_start, h_end), at = house
                emit(
                    h_start,
                    h_end,
                    Label.ADDRESS,
                    _pick(at, confirmed),
                    "a house number with the postcode of a home on the council's records",
                )
                emit(
                    m.start,
                    m.end,
                    label,
                    _pick(at, confirmed),
                    "the postcode of a home on the council's records",
                )
                return
            refs = tuple(r for r in holders if r in confirmed)
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
                    "the date of birth of someone named nearby"
                    if refs
                    else "a date given as a date of birth",
                )
        elif label is Label.CASE_REF:
            before = "".join(
                c if c.isalnum() else " " for c in self.text[max(0, m.start - 30) : m.start].lower()
            ).split()
            if before and before[-1] in NON_CASE_REF_CUES:
                return  # "Contract C240117", "PO 4500218836"
            if len(set(m.value[1:])) == 1 or m.value[1:] in _PLACEHOLDER_DIGITS:
                return  # P000000, C123456: a placeholder
            known = m.kind == "person" and m.value in index
            if m.kind == "person" and not known and len(index):
                return  # shaped like a person reference, but no one on the records has it (a payroll number)
            emit(
                m.start,
                m.end,
                label,
                m.value if known else None,
                "the council's reference for someone on its records"
                if known
                else f"a council {m.kind} reference",
            )

    def _house_number(
        self, m: PatternMatch, holders: tuple[str, ...]
    ) -> tuple[tuple[int, int], tuple[str, ...]] | None:
        """A house number written beside a postcode on the records: "no. 17, BB1 6EA", "FY8 4AA / no. 29"."""
        text = self.text
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end == -1 else line_end
        before = _HOUSE_BEFORE.search(text[max(line_start, m.start - 24) : m.start])
        after = _HOUSE_AFTER.match(text[m.end : min(line_end, m.end + 24)])
        for found, base in ((before, max(line_start, m.start - 24)), (after, m.end)):
            if found is None:
                continue
            at = as_tuple(self.index.house_numbers.get(f"{m.value} {found.group(1).lower()}"))
            if at:
                return (base + found.start(1), base + found.end(1)), at
        return None


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
