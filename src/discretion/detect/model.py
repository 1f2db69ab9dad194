"""The public data contract of the personal-data finder: subjects, staff, findings."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class Label(enum.StrEnum):
    PERSON = "PERSON"
    DOB = "DOB"
    ADDRESS = "ADDRESS"
    POSTCODE = "POSTCODE"
    NHS_NUMBER = "NHS_NUMBER"
    NI_NUMBER = "NI_NUMBER"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    CASE_REF = "CASE_REF"


class SubjectFormatError(ValueError):
    """A subject or staff entry does not match the public JSON contract; names the field."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field_name = field_name


def _text(obj: Mapping[str, object], name: str, *, required: bool) -> str | None:
    value = obj.get(name)
    if value is None:
        if required:
            raise SubjectFormatError(name, "is required")
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise SubjectFormatError(name, "must be a non-empty string")
    return value


def _mapping(obj: object) -> Mapping[str, object]:
    if not isinstance(obj, Mapping):
        raise SubjectFormatError("(entry)", "must be a JSON object")
    return obj


@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    town: str | None = None
    postcode: str | None = None

    @classmethod
    def from_json(cls, obj: object, where: str = "addresses") -> Address:
        if not isinstance(obj, Mapping):
            raise SubjectFormatError(where, "must be a JSON object")
        try:
            line1 = _text(obj, "line1", required=True)
            town = _text(obj, "town", required=False)
            postcode = _text(obj, "postcode", required=False)
        except SubjectFormatError as exc:
            raise SubjectFormatError(f"{where}.{exc.field_name}", str(exc).split(": ", 1)[1]) from None
        assert line1 is not None
        return cls(line1=line1, town=town, postcode=postcode)

    def to_json(self) -> dict[str, str]:
        out = {"line1": self.line1}
        if self.town is not None:
            out["town"] = self.town
        if self.postcode is not None:
            out["postcode"] = self.postcode
        return out


@dataclass(frozen=True, slots=True)
class Subject:
    """A known service user (a child, parent or carer on the council's records)."""

    ref: str
    family_name: str
    given_names: str = ""
    aliases: tuple[str, ...] = ()
    dob: dt.date | None = None
    addresses: tuple[Address, ...] = ()
    nhs_number: str | None = None
    is_child: bool | None = None  # None: not said (the wording then goes by the date of birth, if any)

    @classmethod
    def from_json(cls, raw: object) -> Subject:
        obj = _mapping(raw)
        ref = _text(obj, "ref", required=True)
        family_name = _text(obj, "family_name", required=True)
        given_names = _text(obj, "given_names", required=False) or ""
        aliases_raw = obj.get("aliases", [])
        if not isinstance(aliases_raw, list) or not all(isinstance(a, str) for a in aliases_raw):
            raise SubjectFormatError("aliases", "must be a list of strings")
        dob: dt.date | None = None
        dob_raw = _text(obj, "dob", required=False)
        if dob_raw is not None:
            try:
                dob = dt.date.fromisoformat(dob_raw)
            except ValueError:
                raise SubjectFormatError("dob", "must be a date YYYY-MM-DD") from None
        addresses_raw = obj.get("addresses", [])
        if not isinstance(addresses_raw, list):
            raise SubjectFormatError("addresses", "must be a list")
        addresses = tuple(Address.from_json(a, f"addresses[{i}]") for i, a in enumerate(addresses_raw))
        nhs = _text(obj, "nhs_number", required=False)
        if nhs is not None:
            digits = "".join(c for c in nhs if c.isdigit())
            if len(digits) != 10 or any(c not in "0123456789 -" for c in nhs):
                raise SubjectFormatError("nhs_number", "must be 10 digits")
        is_child = obj.get("is_child")
        if is_child is not None and not isinstance(is_child, bool):
            raise SubjectFormatError("is_child", "must be true or false")
        assert ref is not None and family_name is not None
        return cls(
            ref=ref,
            family_name=family_name,
            given_names=given_names,
            aliases=tuple(aliases_raw),
            dob=dob,
            addresses=addresses,
            nhs_number=nhs,
            is_child=is_child,
        )

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"ref": self.ref, "family_name": self.family_name}
        if self.given_names:
            out["given_names"] = self.given_names
        if self.aliases:
            out["aliases"] = list(self.aliases)
        if self.dob is not None:
            out["dob"] = self.dob.isoformat()
        if self.addresses:
            out["addresses"] = [a.to_json() for a in self.addresses]
        if self.nhs_number is not None:
            out["nhs_number"] = self.nhs_number
        if self.is_child is not None:
            out["is_child"] = self.is_child
        return out


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A member of the council's staff: their name and contact details are not service-user data."""

    family_name: str
    given_names: str = ""
    email: str | None = None
    phone: str | None = None

    @classmethod
    def from_json(cls, raw: object) -> StaffMember:
        obj = _mapping(raw)
        family_name = _text(obj, "family_name", required=True)
        assert family_name is not None
        return cls(
            family_name=family_name,
            given_names=_text(obj, "given_names", required=False) or "",
            email=_text(obj, "email", required=False),
            phone=_text(obj, "phone", required=False),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """A span of the ORIGINAL text (Python str indices) holding personal data."""

    start: int
    end: int
    label: Label
    subject_ref: str | None = None
    text: str = field(default="", compare=False)
    # Why it fired, in plain English ("the full name of someone on the council's records").
    why: str = field(default="", compare=False)
    # A phone number or e-mail address the message says is a service user's or their family's own.
    of_service_user: bool = field(default=False, compare=False)

    def to_json(self, *, with_text: bool = False) -> dict[str, object]:
        out: dict[str, object] = {"start": self.start, "end": self.end, "label": str(self.label)}
        if self.subject_ref is not None:
            out["subject_ref"] = self.subject_ref
        if with_text:  # the detailed form (`scan --json`, the check API): what was found and why
            out["text"] = self.text
            if self.why:
                out["why"] = self.why
        return out


# Identifiers that point at one individual on their own (policy 1.1: "personal identifiable information").
INDIVIDUAL_LABELS: frozenset[Label] = frozenset(
    {Label.PERSON, Label.DOB, Label.NHS_NUMBER, Label.NI_NUMBER, Label.CASE_REF}
)


def is_service_user_personal_data(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    """True when the findings are personal data about a service user: the outbound gateway blocks these
    on an insecure channel (policy 1.1). A finding tied to a known subject counts, as does any identifier
    of an individual (name, date of birth, NHS/NI number, the council's person or case reference), and
    so does a known subject's home address even when several subjects share it (the finder then names
    no one person), and a phone number or e-mail address the message says is a service user's own. A lone
    postcode, e-mail address or phone number not tied to a subject does not."""
    return any(
        f.subject_ref is not None
        or f.label in INDIVIDUAL_LABELS
        or f.label is Label.ADDRESS
        or f.of_service_user
        for f in findings
    )


@dataclass(frozen=True, slots=True)
class ScanResult:
    contains_personal_data: bool
    findings: list[Finding]

    @property
    def is_service_user_personal_data(self) -> bool:
        return is_service_user_personal_data(self.findings)

    def to_json(self, *, with_text: bool = False) -> dict[str, object]:
        return {
            "contains_personal_data": self.contains_personal_data,
            "findings": [f.to_json(with_text=with_text) for f in self.findings],
        }
