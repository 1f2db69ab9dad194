"""Refusals: audited every time, even inside a transaction that is rolled back, and the same dull not-found to anyone who could not break glass."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from discretion.access.grants import can_break_glass
from discretion.audit import services as audit
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.staff.models import (
    Staff,
)

# Refusals raised inside a caller's transaction are kept here and written once that
# transaction is over (web middleware, API, CLI call flush_pending_refusals), so a rollback
# can never erase the record of a refused look at a child's record.
_pending_refusals: contextvars.ContextVar[tuple[dict[str, Any], ...]] = contextvars.ContextVar(
    "pending_refusals", default=()
)


def _in_caller_transaction() -> bool:
    # Django's own test-case transactions don't count: nothing rolls them back mid-test.
    return connection.in_atomic_block and any(
        not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def flush_pending_refusals() -> int:
    """Write refusals queued inside transactions that have since ended. Returns how many."""
    pending = _pending_refusals.get()
    if not pending or _in_caller_transaction():
        return 0
    _pending_refusals.set(())
    for event in pending:
        with transaction.atomic():
            audit.record(**event)
    return len(pending)


def _record_refusal(event: dict[str, Any]) -> None:
    """Audit a refusal now, or once the caller's transaction is over (see _pending_refusals)."""
    if _in_caller_transaction():
        _pending_refusals.set((*_pending_refusals.get(), event))
    else:
        with transaction.atomic():
            audit.record(**event)


class Hidden(NotFound):
    """A refused look, answered exactly as a missing record is (the refusal has been audited)."""


NOT_FOUND_MESSAGES = {
    "person": "No such person.",
    "case": "No such case.",
    "entry": "No such entry.",
    "attachment": "No such attachment.",
}


def _refuse(
    actor: Staff,
    *,
    object_type: str,
    object_id: int,
    person_id: int | None,
    case_id: int | None,
    message: str,
) -> AccessDenied | NotFound:
    """Audit the refusal. Someone who may break glass is told it is refused (and may ask for
    access); anyone else gets the same answer as for a record that does not exist."""
    _record_refusal(
        {
            "actor_id": actor.pk,
            "action": "access.refused",
            "object_type": object_type,
            "object_id": object_id,
            "person_id": person_id,
            "details": {"case": case_id} if case_id else None,
        }
    )
    if not can_break_glass(actor):
        return Hidden(NOT_FOUND_MESSAGES.get(object_type, "Not found."))
    return AccessDenied(message, case_id=case_id, person_id=person_id, can_break_glass=True)


def refusal(
    actor: Staff,
    action: str,
    message: str,
    *,
    object_type: str = "",
    object_id: object = "",
    person_ids: Iterable[int] = (),
    details: dict[str, Any] | None = None,
) -> NotPermitted:
    """An audited refusal of an action (`<action>.refused`, one event per person it concerns):
    every refusal is recorded, even inside a transaction that is then rolled back."""
    people: list[int | None] = [*sorted(set(person_ids))] or [None]
    for person_id in people:
        _record_refusal(
            {
                "actor_id": actor.pk,
                "action": f"{action}.refused",
                "object_type": object_type,
                "object_id": object_id,
                "person_id": person_id,
                "details": {"message": message, **(details or {})},
            }
        )
    return NotPermitted(message)
