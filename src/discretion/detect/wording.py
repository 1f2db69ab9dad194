"""Findings in plain English, as the people sending the message say it ("a child's name", not PERSON)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from discretion.detect.model import Finding, Label, Subject

_WHAT = {
    Label.PERSON: "a name on the council's records",
    Label.DOB: "a date of birth",
    Label.ADDRESS: "a home address",
    Label.POSTCODE: "a postcode",
    Label.NHS_NUMBER: "an NHS number",
    Label.NI_NUMBER: "a National Insurance number",
    Label.PHONE: "a phone number",
    Label.EMAIL: "an e-mail address",
    Label.CASE_REF: "a council case reference",
}
_WHOSE = {
    Label.PERSON: "name",
    Label.DOB: "date of birth",
    Label.ADDRESS: "home address",
    Label.POSTCODE: "postcode",
    Label.NHS_NUMBER: "NHS number",
    Label.PHONE: "phone number",
    Label.EMAIL: "e-mail address",
    Label.CASE_REF: "council reference",
}


def is_child(subject: Subject | None, today: dt.date) -> bool | None:
    if subject is None:
        return None
    if subject.is_child is not None:
        return subject.is_child
    if subject.dob is None:
        return None
    age = today.year - subject.dob.year - ((today.month, today.day) < (subject.dob.month, subject.dob.day))
    return age < 18


def plain(finding: Finding, subject: Subject | None = None, *, today: dt.date) -> str:
    """What was found, in a few words: "a child's name", "a parent's or carer's date of birth",
    "a family's own phone number", "an NHS number"."""
    child = is_child(subject, today)
    whose = _WHOSE.get(finding.label)
    if whose and child is True:
        return f"a child's {whose}"
    if whose and child is False:
        return f"a parent's or carer's {whose}"
    if finding.label in (Label.PHONE, Label.EMAIL) and finding.of_service_user:
        return f"a family's own {_WHOSE[finding.label]}"
    if finding.label is Label.PERSON and finding.subject_ref is None:
        return "the name of someone on the council's records"
    return _WHAT[finding.label]


# What a caller is told about a match with someone they have no relationship to: that it is someone
# on the records, never which record (nor whether a child), so the finder is no directory.
UNRELATED = "personal data of someone on the council's records"


def masked(finding: Finding) -> Finding:
    """The finding as shown to someone with no relationship to its subject: no reference, no why."""
    return dataclasses.replace(finding, subject_ref=None, why=UNRELATED)
