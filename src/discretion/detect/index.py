"""The exact-data-match index of known service users (the council knows its own data subjects).

Design (cheap refresh, bounded memory at a million people):
- A dict from every name word (given, family and alias words of every subject and member of staff) to the
  people who have it: one look-up per word of a message finds every name word. Its size grows with the
  number of distinct names, not with the number of people.
- Hash maps keyed by normalised phrase confirm what the words spell: full names ("kayden walsh",
  "walsh kayden", aliases), short forms ("k walsh", "hope p"), address first lines, postcodes, house
  numbers, NHS numbers, dates of birth.
- `upsert`/`remove` update the maps in place (O(size of one record)). An Aho-Corasick automaton
  (pyahocorasick) of the name words, for names run together inside e-mail addresses, and the table of
  near spellings are rebuilt lazily on next use after a name word never seen before arrives.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import ahocorasick
import jellyfish

from discretion.detect.model import StaffMember, Subject
from discretion.detect.normalise import normalise_phrase
from discretion.detect.patterns import POSTCODE_RE, canonical_phone, canonical_postcode

# References as typed: "P000123", "p000123", "P 000123", "P-000123" (matched case-insensitively).
DEFAULT_CASE_REF_PATTERNS: Mapping[str, str] = {"person": r"P[ \-]?\d{6}", "case": r"C[ \-]?\d{6}"}

_PAIR_MAX = 200
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


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    """A name or address line as normalised words (names repeat a great deal: cached)."""
    return tuple(normalise_phrase(text).split())


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


def initial_keys(given_names: str, family_name: str) -> set[str]:
    """Person-shaped short forms: "k walsh", "walsh k", "kayden w", "m ali hussain", "alfie a h",
    "lily mae f b"."""
    given = _words(given_names)
    family = _words(family_name)
    if not given or not family:
        return set()
    fam = " ".join(family)
    fam_initials = " ".join(w[0] for w in family)
    keys = {f"{given[0][0]} {fam}", f"{fam} {given[0][0]}", f"{given[0]} {fam_initials}"}
    keys.add(f"{' '.join(w[0] for w in given)} {fam}")  # "k l walsh"
    if len(family) > 1:
        keys.add(f"{given[0]} {family[0][0]}")
    if len(given) > 1:
        keys.add(f"{given[0][0]} {' '.join(given[1:])} {fam}")
        keys.add(f"{' '.join(given)} {fam_initials}")
    return keys


def initials_keys(given_names: str, family_name: str) -> set[str]:
    """Initials alone, keyed "initials dk": first given name and family name ("DK"), and every name
    ("KLW")."""
    given = _words(given_names)
    family = _words(family_name)
    if not given or not family:
        return set()
    tail = "".join(w[0] for w in family)
    return {f"initials {given[0][0]}{tail}", f"initials {''.join(w[0] for w in given)}{tail}"}


def short_form_keys(subject: Subject) -> set[str]:
    keys = initial_keys(subject.given_names, subject.family_name) | initials_keys(
        subject.given_names, subject.family_name
    )
    for alias in subject.aliases:
        words = _words(alias)
        if len(words) >= 2:
            keys |= initial_keys(" ".join(words[:-1]), words[-1])
    return keys


def house_number(line1: str) -> str | None:
    """The building's number in an address line: "41" in "Flat 3, 41 Marine Road West"."""
    words = _words(line1)
    for k, w in enumerate(words):
        if w[0].isdigit() and k + 1 < len(words) and not words[k + 1][0].isdigit():
            if k == 1 and words[0] in ("flat", "apartment", "unit", "room"):
                continue
            return w
    return None


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (letters added, dropped, changed, or two swapped)."""
    return int(jellyfish.damerau_levenshtein_distance(a, b))


def _one_edit(a: str, b: str) -> bool:
    return _edits(a, b) == 1


def _sound(word: str) -> str:
    return str(jellyfish.metaphone(word))


def deletions(word: str) -> set[str]:
    return {word[:k] + word[k + 1 :] for k in range(len(word))}


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
        self._ref_sets: dict[str, frozenset[str]] = {}
        # Short forms are shared by many people ("k walsh", "initials dk"): lists, appended to.
        self.initial_names: dict[str, list[str]] = {}
        self.house_numbers: dict[str, Refs] = {}  # "PR66 0HT 31" -> people at number 31 of that postcode
        self._near_spellings: dict[str, set[str]] | None = None
        self._spelling_cache: dict[str, frozenset[str]] = {}
        self._sounds: dict[str, set[str]] = {}
        self.address_first_words: dict[str, int] = {}
        # Per-person facts worked out on demand, forgotten whenever anyone's record changes.
        self._households: dict[str, frozenset[str]] = {}
        self._given: dict[str, bool] = {}
        self._tokens_of: dict[str, frozenset[str]] = {}
        self._automaton: ahocorasick.Automaton | None = None
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
            self.staff_full_names |= initial_keys(member.given_names, member.family_name)
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
        venues: set[str] = set()
        for address in council_addresses:
            self.council_phrases.add(" ".join(_words(address)))
            for part in address.split(","):
                words = [w for w in _words(part) if not any(c.isdigit() for c in w)]
                venues.update(f"{a} {b}" for a, b in itertools.pairwise(words))
            for m in POSTCODE_RE.finditer(address):
                self.council_postcodes.add(canonical_postcode(m.group()))
        # Two-word names of the council's own places: "walsh court", "moor park", "brook house".
        self.venues: frozenset[str] = frozenset(venues)
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
        self._households.clear()
        self._tokens_of.clear()
        self._given.clear()
        if subject.ref in self._subjects:
            self.remove(subject.ref)
        self._insert(subject)

    def remove(self, ref: str) -> None:
        """Forget a person (record deleted or merged). Unknown refs are ignored."""
        self._households.clear()
        self._tokens_of.clear()
        subject = self._subjects.pop(ref, None)
        if subject is None:
            return
        for key in full_name_keys(subject.given_names, subject.family_name, subject.aliases):
            _discard(self.full_names, key, ref)
        for key in address_keys(subject):
            _discard(self.addresses, key, ref)
        for key in short_form_keys(subject):
            holders = self.initial_names.get(key)
            if holders is not None and ref in holders:
                holders.remove(ref)
        for address in subject.addresses:
            if address.postcode:
                _discard(self.postcodes, canonical_postcode(address.postcode), ref)
                number = house_number(address.line1)
                if number:
                    _discard(self.house_numbers, f"{canonical_postcode(address.postcode)} {number}", ref)

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
        # The vocabulary keeps the word: a word with no refs left simply names no one.

    def _insert(self, subject: Subject) -> None:
        ref = subject.ref
        self._subjects[ref] = subject
        for key in full_name_keys(subject.given_names, subject.family_name, subject.aliases):
            _add(self.full_names, key, ref)
        for key in address_keys(subject):
            if key not in self.addresses:
                first = key.split(" ", 1)[0]
                self.address_first_words[first] = self.address_first_words.get(first, 0) + 1
            _add(self.addresses, key, ref)
        for key in short_form_keys(subject):
            self.initial_names.setdefault(key, []).append(ref)
        for address in subject.addresses:
            if address.postcode:
                _add(self.postcodes, canonical_postcode(address.postcode), ref)
                number = house_number(address.line1)
                if number:
                    _add(self.house_numbers, f"{canonical_postcode(address.postcode)} {number}", ref)

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
                self._automaton = None  # dirty: a new word; rebuilt lazily on next use
                self._near_spellings = None
            else:
                refs.append(ref)

    def automaton(self) -> ahocorasick.Automaton:
        """The name words (four letters or more) as an automaton, for finding them run together
        ("shannonfleetwood97"); rebuilt only when a new word arrived since it was last built."""
        if self._automaton is None:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
            for token in self.token_refs:
                if len(token) >= 4 and token.isalpha():
                    automaton.add_word(token)
            if len(automaton) == 0:
                automaton.add_word("\x00")
            automaton.make_automaton()
            self._automaton = automaton
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

    def subject_has_token(self, ref: str, token: str) -> bool:
        tokens = self._tokens_of.get(ref)
        if tokens is None:
            subject = self._subjects.get(ref)
            tokens = frozenset(name_tokens(subject)) if subject is not None else frozenset()
            if len(self._tokens_of) > 8192:
                self._tokens_of.clear()
            self._tokens_of[ref] = tokens
        return token in tokens

    def same_person_words(self, a: str, b: str) -> bool:
        """Two name words that belong to one person on the records ("minh" and "anh")."""
        refs_a = self.token_refs.get(a)
        refs_b = self.token_refs.get(b)
        if not refs_a or not refs_b or len(refs_a) > _PAIR_MAX or len(refs_b) > _PAIR_MAX:
            return False
        return bool(self.refs_set(a) & self.refs_set(b))

    def refs_in_text(self, text: str) -> list[str]:
        """People whose name words (four letters or more) are written inside `text`, as in an e-mail
        address ("shannonfleetwood97", "chelsea.spencer06"): those with most of their names first."""
        hits: dict[str, int] = {}
        seen: set[str] = set()
        lowered = text.lower()
        for end, length in self.automaton().iter(lowered):
            token = lowered[end - length + 1 : end + 1]
            if token in seen:
                continue
            seen.add(token)
            refs = self.token_refs.get(token, ())
            if len(refs) > 200:
                continue
            for r in refs:
                hits[r] = hits.get(r, 0) + 1
        if not hits:
            return []
        best = max(hits.values())
        return sorted(r for r, n in hits.items() if n == best)

    def is_given_name(self, token: str) -> bool:
        """Someone on the records has this word among their given names (not only as a surname)."""
        known = self._given.get(token)
        if known is None:
            refs = self.token_refs.get(token, ())
            known = any(
                token in _words(s.given_names) or any(token in _words(a)[:-1] for a in s.aliases)
                for r in refs[:50]
                if (s := self._subjects.get(r)) is not None
            )
            if len(self._given) > 8192:
                self._given.clear()
            self._given[token] = known
        return known

    def towns_of(self, ref: str) -> set[str]:
        """The towns of a person's home addresses, as normalised words ("lytham st annes")."""
        subject = self._subjects.get(ref)
        if subject is None:
            return set()
        return {" ".join(_words(a.town)) for a in subject.addresses if a.town}

    def household(self, ref: str) -> frozenset[str]:
        """The people who share a home address with `ref` (themselves included)."""
        found = self._households.get(ref)
        if found is None:
            subject = self._subjects.get(ref)
            out = {ref}
            if subject is not None:
                for key in address_keys(subject):
                    out.update(as_tuple(self.addresses.get(key)))
            if len(self._households) > 8192:
                self._households.clear()
            found = self._households[ref] = frozenset(out)
        return found

    def near_spellings(self, word: str) -> frozenset[str]:
        """Name words on the records one letter away from `word` (added, dropped, changed or swapped):
        "welsh" -> {"walsh"}, "novak" -> {"nowak"}. Only for words of four letters or more."""
        if len(word) < 4:
            return frozenset()
        if self._near_spellings is None:
            self._spelling_cache.clear()
            table: dict[str, set[str]] = {}
            sounds: dict[str, set[str]] = {}
            for token in self.token_refs:
                if len(token) >= 4 and token.isalpha():
                    table.setdefault(token, set()).add(token)
                    for d in deletions(token):
                        table.setdefault(d, set()).add(token)
                    if len(token) >= 6:
                        sounds.setdefault(_sound(token), set()).add(token)
            self._near_spellings = table
            self._sounds = sounds
        table = self._near_spellings
        cached = self._spelling_cache.get(word)
        if cached is not None:
            return cached
        found: set[str] = set(table.get(word, ()))
        for d in deletions(word):
            found.update(table.get(d, ()))
        found.discard(word)
        result = {t for t in found if t in self.token_refs and _one_edit(word, t)}
        if len(word) >= 6 and word.isalpha():
            # Transliterations two letters apart that sound the same: "mohamad" and "mohammed".
            sound = _sound(word)
            result.update(
                t
                for t in self._sounds.get(sound, ())
                if t != word and t[0] == word[0] and _edits(word, t) <= 2 and t in self.token_refs
            )
        frozen = frozenset(result)
        if len(self._spelling_cache) > 16384:
            self._spelling_cache.clear()
        self._spelling_cache[word] = frozen
        return frozen

    def is_allowed_phrase(self, phrase_words: str) -> bool:
        # Whole words only: "1 mill lane" is not part of the council's "21 mill lane".
        padded = f" {phrase_words} "
        return phrase_words in self.allow_phrases or any(padded in f" {c} " for c in self.council_phrases)
