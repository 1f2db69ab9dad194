"""Pattern recognisers for identifiers that have a fixed written form.

Written as plain regular expressions plus validators (the shape of Presidio's PatternRecognizer:
regex, then validate_result) so the product needs neither spaCy nor a language model at run time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from discretion.detect.model import Label

EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# UK numbers: 0 or +44 then 9-10 more digits, allowing spaces, dashes and a bracketed area code.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s\-()]{7,14}\d(?![\w])")
NHS_RE = re.compile(r"(?<![\w.])([1-9]\d{2})[ \-.]?(\d{3})[ \-.]?(\d{4})(?![\w]|\.\d)")
# HMRC NINO: prefixes exclude D, F, I, Q, U, V (first letter also not O), and BG GB KN NK NT TN ZZ.
NINO_RE = re.compile(
    r"(?<![\w])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D](?![\w])",
    re.IGNORECASE,
)
POSTCODE_RE = re.compile(r"(?<![\w])([A-Z]{1,2}\d[A-Z\d]?)\s?(\d[ABD-HJLNP-UW-Z]{2})(?![\w])", re.IGNORECASE)

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_DATE = r"(?P<d1>\d{1,2})[/.\-](?P<m1>\d{1,2})[/.\-](?P<y1>\d{4}|\d{2})"
_ISO_DATE = r"(?P<y2>\d{4})-(?P<m2>\d{2})-(?P<d2>\d{2})"
# "3rd April 2015", "22 Apr 20", "22-Apr-2020" (the form many case systems print).
_TEXT_DATE = rf"(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?(?:\s+|-)(?P<m3>{_MONTH_ALT})\.?,?(?:\s+|-)(?P<y3>\d{{4}}|\d{{2}})"
_US_TEXT_DATE = rf"(?P<m4>{_MONTH_ALT})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>\d{{4}})"
DATE_RE = re.compile(
    rf"(?<![\w/.\-])(?:{_ISO_DATE}|{_NUMERIC_DATE}|{_TEXT_DATE}|{_US_TEXT_DATE})(?![\w/])", re.IGNORECASE
)
# A cue just before a date that says it is a date of birth: "DOB 3/4/15", "d.o.b. 03.04.2015", "born on".
# A cue just before a date that says it is a date of birth: "DOB 3/4/15", "d.o.b. 03.04.2015", "born on",
# "Date of birth (child): …", "her date of birth is …".
_DOB_CUE = r"(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday|b\.)"
DOB_CUE_RE = re.compile(
    rf"(?<![a-z]){_DOB_CUE}(?:\s*\([^()]{{0,20}}\))?\s*(?:is|was)?\s*[:\-\u2013]?\s*$",
    re.IGNORECASE,
)
# Eight digits with no separators count as a date of birth only straight after a cue: "DOB: 22042020".
COMPACT_DOB_RE = re.compile(
    rf"(?<![a-z]){_DOB_CUE}(?:\s*\([^()]{{0,20}}\))?\s*(?:is|was)?\s*[:\-\u2013]?\s*"
    r"(?P<date>(?P<d5>\d{2})(?P<m5>\d{2})(?P<y5>\d{4}))(?!\d)",
    re.IGNORECASE,
)
# Two-digit years: a child's or young parent's DOB; 00-40 read as 20xx (pure code has no "today").
_CENTURY_PIVOT = 40


@dataclass(frozen=True, slots=True)
class PatternMatch:
    start: int
    end: int
    label: Label
    value: str  # canonical value: digits, upper-case postcode without space, ISO date, lower-case e-mail
    has_cue: bool = False
    kind: str = ""


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit of an NHS number's first nine digits (NHS Data Dictionary,
    "NHS Number"), or None when they can have none (a remainder giving 10). The one NHS checksum:
    records validate with it and the seed makes numbers with it."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return None if check == 10 else check


def nhs_checksum_ok(digits: str) -> bool:
    """NHS number modulus 11 check (NHS Data Dictionary, "NHS Number")."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def canonical_postcode(text: str) -> str:
    return "".join(text.split()).upper()


