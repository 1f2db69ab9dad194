"""The exact-data-match index of known service users (the council knows its own data subjects).

Design (cheap refresh, bounded memory at a million people):
- An Aho-Corasick automaton (pyahocorasick) over the *vocabulary* of name tokens (given, family and alias
  words of every subject and member of staff). Its size grows with the number of distinct names, not with
  the number of people, so one pass over a message finds every name word and a rebuild costs milliseconds.
- Hash maps keyed by normalised phrase confirm what the tokens spell: full names ("kayden walsh",
  "walsh kayden", aliases), address first lines, postcodes, NHS numbers, dates of birth.
- `upsert`/`remove` update the maps in place (O(size of one record)); a name word never seen before sets a
  dirty flag and the automaton is rebuilt lazily on the next scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import ahocorasick

from discretion.detect.model import StaffMember, Subject
from discretion.detect.normalise import normalise_phrase
from discretion.detect.patterns import POSTCODE_RE, canonical_phone, canonical_postcode

# References as typed: "P000123", "p000123", "P 000123", "P-000123" (matched case-insensitively).
DEFAULT_CASE_REF_PATTERNS: Mapping[str, str] = {"person": r"P[ \-]?\d{6}", "case": r"C[ \-]?\d{6}"}

# A compact multimap value: one ref (the usual case) as a str, several as a tuple. Saves a container per key.
Refs = str | tuple[str, ...]


def _add(table: dict[str, Refs], key: str, ref: str) -> None:
    old = table.get(key)
    if old is None:
        table[key] = ref
    elif isinstance(old, str):
        if old != ref:
            table[key] = (old, ref)
    elif ref not in old:
        table[key] = (*old, ref)


def _discard(table: dict[str, Refs], key: str, ref: str) -> None:
    old = table.get(key)
    if old is None:
        return
    if isinstance(old, str):
        if old == ref:
            del table[key]
        return
    rest = tuple(r for r in old if r != ref)
    if not rest:
        del table[key]
    else:
        table[key] = rest[0] if len(rest) == 1 else rest


def as_tuple(refs: Refs | None) -> tuple[str, ...]:
    if refs is None:
        return ()
    return (refs,) if isinstance(refs, str) else refs


def _words(text: str) -> list[str]:
    return normalise_phrase(text).split()


def name_tokens(subject: Subject) -> set[str]:
    tokens = set(_words(subject.given_names)) | set(_words(subject.family_name))
    for alias in subject.aliases:
        tokens.update(_words(alias))
    return tokens


def full_name_keys(given_names: str, family_name: str, aliases: Iterable[str] = ()) -> set[str]:
    """Phrases that name the person: all given names + family name, each given name + family name,
    "family first" (registers and forms), and each alias as written."""
    given = _words(given_names)
    family = " ".join(_words(family_name))
    keys: set[str] = set()
    if family:
        if given:
            keys.add(" ".join([*given, family]))
            keys.add(f"{family} {given[0]}")
        for g in given:
            keys.add(f"{g} {family}")
    for alias in aliases:
        words = _words(alias)
        if len(words) >= 2:
            keys.add(" ".join(words))
    return keys


def address_keys(subject: Subject) -> set[str]:
    keys: set[str] = set()
    for address in subject.addresses:
        words = _words(address.line1)
        if len(words) >= 2:
            keys.add(" ".join(words))
        # "Flat 3, 22 Mill Lane": the building's line from its number on identifies the household too.
        digit_at = next((i for i, w in enumerate(words) if i > 0 and w[0].isdigit()), None)
        if digit_at is not None and len(words) - digit_at >= 2:
            keys.add(" ".join(words[digit_at:]))
    return keys


def nhs_digits(subject: Subject) -> str | None:
    if subject.nhs_number is None:
        return None
    return "".join(c for c in subject.nhs_number if c.isdigit())


class SubjectIndex:
    """Known service users, staff and allow-lists; see the module docstring for the design."""

    # A single name held by at most this many subjects is distinctive enough to count on its own.
    RARE_NAME_MAX = 3

    def __init__(
        self,
        subjects: Iterable[Subject] = (),
        staff: Iterable[StaffMember] = (),
        allow_list: Iterable[str] = (),
        council_addresses: Iterable[str] = (),
        case_ref_patterns: Mapping[str, str] = DEFAULT_CASE_REF_PATTERNS,
    ) -> None:
        self._subjects: dict[str, Subject] = {}
        self.full_names: dict[str, Refs] = {}
        self.addresses: dict[str, Refs] = {}
        self.postcodes: dict[str, Refs] = {}
        self.nhs_numbers: dict[str, Refs] = {}
        self.dobs: dict[str, list[str]] = {}
        self.token_refs: dict[str, list[str]] = {}
        self._automaton: ahocorasick.Automaton | None = None
        self._ref_sets: dict[str, frozenset[str]] = {}
        self._automaton_words = 0
        self.rebuilds = 0
        self.case_ref_patterns: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
            (kind, re.compile(rf"(?<![\w])(?:{pattern})(?![\w])", re.IGNORECASE))
            for kind, pattern in case_ref_patterns.items()
        )
        # Staff and allow-lists (not service-user data).
        self.staff_full_names: set[str] = set()
        self.staff_tokens: set[str] = set()
        self.staff_emails: set[str] = set()
        self.staff_phones: set[str] = set()
        for member in staff:
            self.staff_full_names |= full_name_keys(member.given_names, member.family_name)
            self.staff_tokens |= set(_words(member.given_names)) | set(_words(member.family_name))
            if member.email:
                self.staff_emails.add(member.email.strip().lower())
            if member.phone:
                self.staff_phones.add(canonical_phone(member.phone))
        self.allow_phrases: set[str] = set()
        self.allow_emails: set[str] = set()
        self.allow_domains: set[str] = set()
        self.allow_phones: set[str] = set()
        for entry in allow_list:
            entry = entry.strip()
            if entry.startswith("@"):
                self.allow_domains.add(entry[1:].lower())
            elif "@" in entry:
                self.allow_emails.add(entry.lower())
            elif sum(c.isdigit() for c in entry) >= 9 and not any(c.isalpha() for c in entry):
                self.allow_phones.add(canonical_phone(entry))
            self.allow_phrases.add(" ".join(_words(entry)))
        self.council_phrases: set[str] = set()
        self.council_postcodes: set[str] = set()
        for address in council_addresses:
            self.council_phrases.add(" ".join(_words(address)))
            for m in POSTCODE_RE.finditer(address):
                self.council_postcodes.add(canonical_postcode(m.group()))
        for subject in subjects:
            self._insert(subject)

    # -- maintenance -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._subjects)

    def __contains__(self, ref: object) -> bool:
        return ref in self._subjects

    def get(self, ref: str) -> Subject | None:
        return self._subjects.get(ref)

    def upsert(self, subject: Subject) -> None:
        """Add a person or replace their record (records changed): O(size of the record)."""
        if subject.ref in self._subjects:
            self.remove(subject.ref)
        self._insert(subject)

    def remove(self, ref: str) -> None:
        """Forget a person (record deleted or merged). Unknown refs are ignored."""
        subject = self._subjects.pop(ref, None)
        if subject is None:
            return
        for key in full_name_keys(subject.given_names, subject.family_name, subject.aliases):
            _discard(self.full_names, key, ref)
        for key in address_keys(subject):
            _discard(self.addresses, key, ref)
        for address in subject.addresses:
            if address.postcode:
                _discard(self.postcodes, canonical_postcode(address.postcode), ref)
        nhs = nhs_digits(subject)
        if nhs:
            _discard(self.nhs_numbers, nhs, ref)
        if subject.dob is not None:
            refs = self.dobs.get(subject.dob.isoformat())
            if refs is not None and ref in refs:
                refs.remove(ref)
        for token in name_tokens(subject):
            self._ref_sets.pop(token, None)
            refs = self.token_refs.get(token)
            if refs is not None and ref in refs:
                refs.remove(ref)
        # The automaton keeps the token: a word with no refs left simply matches nothing.

    def _insert(self, subject: Subject) -> None:
        ref = subject.ref
        self._subjects[ref] = subject
        for key in full_name_keys(subject.given_names, subject.family_name, subject.aliases):
            _add(self.full_names, key, ref)
        for key in address_keys(subject):
            _add(self.addresses, key, ref)
        for address in subject.addresses:
            if address.postcode:
                _add(self.postcodes, canonical_postcode(address.postcode), ref)
        nhs = nhs_digits(subject)
        if nhs:
            _add(self.nhs_numbers, nhs, ref)
        if subject.dob is not None:
            self.dobs.setdefault(subject.dob.isoformat(), []).append(ref)
        for token in name_tokens(subject):
            self._ref_sets.pop(token, None)
            refs = self.token_refs.get(token)
            if refs is None:
                self.token_refs[token] = [ref]
                self._automaton = None  # dirty: a new word; rebuilt lazily on the next scan
            else:
                refs.append(ref)

    def automaton(self) -> ahocorasick.Automaton:
        """The name-word automaton, rebuilt only when a new word arrived since the last scan."""
        if self._automaton is None:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
            for token in self.token_refs.keys() | self.staff_tokens:
                # Spaces either side: normalised text has one space between words, so matches are whole words.
                automaton.add_word(f" {token} ")
            if len(automaton) == 0:
                automaton.add_word(" \x00 ")
            automaton.make_automaton()
            self._automaton = automaton
            self._automaton_words = len(automaton)
            self.rebuilds += 1
        return self._automaton

    # -- look-ups used by scan ---------------------------------------------------------------------

    def refs_set(self, token: str) -> frozenset[str]:
        """The people with this name word, as a set (cached; dropped when one of them changes)."""
        found = self._ref_sets.get(token)
        if found is None:
            if len(self._ref_sets) > 4096:
                self._ref_sets.clear()
            found = self._ref_sets[token] = frozenset(self.token_refs.get(token, ()))
        return found

    def token_count(self, token: str) -> int:
        return len(self.token_refs.get(token, ()))

    def subject_has_token(self, ref: str, token: str) -> bool:
        subject = self._subjects.get(ref)
        return subject is not None and token in name_tokens(subject)

    def is_allowed_phrase(self, phrase_words: str) -> bool:
        # Whole words only: "1 mill lane" is not part of the council's "21 mill lane".
        padded = f" {phrase_words} "
        return phrase_words in self.allow_phrases or any(padded in f" {c} " for c in self.council_phrases)
