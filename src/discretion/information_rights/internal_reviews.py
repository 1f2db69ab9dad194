"""Internal reviews: of an FOI/EIR answer (FOIA s45 Code, part 5) and of a subject-access response
(the council's practice; the ICO at any time)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from discretion import access, deadlines
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.inputs import not_in_future, required_text
from discretion.information_rights.models import (
    InternalReview,
    Regime,
    ReviewOutcome,
    SarReview,
    SarStatus,
)
from discretion.information_rights.permissions import get_info_request, lock_sar, require_igo
from discretion.information_rights.working_calendars import load_overrides, sar_cal
from discretion.staff.models import Staff


@transaction.atomic
def request_review(
    actor: Staff, request_id: int, *, received_on: dt.date | None = None, extended: bool = False
) -> InternalReview:
    """An internal review: 20 working days, at most 40 (FOIA s45 Code, part 5; EIR reg 11: 40)."""
    require_igo(actor)
    req = get_info_request(request_id)
    if req.is_open:
        raise InvalidInput("An internal review can be asked for only once the request is answered")
    received = received_on or timezone.localdate()
    not_in_future(received, "The date the review was asked for")
    if req.closed_on is not None and received < req.closed_on:
        raise InvalidInput(
            "Enter a date the review was asked for on or after the date the request was answered"
        )
    if req.regime == Regime.EIR and extended:
        raise InvalidInput(
            "An EIR reconsideration has 40 working days and cannot be extended (EIR reg 11(4))"
        )
    due = deadlines.internal_review_due(
        received,
        extended=extended,
        overrides=load_overrides(),
        regime=deadlines.Regime.EIR if req.regime == Regime.EIR else deadlines.Regime.FOI,
    )
    review = InternalReview.objects.create(
        request=req, received_on=received, extended=extended, due_on=due.due_on
    )
    audit.record(
        actor.pk,
        "ir.review.requested",
        object_type="info_request",
        object_id=req.pk,
        details={"review": review.pk, "due_on": due.due_on.isoformat()},
    )
    return review


def record_review_decision(review: InternalReview | SarReview, outcome: str, notes: str) -> dt.date:
    """The rule both kinds of internal review share: decided once, a known outcome, reasons given."""
    if review.decided_on is not None:
        raise InvalidInput("This review has already been decided")
    if outcome not in ReviewOutcome.values:
        raise InvalidInput("Select the outcome of the review")
    review.outcome, review.notes = outcome, required_text(notes, "Enter the reasons for the review decision")
    review.decided_on = decided_on = timezone.localdate()
    review.save()
    return decided_on


@transaction.atomic
def decide_review(actor: Staff, review_id: int, *, outcome: str, notes: str) -> InternalReview:
    require_igo(actor)
    review = InternalReview.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise access.NotFound("No such review.")
    decided_on = record_review_decision(review, outcome, notes)
    audit.record(
        actor.pk,
        "ir.review.decided",
        object_type="info_request",
        object_id=review.request_id,
        details={"review": review.pk, "outcome": outcome, "in_time": decided_on <= review.due_on},
    )
    return review


SAR_REVIEW_WORKING_DAYS = 20  # the council's practice, as for FOI reviews (FOIA s45 Code, part 5)


@transaction.atomic
def request_sar_review(actor: Staff, sar_id: int, *, received_on: dt.date | None = None) -> SarReview:
    """The requester asks the council to review how their subject-access request was handled.
    There is no statutory review for subject access; the council answers within 20 working days,
    and the requester may complain to the ICO at any time (UK GDPR Art 77)."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    if sar.status != SarStatus.RELEASED:
        raise InvalidInput("An internal review can be asked for only once the bundle is released")
    received = received_on or timezone.localdate()
    not_in_future(received, "The date the review was asked for")
    if received < sar.received_on:
        raise InvalidInput(
            "Enter a date the review was asked for on or after the date the request was received"
        )
    due = deadlines.add_working_days(received, SAR_REVIEW_WORKING_DAYS, sar_cal())
    review = SarReview.objects.create(sar=sar, received_on=received, due_on=due)
    audit.record(
        actor.pk,
        "ir.sar.review_requested",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"review": review.pk, "due_on": due.isoformat()},
    )
    return review


@transaction.atomic
def decide_sar_review(actor: Staff, sar_id: int, review_id: int, *, outcome: str, notes: str) -> SarReview:
    """An IGO records the outcome of the internal review, with the reasons."""
    require_igo(actor)
    review = (
        SarReview.objects.select_for_update()
        .select_related("sar")
        .filter(pk=review_id, sar_id=sar_id)
        .first()
    )
    if review is None:
        raise access.NotFound("No such review.")
    decided_on = record_review_decision(review, outcome, notes)
    audit.record(
        actor.pk,
        "ir.sar.review_decided",
        object_type="sar",
        object_id=sar_id,
        person_id=review.sar.subject_id,
        details={"review": review.pk, "outcome": outcome, "in_time": decided_on <= review.due_on},
    )
    return review
