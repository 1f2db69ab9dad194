"""Pages of the synthetic care file: text for letters, notes and reports about a child and the
people around them, rendered as a PDF with a text layer, as a scan (noise, a slight rotation,
typed or in a handwriting-like font from Debian's packages), as Word, or as an e-mail. A scan
records where each third party's name landed (the truth proposals are measured against)."""

from __future__ import annotations

import io
import math
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

SCAN_DPI = 200
A4_PX = (1654, 2339)  # A4 at 200 dpi
# Debian: fonts-femkeklaver (a simple handwriting font, GPL-2+) and fonts-dejavu-core.
HANDWRITING = Path("/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf")
TYPED = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")

SENTENCES = [
    "Visited {child} at home; {tp} answered the door and said {child} was upstairs.",
    "{tp} told me that {tp2} had been staying at the flat since the weekend.",
    "{child} said school was going well and that maths was the best lesson.",
    "Spoke to {tp} by telephone about contact arrangements for Saturday.",
    "The bedroom was clean and warm; {child} showed me the new bunk beds.",
    "{tp} was worried about money and the gas meter running out again.",
    "Concerns were raised by {tp} about {tp2} shouting late at night.",
    "{child} attended the review meeting and read out a statement.",
    "The health visitor confirmed immunisations are up to date.",
    "{tp} agreed to attend the parenting course starting next month.",
    "Plan discussed with {child}: keep going to football club on Tuesdays.",
    "{tp2} did not attend the core group meeting and sent no apologies.",
    "School report: {child} has made good progress in reading this term.",
    "The court directed a further assessment of {tp} before the final hearing.",
]


@dataclass(frozen=True)
class Cast:
    child: str  # the subject's full name
    child_given: str
    third_parties: tuple[str, ...]  # full names of the people around the child
    staff: tuple[str, ...]


@dataclass(frozen=True)
class Spot:
    page: int  # 1-based within the file
    token: str  # one word of a third party's name
    box: tuple[float, float, float, float]  # fractions of the page


def lines_for(rng: random.Random, cast: Cast, count: int) -> list[str]:
    text = []
    for _ in range(count):
        tp, tp2 = rng.sample(cast.third_parties, 2)
        if rng.random() < 0.3:
            tp = tp.split()[0]  # a given name on its own
        sentence = rng.choice(SENTENCES).format(
            child=rng.choice([cast.child, cast.child_given]), tp=tp, tp2=tp2
        )
        text.append(sentence)
    return text


def text_pdf(pages: list[list[str]], title: str) -> bytes:
    """A born-digital document: one canvas page per list of lines (so the page count is exact)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setTitle(title)
    for lines in pages:
        y = A4[1] - 60
        pdf.setFont("Helvetica-Bold", 13)
        pdf.drawString(60, y, title)
        y -= 30
        pdf.setFont("Times-Roman", 11)
        for line in lines:
            for wrapped in textwrap.wrap(line, 85) or [""]:
                pdf.drawString(60, y, wrapped)
                y -= 15
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _rotate_point(x: float, y: float, angle: float, cx: float, cy: float) -> tuple[float, float]:
    a = math.radians(angle)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)


def scan(
    rng: random.Random, lines: list[str], names: set[str], *, handwriting: bool, page: int
) -> tuple[Image.Image, list[Spot]]:
    """A scanned page: the lines typed or handwritten, turned slightly, with specks and grain.
    Returns the image and where each word of `names` (third parties' name words) is."""
    width, height = A4_PX
    image = Image.new("L", A4_PX, 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(HANDWRITING if handwriting else TYPED), 58 if handwriting else 38)
    step = 92 if handwriting else 58
    ascent, descent = font.getmetrics()
    spots: list[tuple[str, tuple[float, float, float, float]]] = []
    y = 170
    for line in lines:
        for wrapped in textwrap.wrap(line, 42 if handwriting else 62):
            if y > height - 200:
                break
            x = 150 + rng.randint(-6, 6)
            draw.text((x, y), wrapped, font=font, fill=rng.randint(10, 50))
            pos = 0
            for word in wrapped.split(" "):
                start = wrapped.index(word, pos)
                pos = start + len(word)
                bare = word.strip(".,;:'’s").strip(".,;:")
                bare = word.rstrip(".,;:").removesuffix("'s").removesuffix("’s")
                if bare in names:
                    left = x + draw.textlength(wrapped[:start], font=font)
                    right = left + draw.textlength(bare, font=font)
                    spots.append((bare, (left, y, right, y + ascent + descent)))
            y += step
    angle = rng.uniform(-1.5, 1.5)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=250)
    grain = Image.effect_noise(A4_PX, 14)
    image = ImageChops.add(image, grain, scale=1.0, offset=-128)
    draw = ImageDraw.Draw(image)
    for _ in range(900):
        cx, cy = rng.randrange(width), rng.randrange(height)
        draw.ellipse((cx, cy, cx + rng.randint(1, 3), cy + rng.randint(1, 3)), fill=rng.randint(0, 90))
    image = image.filter(ImageFilter.GaussianBlur(0.5))
    out = []
    for token, (x0, y0, x1, y1) in spots:
        corners = [
            _rotate_point(px, py, angle, width / 2, height / 2)
            for px, py in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))
        ]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        out.append(Spot(page, token, (min(xs) / width, min(ys) / height, max(xs) / width, max(ys) / height)))
    return image, out


def scanned_pdf(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI, quality=75
    )
    return buffer.getvalue()


def image_file(images: list[Image.Image], kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "tiff":
        images[0].save(
            buffer,
            format="TIFF",
            save_all=True,
            append_images=images[1:],
            compression="tiff_deflate",
            dpi=(SCAN_DPI, SCAN_DPI),
        )
    elif kind == "jpeg":
        images[0].save(buffer, format="JPEG", quality=80, dpi=(SCAN_DPI, SCAN_DPI))
    else:
        images[0].save(buffer, format="PNG", dpi=(SCAN_DPI, SCAN_DPI))
    return buffer.getvalue()


def word_document(title: str, lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def eml(headers: dict[str, str], body: str, attachments: list[tuple[str, bytes, str]]) -> bytes:
    from email.message import EmailMessage

    message = EmailMessage()
    for key, value in headers.items():
        message[key] = value
    message.set_content(body)
    for name, content, mime in attachments:
        main, _, sub = mime.partition("/")
        message.add_attachment(content, maintype=main, subtype=sub, filename=name)
    return bytes(message)
