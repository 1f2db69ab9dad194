"""Where a text holds an identifier (NHS number, NI number, phone number, e-mail address, a known
home address or a postcode): the finder's findings of those kinds, and every raw pattern match of
them too, whoever they belong to, so a mask built on these spans leaves no number readable.
Read through the same unmasking as `scan` (detect/unmask.py); spans are in the original text."""

from __future__ import annotations

from discretion.detect.index import SubjectIndex
from discretion.detect.model import Label
from discretion.detect.patterns import find_patterns
from discretion.detect.scan import scan
from discretion.detect.unmask import unmask

IDENTIFIER_LABELS: frozenset[Label] = frozenset(
    {Label.NHS_NUMBER, Label.NI_NUMBER, Label.PHONE, Label.EMAIL, Label.ADDRESS, Label.POSTCODE}
)


def identifier_spans(text: str, index: SubjectIndex) -> list[tuple[int, int, Label]]:
    """Non-overlapping (start, end, label) spans of identifiers in `text`, in order; where two
    overlap, the earlier (then longer) one covers both."""
    found = {(f.start, f.end, f.label) for f in scan(text, index).findings if f.label in IDENTIFIER_LABELS}
    read = unmask(text)
    for m in find_patterns(read.text, index.case_ref_patterns):
        if m.label in IDENTIFIER_LABELS:
            start, end = read.span(m.start, m.end)
            found.add((start, end, m.label))
    merged: list[tuple[int, int, Label]] = []
    for start, end, label in sorted(found, key=lambda s: (s[0], -(s[1] - s[0]))):
        if merged and start < merged[-1][1]:
            first = merged[-1]
            merged[-1] = (first[0], max(first[1], end), first[2])
        else:
            merged.append((start, end, label))
    return merged
