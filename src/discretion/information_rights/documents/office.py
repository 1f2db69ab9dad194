"""Word documents (.docx, .doc) to PDF through LibreOffice in headless mode (Debian's
`libreoffice-writer-nogui`): the PDF's text layer then gives the words and where they sit."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = os.environ.get("DISCRETION_SOFFICE", "soffice")


class ConversionFailed(RuntimeError):
    """LibreOffice is missing or could not convert the file."""


def available() -> bool:
    return shutil.which(SOFFICE) is not None


def to_pdf(content: bytes, suffix: str) -> bytes:
    """The document as PDF. Each call has its own LibreOffice profile, so calls never share state."""
    if not available():
        raise ConversionFailed("LibreOffice is not installed.")
    with tempfile.TemporaryDirectory(prefix="discretion-office-") as work:
        folder = Path(work)
        source = folder / f"document{suffix}"
        source.write_bytes(content)
        done = subprocess.run(  # noqa: S603  (a fixed program, no shell)
            [
                SOFFICE,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder / "out"),
                str(source),
            ],
            capture_output=True,
            check=False,
            timeout=180,
        )
        produced = folder / "out" / "document.pdf"
        if done.returncode != 0 or not produced.exists():
            raise ConversionFailed("LibreOffice could not convert this document.")
        return produced.read_bytes()


def convert(content: bytes, source_suffix: str, target: str) -> bytes:
    """Any format LibreOffice writes (the synthetic care file makes its .doc files this way)."""
    with tempfile.TemporaryDirectory(prefix="discretion-office-") as work:
        folder = Path(work)
        source = folder / f"document{source_suffix}"
        source.write_bytes(content)
        subprocess.run(  # noqa: S603
            [
                SOFFICE,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(folder / "out"),
                str(source),
            ],
            capture_output=True,
            check=False,
            timeout=180,
        )
        produced = folder / "out" / f"document.{target.split(':')[0]}"
        if not produced.exists():
            raise ConversionFailed("LibreOffice could not convert this document.")
        return produced.read_bytes()
