"""Logging and starting an FOI/EIR request: logging, acknowledgement, assignment, regime, searches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.foi_clock import compute_request_due, save_request_clock
from discretion.information_rights.inputs import next_ref, not_in_future, not_longer_than, required_text
from discretion.information_rights.models import (
    InfoRequest,
    Regime,
    RequestChannel,
    SearchRecord,
)
from discretion.information_rights.permissions import (
    get_info_request,
    party_request,
    require_handler_or_igo,
    require_igo,
    require_request_open,
)
from discretion.staff.models import Staff


@transaction.atomic
def log_request(
    actor: Staff,
    *,
    requester_name: str,
    requester_contact: str,
    channel: str,
    wording: str,
    regime: str = Regime.FOI,
    received_on: dt.date | None = None,
    received_on_reason: str = "",
) -> InfoRequest:
    """An IGO logs an FOI/EIR request. The date received defaults to today; another date needs a
    reason (the clock runs from receipt, FOIA s10(1))."""
    require_igo(actor)
    today = timezone.localdate()
    if regime not in Regime.values:
        raise InvalidInput("Select whether the request is FOI or EIR")
    if channel not in RequestChannel.values:
        raise InvalidInput("Select how the request arrived")
    if channel == RequestChannel.PHONE and regime == Regime.FOI:
        raise InvalidInput("An FOI request must be in writing (FOIA s8); log a spoken request as EIR only")
    received = received_on or today
    if received > today:
        raise InvalidInput("Enter a date received that is today or in the past")
    reason = (received_on_reason or "").strip()
    if received != today and not reason:
        raise InvalidInput("Enter why the date received is not today")
    req = InfoRequest(
        ref=next_ref("IR", InfoRequest),
        regime=regime,
        requester_name=required_text(requester_name, "Enter the requester's name", max_length=200),
        requester_contact=required_text(
            requester_contact, "Enter the requester's contact address", max_length=300
        ),
        channel=channel,
        received_on=received,
        received_on_reason=reason[:300],
        wording=required_text(wording, "Enter the wording of the request"),
        created_by=actor,
        due_on=today,
    )
    req.due_on = compute_request_due(req).due_on
    req.save()
    audit.record(
        actor.pk,
        "ir.request.logged",
        object_type="info_request",
        object_id=req.pk,
        details={
            "regime": regime,
            "received_on": received.isoformat(),
            "due_on": req.due_on.isoformat(),
            "received_on_edited": received != today,
        },
    )
    return req


def acknowledgement_letter(req: InfoRequest) -> str:
    return render_to_string(
        "information_rights/letters/acknowledgement.txt", {"req": req, "council_name": settings.COUNCIL_NAME}
    )


@transaction.atomic
def acknowledge(actor: Staff, request_id: int) -> str:
    """Send (record) the acknowledgement; returns the letter text."""
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
    req.acknowledged_on = timezone.localdate()
    req.save(update_fields=["acknowledged_on"])
    audit.record(actor.pk, "ir.request.acknowledged", object_type="info_request", object_id=req.pk)
    return acknowledgement_letter(req)


@transaction.atomic
def assign(actor: Staff, request_id: int, *, service_area: str, handler_id: int | None) -> InfoRequest:
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
    req.service_area = required_text(service_area, "Enter the service area", max_length=120)
    if handler_id is not None:
        handler = Staff.objects.filter(pk=handler_id, is_active=True).first()
        if handler is None:
            raise InvalidInput("Select a case handler")
        req.handler = handler
    req.save(update_fields=["service_area", "handler"])
    audit.record(
        actor.pk,
        "ir.request.assigned",
        object_type="info_request",
        object_id=req.pk,
        details={"service_area": req.service_area, "handler": req.handler_id},
    )
    return req


@transaction.atomic
def set_regime(actor: Staff, request_id: int, regime: str) -> InfoRequest:
    """Decide FOI or EIR (environmental information: FOIA s39, EIR reg 2)."""
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
    if regime not in Regime.values:
        raise InvalidInput("Select whether the request is FOI or EIR")
    req.regime = regime
    return save_request_clock(actor, req, "ir.request.regime_set", ["regime"], details={"regime": regime})


def add_search(
    actor: Staff,
    request_id: int,
    *,
    place: str,
    hours: Decimal,
    found: str = "",
    searched_on: dt.date | None = None,
) -> SearchRecord:
    """The handler or an IGO records a search (where, how long): the evidence for 'not held' and
    for the s12 estimate."""
    party_request(actor, request_id)
    with transaction.atomic():
        return _add_search(actor, request_id, place=place, hours=hours, found=found, searched_on=searched_on)


def _add_search(
    actor: Staff, request_id: int, *, place: str, hours: Decimal, found: str, searched_on: dt.date | None
) -> SearchRecord:
    req = get_info_request(request_id)
    require_handler_or_igo(actor, req)
    require_request_open(req)
    if hours < 0 or hours > 1000:
        raise InvalidInput("Enter the hours spent as a number between 0 and 1000")
    not_longer_than(found or "", "What was found", 2000)
    not_in_future(searched_on, "The date searched")
    row = SearchRecord.objects.create(
        request=req,
        place=required_text(place, "Enter where you searched", max_length=200),
        hours=hours,
        found=(found or "").strip(),
        searched_on=searched_on or timezone.localdate(),
        searched_by=actor,
    )
    audit.record(
        actor.pk,
        "ir.request.searched",
        object_type="info_request",
        object_id=req.pk,
        details={"search": row.pk, "hours": str(hours)},
    )
    return row
