"""Tesseract (Debian's `tesseract-ocr`), called directly: TSV output gives each word's box and
confidence. One thread per call (OMP_THREAD_LIMIT=1), so pages run side by side on every core."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from dataclasses import dataclass

from PIL import Image

TESSERACT = os.environ.get("DISCRETION_TESSERACT", "tesseract")
# Below this mean word confidence (0–100) a page goes to a person before anything else.
LOW_CONFIDENCE = 60.0
# Below this, the page is read twice more (as one block of text, and binarised): handwriting reads
# differently each way, and a name missed one way is often read another.
SECOND_LOOK = 75.0


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed (scripts/ensure-system-packages.sh installs it)."""


@dataclass(frozen=True, slots=True)
class Word:
    """A word and its box, as fractions of the page (0–1, origin top left); `line` groups words
    read on one line (boxes for a phrase are drawn per line); `conf`: how sure OCR was of it
    (0–100; a text layer's words are sure)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    line: int
    conf: float = 100.0


@dataclass(frozen=True, slots=True)
class Reading:
    words: list[Word]
    confidence: float | None  # mean word confidence, None when no word was read


def available() -> bool:
    return shutil.which(TESSERACT) is not None


def recognise(image: Image.Image, *, dpi: int, psm: int = 3) -> Reading:
    """The words Tesseract reads on `image`, with boxes and the mean confidence."""
    if not available():
        raise OcrUnavailable("Tesseract is not installed.")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    done = subprocess.run(  # noqa: S603  (a fixed program, no shell)
        [TESSERACT, "stdin", "stdout", "--dpi", str(dpi), "--psm", str(psm), "-l", "eng", "tsv"],
        input=buffer.getvalue(),
        capture_output=True,
        check=False,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        timeout=300,
    )
    if done.returncode != 0:
        raise OcrUnavailable(done.stderr.decode(errors="replace").strip()[:200] or "Tesseract failed.")
    return parse_tsv(done.stdout.decode("utf-8", errors="replace"), image.width, image.height)


def parse_tsv(tsv: str, width: int, height: int) -> Reading:
    words: list[Word] = []
    confidences: list[float] = []
    lines: dict[tuple[str, str, str, str], int] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        conf = float(row["conf"])
        if conf < 0:
            continue
        left, top = int(row["left"]), int(row["top"])
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        line = lines.setdefault(key, len(lines))
        words.append(
            Word(
                left / width,
                top / height,
                (left + int(row["width"])) / width,
                (top + int(row["height"])) / height,
                text,
                line,
                conf,
            )
        )
        confidences.append(conf)
    confidence = sum(confidences) / len(confidences) if confidences else None
    return Reading(words, confidence)


@dataclass(frozen=True, slots=True)
class PageReading:
    main: Reading  # the words stored for the page
    others: list[Reading]  # further readings of a poorly read page (for proposals only)


def read_page(image: Image.Image, *, dpi: int) -> PageReading:
    main = recognise(image, dpi=dpi)
    if main.confidence is not None and main.confidence >= SECOND_LOOK:
        return PageReading(main, [])
    from PIL import ImageFilter

    binarised = image.filter(ImageFilter.MedianFilter(3)).point(lambda v: 0 if v < 150 else 255)
    return PageReading(main, [recognise(image, dpi=dpi, psm=6), recognise(binarised, dpi=dpi)])
