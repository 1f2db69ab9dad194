"""Identifiers masked in what volunteers and students see (policy 1.2): NHS numbers and the like in an entry's title and text, found by the finder among the case's own people."""

from __future__ import annotations

import copy as _copy
from typing import Any

from discretion.access.grants import Grant, mask_identifier
from discretion.detect import SubjectIndex
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.records.finder import load_subjects
from discretion.records.models import (
    Case,
    CaseMember,
    Entry,
)

_WITHHELD_WORDS = {
    "EMAIL": "[e-mail address withheld]",
    "ADDRESS": "[address withheld]",
    "POSTCODE": "[postcode withheld]",
}


def mask_identifiers_in(text: str, index: Any) -> tuple[str, int]:
    """`text` with every identifier the finder sees in it masked (policy 1.2: those under supervision
    see no identifier in full): numbers as `mask_identifier` shows them (the last 3 only), an e-mail
    address, home address or postcode replaced by words saying one was withheld. Returns the text
    and how many were masked."""
    from discretion.detect.identifiers import identifier_spans

    spans = identifier_spans(text, index)
    if not spans:
        return text, 0
    out, pos = [], 0
    for start, end, label in spans:
        out.append(text[pos:start])
        out.append(_WITHHELD_WORDS.get(str(label)) or mask_identifier(text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out), len(spans)


def _case_people_index(case_id: int) -> Any:
    """The finder's index of one case's people (their names, numbers and homes), so their addresses
    are known when written out in an entry."""
    people = set(CaseMember.objects.filter(case_id=case_id).values_list("person_id", flat=True))
    people |= set(Case.objects.filter(pk=case_id).values_list("subject_id", flat=True))
    return SubjectIndex(load_subjects(people))


def _shown_entries(case_id: int, entries: list[Entry], grant: Grant) -> tuple[list[Entry], int]:
    """The entries as this grant may see them: for a grant that masks identifiers, copies whose title
    and text have every identifier masked (the stored entry is never touched). Returns how many
    identifiers were masked."""
    if not grant.masks_identifiers or not entries:
        return entries, 0
    index = _case_people_index(case_id)
    shown, masked = [], 0
    for entry in entries:
        copy = _copy.copy(entry)  # Django copies the instance's state and cached relations
        copy.text, in_text = mask_identifiers_in(entry.text, index)
        copy.title, in_title = mask_identifiers_in(entry.title, index)
        shown.append(copy)
        masked += in_text + in_title
    return shown, masked