def canonical_phone(text: str) -> str:
    digits = "".join(c for c in text if c.isdigit())
    if digits.startswith("440"):
        digits = digits[2:]
    elif digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits


def _parse_date(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    try:
        if g["y2"]:
            return dt.date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        if g["y1"]:
            year = int(g["y1"])
            if len(g["y1"]) == 2:
                year += 2000 if year <= _CENTURY_PIVOT else 1900
            return dt.date(year, int(g["m1"]), int(g["d1"]))
        if g["y3"]:
            year = int(g["y3"])
            if len(g["y3"]) == 2:
                year += 2000 if year <= _CENTURY_PIVOT else 1900
            return dt.date(year, _MONTHS[g["m3"].lower()], int(g["d3"]))
        if g["y4"]:
            return dt.date(int(g["y4"]), _MONTHS[g["m4"].lower()], int(g["d4"]))
    except ValueError:
        return None
    return None


def find_anchor_patterns(
    text: str, case_ref_patterns: tuple[tuple[str, re.Pattern[str]], ...]
) -> Iterator[PatternMatch]:
    """Only the identifiers that can pin one known person on their own: NHS numbers and references."""
    for m in NHS_RE.finditer(text):
        digits = "".join(m.groups())
        if nhs_checksum_ok(digits):
            yield PatternMatch(m.start(), m.end(), Label.NHS_NUMBER, digits)
    yield from _case_refs(text, case_ref_patterns)


def _case_refs(
    text: str, case_ref_patterns: tuple[tuple[str, re.Pattern[str]], ...]
) -> Iterator[PatternMatch]:
    for kind, pattern in case_ref_patterns:
        for m in pattern.finditer(text):
            ref = "".join(ch for ch in m.group() if ch.isalnum()).upper()  # "p-000123" is P000123
            yield PatternMatch(m.start(), m.end(), Label.CASE_REF, ref, kind=kind)


def find_patterns(
    text: str, case_ref_patterns: tuple[tuple[str, re.Pattern[str]], ...]
) -> Iterator[PatternMatch]:
    for m in EMAIL_RE.finditer(text):
        yield PatternMatch(m.start(), m.end(), Label.EMAIL, m.group().lower())
    for m in NHS_RE.finditer(text):
        digits = "".join(m.groups())
        # A failed check digit is kept too ("unchecked"): written after "NHS" it is a mistyped NHS number.
        kind = "" if nhs_checksum_ok(digits) else "unchecked"
        yield PatternMatch(m.start(), m.end(), Label.NHS_NUMBER, digits, kind=kind)
    for m in PHONE_RE.finditer(text):
        phone = m.group()
        digits = canonical_phone(phone)
        if len(digits) in (10, 11) and digits.startswith("0") and phone.count("(") == phone.count(")"):
            yield PatternMatch(m.start(), m.end(), Label.PHONE, digits)
    for m in NINO_RE.finditer(text):
        yield PatternMatch(m.start(), m.end(), Label.NI_NUMBER, "".join(m.group().split()).upper())
    for m in POSTCODE_RE.finditer(text):
        yield PatternMatch(m.start(), m.end(), Label.POSTCODE, canonical_postcode(m.group()))
    for m in DATE_RE.finditer(text):
        date = _parse_date(m)
        if date is not None:
            cue = DOB_CUE_RE.search(text, max(0, m.start() - 40), m.start()) is not None
            yield PatternMatch(m.start(), m.end(), Label.DOB, date.isoformat(), has_cue=cue)
    for m in COMPACT_DOB_RE.finditer(text):
        try:
            compact = dt.date(int(m.group("y5")), int(m.group("m5")), int(m.group("d5")))
        except ValueError:
            continue
        yield PatternMatch(m.start("date"), m.end("date"), Label.DOB, compact.isoformat(), has_cue=True)
    yield from _case_refs(text, case_ref_patterns)
