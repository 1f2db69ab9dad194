"""A document's bytes as pages: an image of each page, and its words with positions from the
text layer where there is one; pages without one are read by OCR (the pipeline runs `ocr`).

Kinds are told by the file's own bytes first, its name second: PDF (text or scanned), images
(TIFF, JPEG, PNG; every frame of a TIFF), Word (.docx, .doc through LibreOffice), e-mails (.eml,
.msg) printed as a page of text, their attachments becoming documents of their own.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pypdfium2 as pdfium
from PIL import Image, ImageOps, ImageSequence

from discretion.information_rights.documents import mail, office
from discretion.information_rights.documents.ocr import Word

DISPLAY_WIDTH = 1275  # pixels: an A4 page at 150 dpi, what the reviewer sees and what is released
RENDER_DPI = 150
OCR_DPI = 200  # a PDF page without text is rendered at this resolution for OCR
MIN_TEXT_CHARS = 12  # fewer characters in the text layer than this: treat the page as a scan
Image.MAX_IMAGE_PIXELS = 80_000_000  # a page image larger than this is refused (decompression bombs)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIFF_MAGIC = (b"II*\x00", b"MM\x00*")
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", *TIFF_MAGIC)


class Unreadable(ValueError):
    """Not a document kind that can be read, or a damaged one; the message says which."""


@dataclass
class SourcePage:
    image: Image.Image  # grayscale, DISPLAY_WIDTH wide at most
    words: list[Word] | None  # the text layer's words; None: to be read by OCR
    ocr_image: Image.Image | None = None
    ocr_dpi: int = OCR_DPI


@dataclass
class Opened:
    kind: str
    page_count: int
    pages: Callable[[int], Iterator[SourcePage]]  # pages from a 0-based index on
    parts: list[mail.MailPart] = field(default_factory=list)


def kind_of(content: bytes, name: str) -> str:
    """ "pdf", "image", "docx", "doc", "eml", "msg" or "other"."""
    lower = name.lower()
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(IMAGE_MAGIC):
        return "image"
    if content.startswith(OLE_MAGIC):
        return "msg" if lower.endswith(".msg") else "doc"
    if content.startswith(b"PK\x03\x04") and _is_docx(content):
        return "docx"
    if lower.endswith(".eml") or (not content.startswith(b"PK") and _looks_like_mail(content)):
        return "eml"
    return "other"


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _looks_like_mail(content: bytes) -> bool:
    head = content[:2000].decode("latin-1").lower()
    return "\nsubject:" in f"\n{head}" and ("\nfrom:" in f"\n{head}")


def open_document(content: bytes, name: str) -> Opened:
    kind = kind_of(content, name)
    if kind == "pdf":
        return _open_pdf(content, "pdf")
    if kind == "image":
        return _open_image(content)
    if kind in ("docx", "doc"):
        try:
            return _open_pdf(office.to_pdf(content, f".{kind}"), kind)
        except office.ConversionFailed as exc:
            raise Unreadable(str(exc)) from None
    if kind in ("eml", "msg"):
        try:
            message = mail.read_eml(content) if kind == "eml" else mail.read_msg(content)
        except (mail.MailUnreadable, OSError) as exc:
            raise Unreadable(str(exc)) from None
        opened = _open_pdf(text_pdf(message.printable()), kind)
        opened.parts = message.attachments
        return opened
    raise Unreadable("This kind of file cannot be read: review it by hand.")


def _gray(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image) or image
    return image.convert("L")


def _display(image: Image.Image) -> Image.Image:
    if image.width <= DISPLAY_WIDTH:
        return image
    height = round(image.height * DISPLAY_WIDTH / image.width)
    return image.resize((DISPLAY_WIDTH, height), Image.Resampling.LANCZOS)


def _open_pdf(content: bytes, kind: str) -> Opened:
    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError:
        raise Unreadable("This PDF is damaged or locked by a password.") from None
    count = len(document)

    def pages(start: int) -> Iterator[SourcePage]:
        for index in range(start, count):
            page = document[index]
            words = _text_layer(page)
            if words is not None:
                image = page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil().convert("L")
                yield SourcePage(_display(image), words)
            else:
                scan = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil().convert("L")
                yield SourcePage(_display(scan), None, scan, OCR_DPI)
            page.close()

    return Opened(kind, count, pages)


def _text_layer(page: pdfium.PdfPage) -> list[Word] | None:
    """The page's words with boxes (fractions of the page), or None when it has no text layer."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if sum(1 for ch in text if not ch.isspace()) < MIN_TEXT_CHARS:
            return None
        width, height = page.get_size()
        words: list[Word] = []
        current: list[tuple[str, tuple[float, float, float, float]]] = []
        line, last_top = 0, None

        def flush() -> None:
            if current:
                left = min(b[0] for _, b in current)
                bottom = min(b[1] for _, b in current)
                right = max(b[2] for _, b in current)
                top = max(b[3] for _, b in current)
                word = "".join(ch for ch, _ in current)
                words.append(
                    Word(left / width, 1 - top / height, right / width, 1 - bottom / height, word, line)
                )
                current.clear()

        for index in range(min(count, len(text))):
            char = text[index]
            if char.isspace() or char == "\x00":
                flush()
                if char in "\r\n":
                    line += 1
                continue
            box = textpage.get_charbox(index, loose=True)
            if last_top is not None and abs(box[3] - last_top) > (box[3] - box[1]) * 0.8 and current:
                flush()
                line += 1
            last_top = box[3]
            current.append((char, box))
        flush()
        return words
    finally:
        textpage.close()


def _open_image(content: bytes) -> Opened:
    try:
        image = Image.open(io.BytesIO(content))
        count = getattr(image, "n_frames", 1)
    except (OSError, Image.DecompressionBombError, ValueError):
        raise Unreadable("This image is damaged or too large.") from None
    dpi = image.info.get("dpi", (OCR_DPI, OCR_DPI))[0] or OCR_DPI

    def pages(start: int) -> Iterator[SourcePage]:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            if index < start:
                continue
            scan = _gray(frame.copy())
            yield SourcePage(_display(scan), None, scan, round(float(dpi)))

    return Opened("image", count, pages)


def text_pdf(text: str) -> bytes:
    """Plain text (an e-mail) as an A4 PDF with a text layer, so it reads like any other page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm)
    story = [
        Paragraph(escape(block).replace("\n", "<br/>") or " ", styles["BodyText"])
        for block in text.split("\n\n")
    ]
    doc.build(story)
    return buffer.getvalue()
