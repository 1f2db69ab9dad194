"""The subject-access bundle as a PDF (reportlab): cover letter with Article 15's information,
a contents page, page numbers, and TRUE redactions: withheld text is removed from the text before
it reaches the renderer, so it is nowhere in the file.

Attachments the reviewer has read by hand and included go in after their entry: a PDF's own
pages are merged in (pypdf) on pages reserved for them, so the contents page stays right; a PNG or
JPEG image is drawn on a page of its own; a Word document is listed as provided separately.
"""

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
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from discretion.csv_cells import safe_row
from discretion.information_rights import tagged_pdf
from discretion.information_rights.compile import CompiledSar, redacted
from discretion.information_rights.documents import log as document_log
from discretion.information_rights.models import AttachmentReview, Redaction, RedactionDecision, SarCase
from discretion.records.models import Attachment

RIGHTS = [
    "to have inaccurate personal data corrected (rectification, Article 16)",
    "to have personal data erased where the law allows (Article 17)",
    "to restrict how we use your personal data (Article 18)",
    "to object to our use of your personal data (Article 21)",
    "to ask us for an internal review of how we handled this request; we reply within 20 working days",
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
        with tagged_pdf.artifact(canvas):
            canvas.saveState()
            canvas.setFont("Helvetica", 9)
            canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")
            canvas.drawString(20 * mm, 10 * mm, "OFFICIAL-SENSITIVE: personal data")
            canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name in TOC_LEVELS:
            self.notify("TOCEntry", (TOC_LEVELS[flowable.style.name], flowable.getPlainText(), self.page))


# Headings that make a line on the contents page, and their level.
TOC_LEVELS = {"Section": 0, "AttachmentHeading": 1}


class _ReservedPage(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Marks the page it lands on as reserved for one page of an attached PDF (merged in later).
    Every build pass records the page number again, so the last pass (the one written) wins."""

    def __init__(self, key: tuple[int, int], pages: dict[tuple[int, int], int]) -> None:
        super().__init__()
        self.key, self.pages = key, pages

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.pages[self.key] = self.canv.getPageNumber()


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
WORD_TYPES = frozenset(
    {
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)


def attachment_kind(attachment: Attachment, content: bytes) -> str:
    """ "pdf", "image", "word" or "other": by the file's own bytes where they say, never its name alone."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith((PNG_MAGIC, JPEG_MAGIC)):
        return "image"
    name = attachment.original_name.lower()
    if attachment.content_type in WORD_TYPES or name.endswith((".doc", ".docx")):
        return "word"
    return "other"


def _pdf_pages(content: bytes) -> list[Any]:
    """The pages of an attached PDF, or [] when it cannot be read (damaged, or locked by a password)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            return []
        return list(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return []


def _image(content: bytes, max_width: float, max_height: float, alt: str = "") -> Image | None:
    try:
        width, height = ImageReader(io.BytesIO(content)).getSize()
    except Exception:  # reportlab/PIL raise many kinds for a damaged image
        return None
    if not width or not height:
        return None
    scale = min(max_width / width, max_height / height, 1.0)
    return tagged_pdf.TaggedImage(io.BytesIO(content), width=width * scale, height=height * scale, alt=alt)


def _attachment_story(
    attachment: Attachment,
    content: bytes | None,
    *,
    styles: dict[str, ParagraphStyle],
    reserved: dict[tuple[int, int], int],
    merged: dict[int, list[Any]],
    frame: tuple[float, float],
) -> list[Any]:
    """The flowables for one attachment after its entry (see the module docstring)."""
    label = f"{attachment.original_name} ({attachment.size} bytes)"
    if content is None:
        # Not reviewed by hand, or withheld by the reviewer (redaction review).
        return [_p(f"Attached document: {label} – not included in this bundle.", styles["small"])]
    kind = attachment_kind(attachment, content)
    heading = _p(f"Attached document: {attachment.original_name}", styles["attachment"])
    if kind == "pdf":
        pages = _pdf_pages(content)
        if pages:
            merged[attachment.pk] = pages
            story: list[Any] = [
                PageBreak(),
                heading,
                _p(
                    f"The {len(pages)} page{'s' if len(pages) != 1 else ''} after this one are a copy of "
                    "this document, which is attached to the entry before it.",
                    styles["body"],
                ),
            ]
            for number in range(len(pages)):
                story += [PageBreak(), _ReservedPage((attachment.pk, number), reserved)]
            return [*story, PageBreak()]
    elif kind == "image":
        image = _image(
            content, frame[0], frame[1] - 30 * mm, f"The attached document {attachment.original_name}"
        )
        if image is not None:
            return [PageBreak(), heading, image, PageBreak()]
    elif kind == "word":
        return [
            heading,
            _p(
                f"{label}: provided separately. Note: this is a Word document, which cannot be reproduced "
                "in this bundle; a copy, checked in the same way, is provided with it.",
                styles["small"],
            ),
        ]
    return [
        heading,
        _p(
            f"{label}: this file cannot be reproduced in this bundle. Ask us for a copy.",
            styles["small"],
        ),
    ]


def _merge(base: bytes, reserved: dict[tuple[int, int], int], merged: dict[int, list[Any]]) -> bytes:
    """Put each attached PDF page on the page reserved for it, with the bundle's footer laid over it
    (page number and marking), so the contents page and page numbers hold."""
    from pypdf import PdfReader, PdfWriter

    by_page = {page: key for key, page in reserved.items()}
    writer = PdfWriter()
    for number, page in enumerate(PdfReader(io.BytesIO(base)).pages, start=1):
        key = by_page.get(number)
        if key is None:
            writer.add_page(page)
            continue
        added = writer.add_page(merged[key[0]][key[1]])
        added.pop("/AA", None)  # a page's open/close actions (scripts) do not travel with a copy
        added.merge_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return tagged_pdf.TaggedParagraph(escape(text).replace("\n", "<br/>"), style)


def render_bundle(
    sar: SarCase,
    compiled: CompiledSar,
    *,
    council_name: str,
    attachment_contents: dict[int, bytes] | None = None,
    signer: str = "",
    contact: dict[str, str] | None = None,
) -> bytes:
    """The bundle. `attachment_contents` holds the files of the attachments the reviewer included
    (read through access); any other attachment is only listed."""
    contents = attachment_contents or {}
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    section = ParagraphStyle("Section", parent=styles["Heading1"])
    sub = styles["Heading3"]
    small = ParagraphStyle("Small", parent=body, fontSize=8, textColor="#505a5f")
    list_item = ParagraphStyle("ListItem", parent=body, leftIndent=4 * mm)
    attachment_style = ParagraphStyle("AttachmentHeading", parent=styles["Heading4"])
    flow_styles = {"body": body, "small": small, "attachment": attachment_style}
    reserved: dict[tuple[int, int], int] = {}
    merged: dict[int, list[Any]] = {}
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
            "[redacted], with the reason where giving it would not itself reveal what was withheld.",
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
        story.append(_p("• You have the right " + right + ".", list_item))
    story.append(_p("We do not make decisions about you by automated means alone.", body))
    story += _contact_and_signature(council_name, contact or {}, signer, body)
    story.append(PageBreak())

    toc = tagged_pdf.TaggedContents()
    toc.levelStyles = [
        ParagraphStyle("TOC0", parent=body, fontSize=11, leading=14),
        ParagraphStyle("TOC1", parent=body, fontSize=10, leading=13, leftIndent=12 * mm),
    ]
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
        if compiled_case.own:
            story.append(_p(f"Case {case.ref}: {case.kind} (opened {case.opened_on:%-d %B %Y})", section))
        else:  # another child's file: its reference and kind are that child's, not the requester's
            story.append(_p("Entries about you in another child's records", section))
        for entry in compiled_case.entries:
            author = entry.author.display_name if entry.author else "Children's Services"
            story.append(_p(f"{entry.get_kind_display()} – {entry.occurred_on:%-d %B %Y} – {author}", sub))
            story.append(_p(redacted(entry.text, compiled.withheld.get(entry.pk, [])), body))
            for att in compiled.attachments.get(entry.pk, []):
                story += _attachment_story(
                    att,
                    contents.get(att.pk),
                    styles=flow_styles,
                    reserved=reserved,
                    merged=merged,
                    frame=(A4[0] - 40 * mm, A4[1] - 40 * mm),
                )
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
    title = f"Subject access {sar.ref}"
    doc = _Doc(buffer, title=title, author=council_name)
    with tagged_pdf.tagging() as tagger:
        doc.multiBuild(story)
    content = _merge(buffer.getvalue(), reserved, merged) if merged else buffer.getvalue()
    return tagged_pdf.finish(content, tagger, title=title, author=council_name)


def _contact_and_signature(
    council_name: str, contact: dict[str, str], signer: str, body: ParagraphStyle
) -> list[Any]:
    """Who to write to, and who signed the bundle off (or that it is a draft until someone has)."""
    lines = [contact.get("team", ""), council_name, contact.get("address", "")]
    reach = [
        f"E-mail: {contact['email']}" if contact.get("email") else "",
        f"Telephone: {contact['phone']}" if contact.get("phone") else "",
    ]
    story = [
        _p("If you have any questions about this bundle, please contact us:", body),
        _p("\n".join(line for line in lines + reach if line), body),
    ]
    if signer:
        story += [_p("Yours sincerely,", body), _p(f"{signer}\nInformation Governance Officer", body)]
    else:
        story.append(_p("DRAFT: not yet signed off by a second information governance officer.", body))
    return story


def redaction_log_csv(sar: SarCase) -> str:
    """The redaction log: every redaction and every decision on it, for the file (not released);
    then each attachment of the compiled entries (ids only), whether it was reviewed by hand and
    included, or withheld pending review (its text cannot be redacted automatically)."""
    out = io.StringIO()
    writer = csv.writer(out)
    write = writer.writerow

    def writerow(values: list[object]) -> None:
        write(safe_row(values))

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
            "attachment",
            "reviewed_by_hand",
            *document_log.COLUMNS,
        ]
    )
    for red in Redaction.objects.filter(sar=sar).prefetch_related("decisions__decided_by").order_by("id"):
        decisions: list[RedactionDecision | None] = [*red.decisions.all()] or [None]
        for d in decisions:
            writerow(
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
                    "",
                    "",
                ]
            )
    latest: dict[int, AttachmentReview] = {}
    for review in AttachmentReview.objects.filter(sar=sar).select_related("decided_by").order_by("id"):
        latest[review.attachment_id] = review
    attachments = Attachment.objects.filter(entry_id__in=sar.entry_ids).order_by("entry_id", "id")
    for attachment_id, entry_id in attachments.values_list("id", "entry_id"):
        found = latest.get(attachment_id)
        if found is None:
            decision = "withheld pending review"
        else:
            decision = "included" if found.include else "withheld by the reviewer"
        writerow(
            [
                "",
                entry_id,
                "",
                "",
                "attachment",
                "reviewer",
                decision,
                found.decided_by.username if found else "",
                found.decided_at.isoformat() if found else "",
                found.note if found else "",
                attachment_id,
                "yes" if found is not None else "no",
            ]
        )
    for row in document_log.box_rows(sar):  # boxes on document pages: page, ground, who decided
        writerow(row)
    return out.getvalue()
