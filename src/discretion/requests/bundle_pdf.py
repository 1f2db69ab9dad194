"""A request's release as a PDF: only the selected entries, each with its reason for inclusion."""

from __future__ import annotations

import io
from collections.abc import Iterable

from discretion.records.models import Entry
from discretion.requests.models import (
    Request,
)


def render_request_bundle(req: Request, entries: Iterable[tuple[Entry, str]]) -> bytes:
    """The release as a PDF: only the selected entries, each with its reason for inclusion."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    _, height = A4
    y = height - 60

    def line(text: str, size: int = 10) -> None:
        nonlocal y
        for start in range(0, max(len(text), 1), 95):
            if y < 60:
                pdf.showPage()
                y = height - 60
            pdf.setFont("Helvetica", size)
            pdf.drawString(50, y, text[start : start + 95])
            y -= size + 4

    line(f"Disclosure for request {req.pk} to {req.requester_organisation or req.requester_name}", 13)
    line("OFFICIAL-SENSITIVE. Shared under the Children's Services Confidentiality Policy.")
    for entry, reason in entries:
        line("")
        line(f"{entry.get_kind_display()} of {entry.occurred_on.isoformat()}: {entry.title}", 11)
        line(f"Included because: {reason}")
        for paragraph in entry.text.splitlines() or [""]:
            line(paragraph)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
