"""Urgent requests: a missing child, a section 47 enquiry (policy 2.4; Children Act 1989 s47).
Flagged on every page that lists or shows a request, and sorted first in every queue."""

from __future__ import annotations

from collections.abc import Iterable

from discretion.policy.rules import URGENT_PURPOSES
from discretion.requests.models import Request

URGENT_REASONS: dict[str, str] = {
    "missing_child": "a missing child",
    "section_47_enquiry": "a section 47 enquiry",
}


def is_urgent(req: Request) -> bool:
    return req.stored_facts.purpose in URGENT_PURPOSES


def urgent_reason(req: Request) -> str:
    """Why a request is urgent, in plain words ("a missing child"), or "" when it is not."""
    return URGENT_REASONS.get(req.stored_facts.purpose, "") if is_urgent(req) else ""


def urgent_first(rows: Iterable[Request]) -> list[Request]:
    """Urgent requests first, each group in the order given."""
    rows = list(rows)
    return [r for r in rows if is_urgent(r)] + [r for r in rows if not is_urgent(r)]
