"""Validation of the identifiers held on a person: pure functions, no Django."""

from __future__ import annotations

import re
import unicodedata

from discretion.detect.patterns import nhs_checksum_ok

_NHS_SEPARATORS = re.compile(r"[\s-]")


def normalise_nhs_number(value: str) -> str:
    return _NHS_SEPARATORS.sub("", value)


def nhs_number_is_valid(value: str) -> bool:
    """NHS numbers are ten digits whose last is a modulus-11 check digit (NHS Data Dictionary)."""
    return nhs_checksum_ok(normalise_nhs_number(value))


def format_nhs_number(value: str) -> str:
    digits = normalise_nhs_number(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")


def normalise_postcode(value: str) -> str | None:
    """A UK postcode in its standard form ("PR7 1AB"), or None when it is not one."""
    match = _POSTCODE.match(value.strip().upper())
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def name_key(value: str) -> str:
    """Names folded for search: accents removed, case folded, punctuation to spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())
