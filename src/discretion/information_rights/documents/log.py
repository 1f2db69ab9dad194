"""The redaction log's rows for boxes on document pages: one per decision (the proposal alone
while undecided), with the page, the ground and who decided; never the text under the box."""

from __future__ import annotations

from collections.abc import Iterator

from discretion.information_rights.documents.models import PageBox, PageBoxDecision
from discretion.information_rights.models import SarCase

COLUMNS = ["document_part", "page", "box", "action"]


def box_rows(sar: SarCase) -> Iterator[list[object]]:
    """Rows in the redaction log's columns (see pdf.redaction_log_csv), then COLUMNS."""
    boxes = (
        PageBox.objects.filter(sar=sar)
        .select_related("page__document")
        .prefetch_related("decisions__decided_by")
    )
    for box in boxes.order_by("page__document__occurred_on", "page__document_id", "page__number", "id"):
        document = box.page.document
        decisions: list[PageBoxDecision | None] = [*box.decisions.all()] or [None]
        for d in decisions:
            yield [
                "",
                document.entry_id,
                "",
                "",
                box.reason,
                "system" if box.proposed_by_system else "reviewer",
                d.decision if d else box.decision,
                d.decided_by.username if d else "",
                d.decided_at.isoformat() if d else "",
                d.note if d else "",
                document.attachment_id,
                "",
                document.part,
                box.page.number,
                box.pk,
                d.action if d else "proposed",
            ]
