"""Context rules: what the words around a name say about it (issue 14).

A name on the council's records is not always the person: "Walsh Court" is a contact centre, "PC 2281
Walsh" a police officer, "Harry Potter themed night" the book, "Marta Nowak (Polish interpreter)" someone
else with the family's surname. And a first name alone is the child when something ties it to them: "Hope
in Year 2", "her little sister Summer", "Ruby C (6, Leyland)". These rules read the words around a match
and say why, in plain English. Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence

from discretion.detect.knowledge import (
    ACRONYMS,
    DAYS_AND_MONTHS,
    EXAMPLE_CUES,
    FAMILY_NOUNS,
    FAMILY_VENUE,
    FAMOUS,
    KIN_WORDS,
    ORG_AFTER_FROM,
    PLACE_AFTER,
    PLACEHOLDER_NAMES,
    PLACES,
    PROFESSIONAL_DOMAINS,
    PROFESSIONAL_TITLES,
    ROLE_WORDS,
    SAYINGS,
    VALEDICTIONS,
)
from discretion.detect.words import COMMON_WORDS

_SENTENCE_END = ".!?\n:;•*|"
_AGE_AFTER = re.compile(
    r"\s*\(\s*[a-z][a-z \-]{0,24},\s*\d{1,2}\s*\)"
    r"|\s*[(,\-\u2013]\s*(?:(?:aged?|male|female|boy|girl|m|f)\b[\s,:]*)?\d{1,2}(?![\d:/.])(?!\s*(?:am|pm|th|st|nd|rd)\b)"
    r"|\s+(?:is|was|aged?|turns|turned)\s+\d{1,2}(?![\d:/.])(?!\s*(?:am|pm)\b)",
    re.IGNORECASE,
)
_SCHOOL_AFTER = re.compile(
    r"\s*[(,\-\u2013]?\s*(?:who\s+is\s+|who's\s+|is\s+)?(?:in\s+|at\s+)?"
    r"(?:(?:year|yr|y)\s*\d{1,2}\b|reception\b|nursery\b)",
    re.IGNORECASE,
)
# After a possessive only these make a place's name ("Noah's Ark", "St Paul's Road"): "Kayden's school"
# is his school.
_POSSESSIVE_PLACES = frozenset(
    {"ark", "court", "park", "lane", "road", "street", "church", "chapel", "cathedral", "abbey", "priory"}
    | {"hall", "pier", "bay", "walk", "row", "rise", "mews", "gate", "yard", "wharf", "quay", "arms", "inn"}
)
# "Wayne Rooney (no, not that one)", "yes, that is his real name": the writer says it is not the famous one.
_NOT_FAMOUS = re.compile(
    r"not (?:that|the) (?:one|footballer|singer|chef|boxer|actor|actress|player|band|brand|famous)|real name|"
    r"no relation|heard every joke|gets that a lot|i know!|\(i know\)",
    re.IGNORECASE,
)
# Boxed-form writing: one character a box, "M A R S H", "0 4 / 0 4 / 2 0 1 7", "P R 2 5  4 S E".
_SPACED_RUN = re.compile(r"(?<![^\s:])(?:[A-Za-z0-9/.\-] {1,2}){3,}[A-Za-z0-9](?![^\s,;])")
_ADDRESS_AFTER = re.compile(r"\s*<[^<>@\s]+@([^<>\s]+)>")
# A message holding placeholders to fill in ("[Child's name]", "<<DOB>>", "{{ name }}") is a template.
_TEMPLATE = re.compile(
    r"\[[^\]\n]{0,30}(?:name|child|parent|carer|date|dob|address|number|xx)[^\]\n]{0,30}\]|<<\s*\w+\s*>>|\{\{\s*\w+\s*\}\}",
    re.IGNORECASE,
)
_NAME_FIELDS = (
    "surname",
    "forename",
    "forenames",
    "forename s",
    "first name",
    "first names",
    "last name",
    "family name",
    "given name",
    "given names",
    "child",
    "child name",
    "childs name",
    "name of child",
    "young person",
    "pupil",
    "patient",
    "name",
    "full name",
    "mother",
    "father",
    "parent",
    "carer",
)
_CHILD_THINGS = frozenset(
    {"teacher", "teachers", "school", "nursery", "class", "classroom", "mum", "mummy", "mam", "dad", "daddy"}
    | {"nan", "nana", "gran", "grandma", "grandad", "brother", "sister", "siblings", "carer", "carers"}
    | {"foster", "placement", "pep", "plan", "review", "ta", "senco", "dsl", "social", "bedroom", "bruise"}
    | {"bruises", "injury", "attendance", "behaviour", "health", "medical", "appointment", "appt"}
)
_COURTESY = frozenset({"mr", "mrs", "ms", "miss", "mx"})
# Words written with a capital that are never a name: greetings, mail headers, courtesy titles.
_NOT_NAMES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "master", "from", "dear", "hi", "hello", "hiya", "re", "fw", "fwd"}
    | {"fao", "attn", "cc", "bcc", "ref", "subject", "to", "sent", "date", "thanks", "regards", "cheers"}
)
_SCHOOLS = frozenset({"school", "academy", "college", "nursery", "primary", "high"})
# After a name in brackets or on the next line, where someone works ("Jack Walsh (Moorside Surgery)").
_WORKPLACES = frozenset(
    {"surgery", "practice", "hospital", "clinic", "cafcass", "agency", "trust", "council", "barnardos"}
    | {"nspcc", "dwp", "probation", "yot", "ofsted", "constabulary", "ltd", "company", "business", "dept"}
)
# Places people work, not places children are: "X from Moorside Surgery" is on its staff.
_INSTITUTIONS = frozenset(
    {"surgery", "practice", "hospital", "clinic", "police", "constabulary", "council", "trust", "agency"}
    | {"team", "service", "services", "office", "department", "unit", "ward", "centre", "company", "ltd"}
)
_ROLE_LEAD = frozenset({"the", "our", "a", "an", "is", "was", "who", "as", "their", "your", "new"})
# School words that are only about a child with a number after them: "Year 4", not "this year".
_NEEDS_NUMBER = frozenset({"year", "yr"})
_PERSON_VERBS = frozenset(
    {"is", "was", "has", "had", "said", "says", "told", "tells", "attended", "attends", "went", "came", "can"}
    | {"cannot", "wont", "doesnt", "didnt", "wants", "wanted", "needs", "needed", "likes", "loves", "seems"}
    | {"seemed", "started", "starts", "moved", "lives", "lived", "stays", "stayed", "goes", "got", "missed"}
    | {"refused", "disclosed", "asked", "rang", "called", "reported", "spoke", "cried", "ran", "left"}
)
_PRONOUNS = frozenset({"he", "she", "his", "her", "him", "hers", "himself", "herself"})
_BEFORE_MONTHS = frozenset(
    {
        "in",
        "on",
        "during",
        "since",
        "until",
        "till",
        "by",
        "from",
        "last",
        "next",
        "this",
        "early",
        "late",
        "mid",
    }
    | {"end", "of", "before", "after", "through", "throughout"}
)
_KIN_OR_TITLE = frozenset({"sister", "father", "nurse", "matron"})
_POSSESSIVES = frozenset(
    {"his", "her", "their", "my", "your", "our", "big", "little", "older", "younger", "the"}
)
# Every example cue and placeholder name as one search over a line's folded words.
_EXAMPLE_RE = re.compile(
    " (?:"
    + "|".join(re.escape(p) for p in sorted(EXAMPLE_CUES | PLACEHOLDER_NAMES, key=len, reverse=True))
    + ") "
)
_ADDRESS_OR_LINK = re.compile(r"\S*(?:@|://|www\.)\S*")
_NAME_LIKE = re.compile(r"[^\W\d_][^\W\d_'\u2019\-]+$")


def unspace(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """`text` with boxed-form runs closed up ("M A R S H" -> "MARSH"; a double space, as between the
    halves of a postcode, stays one space), and each change as (new start, new end, old start, old end)."""
    changes: list[tuple[int, int, int, int]] = []
    out: list[str] = []
    pos = 0
    new_len = 0
    for m in _SPACED_RUN.finditer(text):
        run = m.group()
        closed = re.sub(r" {2,}", "\x00", run).replace(" ", "").replace("\x00", " ")
        before = text[pos : m.start()]
        out.append(before)
        new_len += len(before)
        out.append(closed)
        changes.append((new_len, new_len + len(closed), m.start(), m.end()))
        new_len += len(closed)
        pos = m.end()
    if not changes:
        return text, []
    out.append(text[pos:])
    return "".join(out), changes


def to_original(changes: Sequence[tuple[int, int, int, int]], start: int, end: int) -> tuple[int, int]:
    """Offsets in the closed-up text back to the original text."""
    shift = 0
    new_start, new_end = start, end
    out_start: int | None = None
    out_end: int | None = None
    for ns, ne, os_, oe in changes:
        if out_start is None:
            if start < ns:
                out_start = start + shift
            elif start < ne:
                out_start = os_
        if out_end is None:
            if end <= ns:
                out_end = end + shift
            elif end <= ne:
                out_end = oe
        shift = oe - ne
    if out_start is None:
        out_start = new_start + shift
    if out_end is None:
        out_end = new_end + shift
    return out_start, out_end


_FIRSTS: dict[int, frozenset[str]] = {}


def _first_words(table: frozenset[str]) -> frozenset[str]:
    found = _FIRSTS.get(id(table))
    if found is None:
        found = _FIRSTS[id(table)] = frozenset(p.split(" ", 1)[0] for p in table)
    return found


class Context:
    """The words of one window of a message, with their offsets, for the rules below."""

    def __init__(
        self,
        text: str,
        words: Sequence[str],
        starts: Sequence[int],
        ends: Sequence[int],
        venues: frozenset[str],
        related: Callable[[str, str], bool] = lambda a, b: False,
        known: Container[str] = frozenset(),
    ) -> None:
        self.text = text
        self.words = words
        self.starts = starts  # word k runs from starts[k] to ends[k] in `text`
        self.ends = ends
        self.venues = venues  # two-word names of the council's own places ("walsh court", "moor park")
        self.related = related  # two name words of one person on the records ("minh", "anh")
        self.known = known  # every name word on the records
        self._signature: tuple[int, int] | None = None
        self._caps = [text[s].isupper() for s in starts]
        self._example_lines: dict[int, bool] = {}
        self.template = bool(_TEMPLATE.search(text))

    # -- small facts about one word ------------------------------------------------------------------

    def word(self, k: int) -> str:
        return self.words[k] if 0 <= k < len(self.words) else ""

    def raw(self, k: int) -> str:
        return self.text[self.starts[k] : self.ends[k]] if 0 <= k < len(self.words) else ""

    def cap(self, k: int) -> bool:
        return 0 <= k < len(self._caps) and self._caps[k]

    def gap(self, k: int) -> str:
        """The text between word k-1 and word k."""
        if k <= 0:
            return self.text[: self.starts[0]] if self.words else ""
        if k >= len(self.words):
            return self.text[self.ends[-1] :]
        return self.text[self.ends[k - 1] : self.starts[k]]

    def sentence_start(self, k: int) -> bool:
        """Word k begins a sentence, a line or a list item, where any word has a capital."""
        if k == 0:
            return True
        before = self.gap(k).rstrip(" \t\"'\u201c\u2018(")
        if not before:
            prev = self.raw(k - 1)
            return bool(prev) and prev[-1] in _SENTENCE_END
        return any(c in _SENTENCE_END for c in before)

    def name_like(self, k: int) -> bool:
        """A capitalised word that reads as someone's name (not a common word, a title or a place word)."""
        if not self.cap(k):
            return False
        raw, word = self.raw(k), self.word(k)
        if len(raw) < 2 or not _NAME_LIKE.match(raw) or (raw.isupper() and len(raw) <= 3):
            return False
        if word in self.known and not self.sentence_start(k) and word not in DAYS_AND_MONTHS:
            return word not in PLACE_AFTER  # a surname that is also a word: "Ruby Shaw", "Dawn Hill"
        return not (
            word in COMMON_WORDS
            or word in PLACE_AFTER
            or word in PROFESSIONAL_TITLES
            or word in ROLE_WORDS
            or word in KIN_WORDS
            or word in DAYS_AND_MONTHS
            or word in _NOT_NAMES
            or word in ACRONYMS
        )

    # -- what the words around a match say it is not --------------------------------------------------

    def hard_veto(self, i: int, j: int, *, lone: bool) -> str | None:
        """Why words i..j, which spell a name on the records, are not a service user here (or None)."""
        words = self.words
        after = self.word(j + 1)
        possessive = self.gap(j + 1).startswith(("'s", "\u2019s", "'S"))
        if after == "family":
            if self.word(j + 2) in FAMILY_VENUE:
                return "part of the name of a place, building or organisation"
        elif after in PLACE_AFTER and (not possessive or after in _POSSESSIVE_PLACES):
            return "part of the name of a place, building or organisation"
        if self._in_phrase(i, j, self.venues, 2):
            return "part of the name of one of the council's own places"
        if self._in_phrase(i, j, SAYINGS, 4) or self._in_phrase(i, j, PLACEHOLDER_NAMES, 3):
            return "part of a saying or an example name"
        before = self.word(i - 1)
        if self._title(i - 1) or (before.isdigit() and self._title(i - 2)):  # "PC 2281 Walsh"
            return "a professional title comes before it"
        if self._role_after(j):
            return "a job or organisation follows it: someone working with the family, not the family"
        if self._role_before(i):
            return "a job comes before it: someone working with the family, not the family"
        if lone and words[i] in DAYS_AND_MONTHS and (self.word(i + 1)[:1].isdigit() or before[:1].isdigit()):
            return "a day or month"
        if lone and self._namesake(i):
            return "another person's name: the other half of it is not a service user's"
        return None

    def _title(self, k: int) -> bool:
        word = self.word(k)
        if word not in PROFESSIONAL_TITLES:
            return False
        if word in _KIN_OR_TITLE:  # "Sister Dawn Hill" is a nurse; "her sister Rose", "Father: Dean" family
            return (
                self.cap(k)
                and not self.sentence_start(k)
                and self.word(k - 1) not in _POSSESSIVES
                and not self.gap(k + 1).strip(" \t")
            )
        return True

    def famous(self, i: int, j: int) -> bool:
        return self._in_phrase(i, j, FAMOUS, 4)

    def denies_fame(self, j: int) -> bool:
        """ "Harry Potter in Year 6 - I know, he gets that a lot", "Jim Morrison (no, not that one)"."""
        return bool(_NOT_FAMOUS.search(self.text[self.ends[j] : self.ends[j] + 80]))

    def place(self, i: int) -> bool:
        """A town or city used as one: after "in", "at", "to", "from", or before a postcode."""
        if self.words[i] not in PLACES:
            return False
        return self.word(i - 1) in {
            "in",
            "at",
            "to",
            "from",
            "near",
            "around",
            "outside",
            "of",
            "into",
            "via",
            "towards",
            "royal",
        } or bool(re.match(r"[ ,]*[A-Z]{1,2}\d", self.text[self.ends[i] : self.ends[i] + 8]))

    def _in_phrase(self, i: int, j: int, table: frozenset[str], longest: int) -> bool:
        words = self.words
        firsts = _first_words(table)
        for s in range(max(0, j - longest + 1), i + 1):
            if words[s] not in firsts:
                continue
            for length in range(max(1, j - s + 1), longest + 1):
                if s + length <= len(words) and " ".join(words[s : s + length]) in table:
                    return True
        return False

    def _role_after(self, j: int) -> bool:
        k = j + 1
        if k >= len(self.words):
            return False
        sep = self.gap(k)
        first = self.words[k]
        if first in {"from", "at", "of"} and "\n" not in sep:
            # "Mrs Walsh from school" is a teacher; "Hope at school" is a child. "Jack Walsh from Moorside
            # Surgery" works there.
            courtesy = self.word(self._start_of_name(j) - 1) in _COURTESY
            for step in range(1, 5):
                nxt = self.word(k + step)
                if nxt in ORG_AFTER_FROM or nxt in ROLE_WORDS or nxt in _INSTITUTIONS:
                    return True
                if courtesy and nxt in _SCHOOLS:
                    return True
                if nxt not in {"the", "our", "their"} and (
                    not self.cap(k + step) or "\n" in self.gap(k + step)
                ):
                    return False
            return False
        if first in _ROLE_LEAD and "\n" not in sep:
            # "Jack Walsh, who is the practice manager", "Joanne Brook is our new guardian"
            for step in range(1, 5):
                word = self.word(k + step)
                if not word or word in KIN_WORDS or "\n" in self.gap(k + step):
                    return False
                if word in ROLE_WORDS:
                    return True
            return False
        if not (sep.strip(" \t") in {",", "(", "-", "\u2013", ",\n", "\n", "|", "/"} or sep.count("\n") == 1):
            return False
        for step in range(3):
            word = self.word(k + step)
            if (
                not word
                or word in KIN_WORDS
                or (step and "\n" in self.gap(k + step) and sep.strip(" \t") != "\n")
            ):
                return False
            # "Jack Walsh (Moorside Surgery)", "Jack Walsh\nMoorside Surgery": where they work
            if word in ROLE_WORDS or word in _WORKPLACES:
                return True
        return False

    def _role_before(self, i: int) -> bool:
        """ "Interpreter: Marta Nowak", "Allocated worker - Jack Walsh", "Chair: Faith"."""
        start = self._start_of_name(i)
        gap = self.gap(start).strip(" \t")
        if start > 0 and not gap and self.words[start - 1] in ROLE_WORDS and "\n" not in self.gap(start):
            return True  # "the interpreter Marta Nowak", "health visitor Dawn Walsh"
        if gap not in (":", "-", "\u2013", ":-") or start == 0:
            return False
        line_start = self.text.rfind("\n", 0, self.starts[start]) + 1
        k = start - 1
        while k >= 0 and self.starts[k] >= line_start and start - k <= 4:
            if self.words[k] in ROLE_WORDS:
                return True
            if self.words[k] in KIN_WORDS or self.words[k] in {"child", "pupil", "patient", "subject"}:
                return False
            k -= 1
        return False

    def _start_of_name(self, j: int) -> int:
        k = j
        while (
            k > 0 and self.cap(k - 1) and not self.gap(k).strip(" \t") and self.word(k - 1) not in _COURTESY
        ):
            k -= 1
        return k

    def longer_name(self, i: int, j: int) -> bool:
        """A full name on the records inside a longer one: "Tommy Lee Jones" is someone else."""
        for k, joint in ((i - 1, i), (j + 1, j + 1)):
            if (
                0 <= k < len(self.words)
                and not self.gap(joint).strip(" \t")
                and self.name_like(k)
                and self.words[k] not in self.known
                and not self.sentence_start(joint)
            ):
                return True
        return False

    def correspondent(self, j: int) -> bool:
        """ "Jack Walsh <jack.walsh@nhs.net>": a name in a mail header with a professional's address."""
        found = _ADDRESS_AFTER.match(self.text, self.ends[j])
        return found is not None and found.group(1).lower().endswith(PROFESSIONAL_DOMAINS)

    def form_label(self, i: int) -> bool:
        """ "Surname: WALSH", "First name - Kayden", "Child: Hope": a form says this is someone's name."""
        gap = self.gap(i).strip(" \t")
        if gap not in (":", "-", ":-", "\u2013") and not (gap.startswith(":") and gap.strip(": ") == ""):
            return False
        label = " ".join(self.words[max(0, i - 3) : i])
        return any(label.endswith(f) for f in _NAME_FIELDS)

    def possessive_of_child(self, j: int) -> bool:
        """ "Hope's teacher", "Grace's mum", "River's nursery": said of a child."""
        return self.gap(j + 1).startswith(("'s", "\u2019s", "'S")) and self.word(j + 1) in _CHILD_THINGS

    def age_before(self, i: int) -> bool:
        """ "7-year-old Hope", "the 15-year-old, Tyler"."""
        return bool(
            re.search(
                r"\d{1,2}[- ]?(?:year|yr)s?[- ]old[, ]*$",
                self.text[max(0, self.starts[i] - 20) : self.starts[i]],
            )
        )

    def _namesake(self, i: int) -> bool:
        """A capitalised name beside the word that makes it someone else: "Marta Nowak", "Aoife Kelly"."""
        for k in (i - 1, i + 1):
            if not (0 <= k < len(self.words)) or self.gap(max(i, k)).strip(" \t"):
                continue  # only a space between: "Marta Nowak", never "Subject: Popescu"
            if k == i - 1 and self.sentence_start(k) and self.words[k] in COMMON_WORDS:
                continue
            if self.name_like(k) and not self.related(self.words[i], self.words[k]):
                return True
        return False

    # -- what ties a first name to one child ----------------------------------------------------------

    def subject_of_sentence(self, i: int) -> bool:
        """ "Grace has been unsettled since her dad left": a name starting a sentence as its subject, a
        person's verb after it and "he" or "she" soon after."""
        if self.word(i + 1) not in _PERSON_VERBS:
            return False
        return any(w in _PRONOUNS for w in self.words[i + 2 : i + 20])

    def month_used_as_month(self, i: int) -> bool:
        """ "in May", "since June", "last April": the month, not the person."""
        return self.words[i] in DAYS_AND_MONTHS and self.word(i - 1) in _BEFORE_MONTHS

    def kin_after(self, j: int) -> bool:
        """ "Wayne Rooney (Riley's dad", "Riley's dad": described by a family tie."""
        sep = self.gap(j + 1)
        if "\n" in sep:
            return False
        if sep.startswith(("'s", "\u2019s")) and self.word(j + 1) in KIN_WORDS:
            return True
        if "\n" in self.text[self.ends[j] : self.ends[min(j + 3, len(self.words) - 1)]]:
            return False
        if sep.strip(" \t") in {"(", ",", "-", "\u2013"}:
            return any(self.word(k) in KIN_WORDS for k in range(j + 1, j + 4))
        # "Hope and her brother", "Jack and his little sister"
        for k in range(j + 1, j + 5):
            if self.word(k) in KIN_WORDS:
                return k > j + 1
            if self.word(k) not in {
                "and",
                "her",
                "his",
                "their",
                "with",
                "little",
                "big",
                "older",
                "younger",
            }:
                return False
        return False

    def same_sentence(self, a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        return not any(self.sentence_start(k) for k in range(lo + 1, hi + 1))

    def kin_before(self, i: int) -> bool:
        if self._title(i - 1):
            return False  # "Sister Ruby Shaw" is a nurse
        return self.word(i - 1) in KIN_WORDS or (
            self.word(i - 2) in KIN_WORDS
            and self.word(i - 1) in {"is", "called", "named", "the", "mr", "mrs", "ms"}
        )

    def age_or_school_after(self, j: int) -> bool:
        tail = self.text[self.ends[j] : self.ends[j] + 40]
        if tail.startswith("."):  # "A.S. (9, …)", "Mia F. (Y4)"
            tail = tail[1:]
        return bool(_AGE_AFTER.match(tail) or _SCHOOL_AFTER.match(tail))

    def family_reference(self, i: int) -> bool:
        """ "the Darwen twins", "the Kirkham boys", "the Adeyemi family", "Popescu children"."""
        if self.word(i + 1) not in FAMILY_NOUNS or self.word(i + 2) in FAMILY_VENUE:
            return False
        return self.word(i - 1) == "the" or self.words[i] not in PLACES

    def cues(self, i: int, vocabulary: frozenset[str], reach: int = 14) -> bool:
        """Any word of `vocabulary` in the same sentence as word i (at most `reach` words away)."""
        lo = i
        while lo > 0 and i - lo < reach and not self.sentence_start(lo):
            lo -= 1
        hi = i + 1
        while hi < len(self.words) and hi - i < reach and not self.sentence_start(hi):
            hi += 1
        words = self.words
        return any(
            w in vocabulary
            and (w not in _NEEDS_NUMBER or (k + 1 < len(words) and words[k + 1][:1].isdigit()))
            for k, w in enumerate(words[lo:hi], start=lo)
        )

    # -- where in the message ------------------------------------------------------------------------

    def in_sign_off(self, k: int) -> bool:
        """Word k is in the greeting line or the sign-off: the people writing and written to."""
        if self._signature is None:
            self._signature = self._find_signature()
        start = self.starts[k]
        line_start = self.text.rfind("\n", 0, start) + 1
        first_line_end = self.text.find("\n")
        if first_line_end == -1 or start < first_line_end:
            first = self.text[:first_line_end] if first_line_end != -1 else self.text
            if re.match(r"\s*(?:hi|hello|dear|morning|afternoon|hiya|fao|to)\b", first, re.IGNORECASE):
                return len(first.split()) <= 6
        lo, hi = self._signature
        return lo <= line_start < hi

    def _find_signature(self) -> tuple[int, int]:
        text = self.text.rstrip()
        lines = text.split("\n")
        offsets = []
        pos = 0
        for line in lines:
            offsets.append(pos)
            pos += len(line) + 1
        for n in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
            folded = " ".join("".join(c if c.isalnum() else " " for c in lines[n].lower()).split())
            head = folded.split(" ")
            if (
                folded in VALEDICTIONS
                or (" ".join(head[:2]) in VALEDICTIONS and len(head) <= 3)
                or (head[0] in VALEDICTIONS and len(head) <= 2)
            ):
                return offsets[n], len(self.text) + 1
        # A last line of one or two words after a blank line: "Imran", "Thanks, Olu", "Paul".
        if len(lines) >= 3 and not lines[-2].strip() and len(lines[-1].split()) <= 2:
            return offsets[-1], len(self.text) + 1
        return len(self.text) + 1, len(self.text) + 1

    def example_line(self, start: int) -> bool:
        """The line holding `start` reads as an example or a template, not a real case."""
        if self.template:
            return True
        line_start = self.text.rfind("\n", 0, start) + 1
        known = self._example_lines.get(line_start)
        if known is None:
            known = self._example_lines[line_start] = self._is_example_line(line_start, start)
        return known

    def _is_example_line(self, line_start: int, start: int) -> bool:
        if self._example_block(line_start):
            return True
        return self._example_in_line(line_start, start)

    def _example_block(self, line_start: int) -> bool:
        """Under a heading line such as "Example:" or "Sample entry:" (up to four lines, no blank line)."""
        pos = line_start
        for _ in range(4):
            if pos == 0:
                return False
            prev_start = self.text.rfind("\n", 0, pos - 1) + 1
            line = self.text[prev_start : pos - 1].strip()
            if not line:
                return False
            if line.endswith(":") and self._example_in_line(prev_start, prev_start):
                return True
            pos = prev_start
        return False

    def _example_in_line(self, line_start: int, start: int) -> bool:
        line_end = self.text.find("\n", start)
        line = self.text[line_start : line_end if line_end != -1 else len(self.text)]
        line = _ADDRESS_OR_LINK.sub(" ", line)  # "mailbox.example" is a domain, not an example
        folded = " " + " ".join("".join(c if c.isalnum() else " " for c in line.lower()).split()) + " "
        return _EXAMPLE_RE.search(folded) is not None
