"""The FOI/EIR clock: the due date from receipt, put on hold while a clarification or a fee is
awaited, and extended for the public-interest test or EIR complexity (FOIA s10, EIR reg 7)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from discretion import deadlines
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights import exemptions
from discretion.information_rights.inputs import not_in_future, required_text
from discretion.information_rights.models import (
    InfoRequest,
    Regime,
)
from discretion.information_rights.permissions import get_info_request, require_igo, require_request_open
from discretion.information_rights.working_calendars import load_overrides
from discretion.staff.models import Staff


def compute_request_due(req: InfoRequest) -> deadlines.Deadline:
    try:
        if req.regime == Regime.EIR:
            return deadlines.eir_due(
                req.received_on,
                clarification_requested_on=req.clarification_requested_on,
                clarification_received_on=req.clarification_received_on,
                extended=req.eir_extended,
                overrides=load_overrides(),
            )
        return deadlines.foi_due(
            req.received_on,
            clarification_requested_on=req.clarification_requested_on,
            clarification_received_on=req.clarification_received_on,
            fee_notice_on=req.fee_notice_on,
            fee_received_on=req.fee_received_on,
            extended_to=req.extended_to,
            overrides=load_overrides(),
        )
    except (ValueError, TypeError) as exc:
        raise InvalidInput(str(exc)) from None


def save_request_clock(
    actor: Staff,
    req: InfoRequest,
    action: str,
    fields: list[str],
    *,
    reason: str = "",
    details: dict[str, object] | None = None,
) -> InfoRequest:
    """Re-run the FOI/EIR clock on the changed facts, save them with the new due date, and audit it.
    While the clock is stopped (a clarification or a fee awaited) there is no new due date yet: the
    one it had stays on record and the case shows as on hold until the answer arrives."""
    if not req.on_hold:
        req.due_on = compute_request_due(req).due_on
    req.save(update_fields=[*fields, "due_on"])
    audit.record(
        actor.pk,
        action,
        object_type="info_request",
        object_id=req.pk,
        reason=reason,
        details={**(details or {}), "due_on": req.due_on.isoformat(), "on_hold": req.on_hold},
    )
    return req


@transaction.atomic
def record_clarification(
    actor: Staff, request_id: int, *, requested_on: dt.date, received_on: dt.date | None = None
) -> InfoRequest:
    """FOIA s1(3) / EIR reg 9(4): the clock restarts from the day the clarification arrives."""
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
    not_in_future(requested_on, "The date clarification was asked for")
    not_in_future(received_on, "The date clarification was received")
    if requested_on < req.received_on:
        raise InvalidInput("Enter a clarification date on or after the date received")
    if received_on is not None and received_on < requested_on:
        raise InvalidInput(
            "Enter a date the clarification was received on or after the date it was asked for"
        )
    req.clarification_requested_on, req.clarification_received_on = requested_on, received_on
    return save_request_clock(
        actor,
        req,
        "ir.request.clarification",
        ["clarification_requested_on", "clarification_received_on"],
        details={
            "requested_on": requested_on.isoformat(),
            "received_on": received_on.isoformat() if received_on else None,
        },
    )


@transaction.atomic
def record_fee(
    actor: Staff, request_id: int, *, notice_on: dt.date, received_on: dt.date | None = None
) -> InfoRequest:
    """FOIA s9 fees notice; the working days until payment do not count (s10(2))."""
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
    if req.regime != Regime.FOI:
        raise InvalidInput("A fees notice under FOIA s9 applies only to FOI requests")
    not_in_future(notice_on, "The date of the fees notice")
    not_in_future(received_on, "The date the fee was received")
    req.fee_notice_on, req.fee_received_on = notice_on, received_on
    return save_request_clock(
        actor,
        req,
        "ir.request.fee",
        ["fee_notice_on", "fee_received_on"],
        details={"notice_on": notice_on.isoformat()},
    )


@transaction.atomic
def extend(actor: Staff, request_id: int, *, new_due_on: dt.date | None = None, reason: str) -> InfoRequest:
    """FOI: a public-interest extension (s10(3)) to a date no later than the 40th working day (ICO).
    EIR: reg 7(1), 40 working days for a complex and voluminous request."""
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
    reason = required_text(reason, "Enter why the deadline is extended", max_length=300)
    if req.on_hold:
        raise InvalidInput(
            f"The clock is stopped while the {req.on_hold} is awaited: there is nothing to extend yet"
        )
    # The requester must be told within the original 20 working days (FOIA s17(2), EIR reg 7(3)).
    extended_to, eir_extended = req.extended_to, req.eir_extended
    req.extended_to, req.eir_extended = None, False
    original_due = compute_request_due(req).due_on
    req.extended_to, req.eir_extended = extended_to, eir_extended
    if timezone.localdate() > original_due:
        raise InvalidInput(
            f"An extension must be notified within the original 20 working days, by {original_due:%d %B %Y} "
            "(FOIA s17(2), EIR reg 7(3))"
        )
    if req.regime == Regime.FOI:
        if new_due_on is None:
            raise InvalidInput("Enter the new due date")
        if not any(exemptions.get(c).qualified for c in req.exemptions.values_list("code", flat=True)):
            raise InvalidInput(
                "Record the qualified exemption being considered before extending (FOIA s10(3))"
            )
        req.extended_to = new_due_on
    else:
        req.eir_extended = True
    return save_request_clock(
        actor, req, "ir.request.extended", ["eir_extended", "extended_to"], reason=reason
    )
