"""What the guard found, said as the sender would say it: "a child's name in the attachment
report.docx" (issue 14: plain English on the page, never PERSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from discretion.detect.wording import plain
from discretion.outbound.subjects import get_index

if TYPE_CHECKING:
    from discretion.outbound.services import PartFinding


def where(part: str) -> str:
    """ "body" -> "the message", "attachment:report.docx" -> "the attachment report.docx"."""
    head, _, name = part.partition(":")
    if head == "attachment":
        return f"the attachment {name.split('/')[0]}" + (f" ({name.split('/', 1)[1]})" if "/" in name else "")
    return {"subject": "the subject line", "body": "the message", "recipients": "the recipients' names"}.get(
        head, f"the {head}"
    )


def what(pf: PartFinding) -> str:
    subject = get_index().get(pf.finding.subject_ref) if pf.finding.subject_ref else None
    return plain(pf.finding, subject, today=timezone.localdate())


def what_and_where(pf: PartFinding) -> str:
    return f"{what(pf)} in {where(pf.part)}"
