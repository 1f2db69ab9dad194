"""True redaction of a page: the released page is its image with the boxes burned in (pixels set
to black) and a fresh, invisible text layer read by OCR from the burned image, so nothing under a
box survives in any form. The PDF is written anew (reportlab): no text, annotation, attachment or
metadata of the original document travels with it."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence

from PIL import Image, ImageDraw
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from discretion.information_rights.documents import ocr

Box = tuple[float, float, float, float]  # fractions of the page
DISPLAY_DPI = 150  # the stored page images are A4 at 150 dpi (extract.DISPLAY_WIDTH)
FONT = "Helvetica"


def boxes_key(boxes: Sequence[Box]) -> str:
    """Identifies the boxes a page was burned with (a cached burn is reused only for the same)."""
    canonical = json.dumps(sorted([round(v, 5) for v in b] for b in boxes))
    return hashlib.sha256(canonical.encode()).hexdigest()


def burn(image: Image.Image, boxes: Sequence[Box]) -> Image.Image:
    """The image with every box filled black, rounded outwards to whole pixels."""
    burned = image.convert("L").copy()
    draw = ImageDraw.Draw(burned)
    w, h = burned.size
    for x0, y0, x1, y1 in boxes:
        draw.rectangle(
            (int(x0 * w) - 1, int(y0 * h) - 1, int(x1 * w + 0.999) + 1, int(y1 * h + 0.999) + 1), fill=0
        )
    return burned


def page_pdf(burned: Image.Image, reading: ocr.Reading) -> bytes:
    """A one-page PDF: the burned image, and the words OCR read on it as invisible text."""
    width_pt = burned.width * 72 / DISPLAY_DPI
    height_pt = burned.height * 72 / DISPLAY_DPI
    jpeg = io.BytesIO()
    burned.save(jpeg, format="JPEG", quality=70)
    jpeg.seek(0)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width_pt, height_pt), invariant=True, pageCompression=1)
    pdf.setTitle("")
    pdf.setAuthor("")
    pdf.setCreator("")
    pdf.setSubject("")
    pdf.setKeywords("")
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(jpeg), 0, 0, width=width_pt, height=height_pt)
    text = pdf.beginText()
    text.setTextRenderMode(3)  # invisible: found by search and copy, never drawn
    for word in reading.words:
        size = max(1.0, (word.y1 - word.y0) * height_pt * 0.85)
        label = word.text.encode("latin-1", errors="replace").decode("latin-1")
        natural = stringWidth(label, FONT, size) or 1.0
        text.setFont(FONT, size)
        text.setHorizScale(100 * (word.x1 - word.x0) * width_pt / natural)
        text.setTextOrigin(word.x0 * width_pt, height_pt - word.y1 * height_pt + size * 0.15)
        text.textOut(label)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def release_page(image: Image.Image, boxes: Sequence[Box]) -> bytes:
    """Burn, read the burned image again, and keep no "word" OCR sees touching a black box (its
    guesses at a solid rectangle, or a box read together with the word beside it): no character
    of the text layer lies under a box."""
    burned = burn(image, boxes)
    reading = ocr.recognise(burned, dpi=DISPLAY_DPI)
    kept = [
        w
        for w in reading.words
        if not any(w.x0 < b[2] and w.x1 > b[0] and w.y0 < b[3] and w.y1 > b[1] for b in boxes)
    ]
    return page_pdf(burned, ocr.Reading(kept, reading.confidence))
