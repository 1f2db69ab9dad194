"""The subject-access clock: one month from receipt (UK GDPR Art 12(3)), on hold for identity or
clarification, extended by two months for complex requests."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from discretion import deadlines
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.inputs import not_in_future, required_text
from discretion.information_rights.models import (
    SarCase,
)
from discretion.information_rights.permissions import lock_sar, require_igo, require_sar_open
from discretion.information_rights.working_calendars import load_overrides, sar_nation
from discretion.staff.models import Staff


def compute_sar_due(sar: SarCase) -> deadlines.Deadline:
    nation = sar_nation()
    try:
        return deadlines.sar_due(
            sar.received_on,
            id_received_on=sar.id_verified_on,
            clarification_requested_on=sar.clarification_requested_on,
            clarification_received_on=sar.clarification_received_on,
            extended=sar.extended,
            nation=nation,
            overrides=load_overrides(nation),
        )
    except (ValueError, TypeError) as exc:
        raise InvalidInput(str(exc)) from None


def save_sar_clock(actor: Staff, sar: SarCase, action: str, *, reason: str = "") -> SarCase:
    """Re-run the subject-access clock on the changed facts, save the case, and audit the new due date
    (kept as it was while a clarification is awaited: the clock is stopped, Art 12A)."""
    if not sar.on_hold:
        sar.due_on = compute_sar_due(sar).due_on
    sar.save()
    audit.record(
        actor.pk,
        action,
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        reason=reason,
        details={"due_on": sar.due_on.isoformat(), "on_hold": sar.on_hold},
    )
    return sar


@transaction.atomic
def sar_clarification(
    actor: Staff, sar_id: int, *, requested_on: dt.date, received_on: dt.date | None = None
) -> SarCase:
    """Art 12A / ICO: the clock stops while the controller waits for the clarification it asked for;
    record the day it was asked for now, and the day it arrived when it does."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    require_sar_open(sar)
    not_in_future(requested_on, "The date clarification was asked for")
    not_in_future(received_on, "The date clarification was received")
    if requested_on < sar.received_on:
        raise InvalidInput("Enter a clarification date on or after the date received")
    if received_on is not None and received_on < requested_on:
        raise InvalidInput(
            "Enter a date the clarification was received on or after the date it was asked for"
        )
    sar.clarification_requested_on, sar.clarification_received_on = requested_on, received_on
    return save_sar_clock(actor, sar, "ir.sar.clarification")


@transaction.atomic
def extend_sar(actor: Staff, sar_id: int, *, reason: str) -> SarCase:
    """Art 12(3): by two further months for complexity or number of requests, told within the first month."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    require_sar_open(sar)
    reason = required_text(reason, "Enter why the request is complex or numerous", max_length=300)
    if sar.extended:
        raise InvalidInput("The deadline has already been extended")
    # The first month, less any days paused for a clarification (DPA 2018 s54(3C), Art 12A).
    first_due = sar.due_on if sar.on_hold else compute_sar_due(sar).due_on
    if timezone.localdate() > first_due and not sar.on_hold:
        raise InvalidInput(f"An extension must be notified within the first month (by {first_due:%d %B %Y})")
    sar.extended = True
    return save_sar_clock(actor, sar, "ir.sar.extended", reason=reason)
