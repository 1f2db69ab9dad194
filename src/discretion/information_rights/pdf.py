"""The subject-access bundle as a PDF (reportlab): cover letter with Article 15's information,
a contents page, page numbers, and TRUE redactions: withheld text is removed from the text before
it reaches the renderer, so it is nowhere in the file."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Spacer
from reportlab.platypus.tableofcontents import TableOfContents

from discretion.information_rights.compile import CompiledSar, redacted
from discretion.information_rights.models import Redaction, RedactionDecision, SarCase

RIGHTS = [
    "to have inaccurate personal data corrected (rectification, Article 16)",
    "to have personal data erased where the law allows (Article 17)",
    "to restrict how we use your personal data (Article 18)",
    "to object to our use of your personal data (Article 21)",
    "to complain to us, and to the Information Commissioner's Office, Wycliffe House, Water Lane, "
    "Wilmslow SK9 5AF, ico.org.uk, 0303 123 1113 (Article 77)",
]
PURPOSES = (
    "to safeguard and promote the welfare of children (Children Act 1989 ss17 and 47), to provide "
    "services to children in need, looked-after children and care leavers, and to meet our legal duties"
)
CATEGORIES = (
    "identity and contact details; family and relationships; case records, assessments, visit and "
    "referral records; correspondence and court documents; where relevant, health and other "
    "special-category data"
)
RETENTION = (
    "Children's social care records are kept in line with the council's retention schedule: "
    "for a looked-after child, until the 75th birthday (or 15 years after death); otherwise until "
    "the 25th birthday, or for longer where an inquiry or the law requires."
)
SOURCES = (
    "you and your family; other professionals and agencies (schools, health services, the police); "
    "and members of the public who made a referral"
)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class _Doc(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
    def __init__(self, buffer: io.BytesIO, **kwargs: Any) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            **kwargs,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._number)])

    def _number(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")
        canvas.drawString(20 * mm, 10 * mm, "OFFICIAL-SENSITIVE: personal data")
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "Section":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def render_bundle(sar: SarCase, compiled: CompiledSar, *, council_name: str) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    section = ParagraphStyle("Section", parent=styles["Heading1"])
    sub = styles["Heading3"]
    small = ParagraphStyle("Small", parent=body, fontSize=8, textColor="#505a5f")
    story: list[Any] = []
    person = compiled.person
    today = timezone.localdate()

    # Cover letter: UK GDPR Article 15(1) and (2).
    story.append(_p(council_name + " – Children's Services", styles["Title"]))
    story.append(_p(f"{today:%-d %B %Y}", body))
    story.append(_p(f"Dear {sar.requester_name},", body))
    story.append(
        _p(
            f"Your subject access request {sar.ref}, received on {sar.received_on:%-d %B %Y}, "
            f"for the records we hold about {person.full_name}.",
            body,
        )
    )
    story.append(
        _p(
            "This bundle contains a copy of the personal data we hold. Some information has been removed "
            "where the law requires it: information about other people, information given in confidence, "
            "and information whose release could cause serious harm. Each removal is marked "
            "[redacted: reason].",
            body,
        )
    )
    story.append(_p("Why we hold it (purposes): " + PURPOSES + ".", body))
    story.append(_p("What we hold (categories): " + CATEGORIES + ".", body))
    recipients = sorted(
        {r.recipient_organisation or r.recipient_category or "an individual" for r in compiled.recipients}
    )
    story.append(
        _p(
            "Who it has been shared with (recipients, from our disclosure register): "
            + ("; ".join(recipients) if recipients else "no one outside Children's Services")
            + ".",
            body,
        )
    )
    story.append(_p("How long we keep it: " + RETENTION, body))
    story.append(_p("Where it came from: " + SOURCES + ".", body))
    story.append(_p("Your rights:", body))
    for right in RIGHTS:
        story.append(_p("• You have the right " + right + ".", body))
    story.append(_p("We do not make decisions about you by automated means alone.", body))
    story.append(PageBreak())

    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("TOC0", parent=body, fontSize=11, leading=14)]
    story.append(_p("Contents", styles["Heading1"]))
    story.append(toc)
    story.append(PageBreak())

    story.append(_p("About you", section))
    story.append(_p(f"Name: {person.full_name}", body))
    if compiled.aliases:
        story.append(_p("Other names: " + ", ".join(compiled.aliases), body))
    if person.date_of_birth:
        story.append(_p(f"Date of birth: {person.date_of_birth:%-d %B %Y}", body))
    story.append(_p(f"Our reference: {person.ref}", body))

    for compiled_case in compiled.cases:
        case = compiled_case.case
        story.append(PageBreak())
        story.append(_p(f"Case {case.ref}: {case.kind} (opened {case.opened_on:%-d %B %Y})", section))
        for entry in compiled_case.entries:
            author = entry.author.display_name if entry.author else "Children's Services"
            story.append(_p(f"{entry.get_kind_display()} – {entry.occurred_on:%-d %B %Y} – {author}", sub))
            story.append(_p(redacted(entry.text, compiled.withheld.get(entry.pk, [])), body))
            for att in compiled.attachments.get(entry.pk, []):
                story.append(_p(f"Attached document: {att.original_name} ({att.size} bytes)", small))
            story.append(Spacer(1, 2 * mm))

    story.append(PageBreak())
    story.append(_p("Who your information was shared with", section))
    if not compiled.recipients:
        story.append(_p("Our disclosure register records no sharing outside Children's Services.", body))
    for d in compiled.recipients:
        story.append(
            _p(
                f"{d.released_at:%-d %B %Y}: {d.recipient_organisation or d.recipient_category} "
                f"– {d.purpose or d.summary}",
                body,
            )
        )

    buffer = io.BytesIO()
    doc = _Doc(buffer, title=f"Subject access {sar.ref}", author=council_name)
    doc.multiBuild(story)
    return buffer.getvalue()


def redaction_log_csv(sar: SarCase) -> str:
    """The redaction log: every redaction and every decision on it, for the file (not released)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "redaction",
            "entry",
            "start",
            "end",
            "reason",
            "proposed_by",
            "decision",
            "decided_by",
            "decided_at",
            "note",
        ]
    )
    for red in Redaction.objects.filter(sar=sar).prefetch_related("decisions__decided_by").order_by("id"):
        decisions: list[RedactionDecision | None] = [*red.decisions.all()] or [None]
        for d in decisions:
            writer.writerow(
                [
                    red.pk,
                    red.entry_id,
                    red.start,
                    red.end,
                    red.reason,
                    "system" if red.proposed_by_system else "reviewer",
                    d.decision if d else red.decision,
                    d.decided_by.username if d else "",
                    d.decided_at.isoformat() if d else "",
                    d.note if d else "",
                ]
            )
    return out.getvalue()
