"""FOI/EIR casework and subject access: one function per user action (permission, rule, write, audit).

Deadlines come from `discretion.deadlines`, always with the council's calendar overrides
(`load_overrides`). Personal data for a subject-access bundle is read only through `access`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from discretion import access, deadlines
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights import exemptions
from discretion.information_rights.compile import CompiledSar, compile_sar
from discretion.information_rights.models import (
    AttachmentReview,
    CalendarChange,
    CalendarDay,
    Decision,
    ExemptionClaim,
    InfoRequest,
    InternalReview,
    NationScope,
    Outcome,
    Reason,
    Redaction,
    RedactionDecision,
    Regime,
    RequestChannel,
    Requester,
    ReviewOutcome,
    SarCase,
    SarReview,
    SarStatus,
    SearchRecord,
)
from discretion.records.models import Attachment, Person
from discretion.staff.models import Role, Staff

# --- calendar -----------------------------------------------------------------------------


def sar_nation() -> str:
    """The council's own nation for the subject-access roll-forward (England and Wales by default)."""
    return str(getattr(settings, "DISCRETION_NATION", deadlines.Nation.ENGLAND_WALES.value))


def load_overrides(nation: str | None = None) -> deadlines.CalendarOverrides:
    """The council's one-off days. FOIA/EIR (nation None): a change anywhere in the UK counts
    (FOIA s10(6)); subject access: only changes for the council's nation or the whole UK."""
    rows = CalendarDay.objects.all()
    if nation is not None:
        rows = rows.filter(scope__in=[NationScope.ALL, nation])
    added: dict[dt.date, str] = {}
    removed: set[dt.date] = set()
    for row in rows:
        if row.change == CalendarChange.ADDED:
            added[row.date] = row.name
        else:
            removed.add(row.date)
    # An addition in one nation wins over a removal in another: s10(6) counts a holiday anywhere.
    return deadlines.CalendarOverrides(added=added, removed=frozenset(removed - set(added)))


def foi_cal() -> deadlines.WorkingCalendar:
    return deadlines.foi_calendar(load_overrides())


def sar_cal() -> deadlines.WorkingCalendar:
    nation = sar_nation()
    return deadlines.nation_calendar(nation, load_overrides(nation))


# --- permissions --------------------------------------------------------------------------


def is_igo(actor: Staff) -> bool:
    return actor.is_active and not actor.has_ended() and actor.role == Role.IGO and not actor.is_supervised


def _require_igo(actor: Staff) -> None:
    """FOI, EIR and subject-access casework is information governance's; a refusal is audited."""
    if not actor.is_active or actor.has_ended():
        raise access.refusal(actor, "information_rights", "Your account is not active.")
    if actor.role != Role.IGO or actor.is_supervised:
        raise access.refusal(
            actor, "information_rights", "Only an information governance officer can do this."
        )


def _require_handler_or_igo(actor: Staff, req: InfoRequest) -> None:
    if req.handler_id == actor.pk and actor.is_active and not actor.is_supervised:
        return
    _require_igo(actor)


def _party_request(actor: Staff, request_id: int) -> InfoRequest:
    """A request for its handler or an IGO. Anyone else gets the answer a missing request gets, so
    nobody can tell which requests exist (one dull answer, STYLE "access_*"); the refusal is audited.

    Called outside any write transaction, so the refusal's audit event is never rolled back."""
    req = InfoRequest.objects.select_related("handler").filter(pk=request_id).first()
    if req is not None:
        try:
            _require_handler_or_igo(actor, req)
        except NotPermitted:
            req = None
    if req is None:
        audit.record(actor.pk, "ir.request.refused", object_type="info_request", object_id=request_id)
        raise access.NotFound("No such request.")
    return req


def _next_ref(prefix: str, model: type[InfoRequest] | type[SarCase]) -> str:
    year = timezone.localdate().year
    count = model.objects.filter(ref__startswith=f"{prefix}{year}-").count() + 1
    return f"{prefix}{year}-{count:05d}"


def _not_longer_than(value: str, label: str, most: int) -> None:
    """Too long is an error to correct, never text silently kept or cut (pages and API alike)."""
    if len(value) > most:
        raise InvalidInput(f"{label} must be {most} characters or fewer")


def _not_in_future(day: dt.date | None, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise InvalidInput(f"{label} must be today or in the past")


def _text(value: str, message: str, *, max_length: int = 10_000) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message)
    if len(value) > max_length:
        raise InvalidInput(f"{message} ({max_length} characters or fewer)")
    return value


# --- FOI / EIR ----------------------------------------------------------------------------


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


def _save_request_clock(
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


def _get_request(request_id: int, *, for_update: bool = True) -> InfoRequest:
    qs = InfoRequest.objects.select_for_update() if for_update else InfoRequest.objects
    try:
        return qs.get(pk=request_id)
    except InfoRequest.DoesNotExist:
        raise access.NotFound("No such request.") from None


def _open(req: InfoRequest) -> None:
    if not req.is_open:
        raise InvalidInput("This request is closed.")


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
    _require_igo(actor)
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
        ref=_next_ref("IR", InfoRequest),
        regime=regime,
        requester_name=_text(requester_name, "Enter the requester's name", max_length=200),
        requester_contact=_text(requester_contact, "Enter the requester's contact address", max_length=300),
        channel=channel,
        received_on=received,
        received_on_reason=reason[:300],
        wording=_text(wording, "Enter the wording of the request"),
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
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    req.acknowledged_on = timezone.localdate()
    req.save(update_fields=["acknowledged_on"])
    audit.record(actor.pk, "ir.request.acknowledged", object_type="info_request", object_id=req.pk)
    return acknowledgement_letter(req)


@transaction.atomic
def assign(actor: Staff, request_id: int, *, service_area: str, handler_id: int | None) -> InfoRequest:
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    req.service_area = _text(service_area, "Enter the service area", max_length=120)
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
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    if regime not in Regime.values:
        raise InvalidInput("Select whether the request is FOI or EIR")
    req.regime = regime
    return _save_request_clock(actor, req, "ir.request.regime_set", ["regime"], details={"regime": regime})


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
    _party_request(actor, request_id)
    with transaction.atomic():
        return _add_search(actor, request_id, place=place, hours=hours, found=found, searched_on=searched_on)


def _add_search(
    actor: Staff, request_id: int, *, place: str, hours: Decimal, found: str, searched_on: dt.date | None
) -> SearchRecord:
    req = _get_request(request_id)
    _require_handler_or_igo(actor, req)
    _open(req)
    if hours < 0 or hours > 1000:
        raise InvalidInput("Enter the hours spent as a number between 0 and 1000")
    _not_longer_than(found or "", "What was found", 2000)
    _not_in_future(searched_on, "The date searched")
    row = SearchRecord.objects.create(
        request=req,
        place=_text(place, "Enter where you searched", max_length=200),
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


@transaction.atomic
def record_clarification(
    actor: Staff, request_id: int, *, requested_on: dt.date, received_on: dt.date | None = None
) -> InfoRequest:
    """FOIA s1(3) / EIR reg 9(4): the clock restarts from the day the clarification arrives."""
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    _not_in_future(requested_on, "The date clarification was asked for")
    _not_in_future(received_on, "The date clarification was received")
    if requested_on < req.received_on:
        raise InvalidInput("Enter a clarification date on or after the date received")
    if received_on is not None and received_on < requested_on:
        raise InvalidInput(
            "Enter a date the clarification was received on or after the date it was asked for"
        )
    req.clarification_requested_on, req.clarification_received_on = requested_on, received_on
    return _save_request_clock(
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
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    if req.regime != Regime.FOI:
        raise InvalidInput("A fees notice under FOIA s9 applies only to FOI requests")
    _not_in_future(notice_on, "The date of the fees notice")
    _not_in_future(received_on, "The date the fee was received")
    req.fee_notice_on, req.fee_received_on = notice_on, received_on
    return _save_request_clock(
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
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    reason = _text(reason, "Enter why the deadline is extended", max_length=300)
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
    return _save_request_clock(
        actor, req, "ir.request.extended", ["eir_extended", "extended_to"], reason=reason
    )


@transaction.atomic
def add_exemption(
    actor: Staff,
    request_id: int,
    *,
    code: str,
    why_applies: str,
    prejudice: str = "",
    public_interest: str = "",
) -> ExemptionClaim:
    """Rely on an exemption/exception; a qualified one needs the public-interest test (FOIA s2(2)),
    a prejudice-based one the prejudice identified; s12 needs an estimate over 18 hours."""
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    try:
        exemption = exemptions.get(code)
    except KeyError as exc:
        raise InvalidInput(f"Select an exemption: {exc.args[0]}") from None
    if exemption.law != ("EIR" if req.regime == Regime.EIR else "FOIA"):
        raise InvalidInput(f"Select an exemption under the {'EIR' if req.regime == Regime.EIR else 'FOIA'}")
    if exemption.code == "s12":
        total = sum((s.hours for s in req.searches.all()), Decimal(0))
        estimate = max(total, req.estimated_hours or Decimal(0))
        if estimate <= Decimal(str(exemptions.COST_LIMIT_HOURS)):
            raise InvalidInput("Record searches or an estimate over 18 hours before relying on s12")
    why = _text(why_applies, "Enter why the exemption applies", max_length=5000)
    _not_longer_than(prejudice, "The prejudice", 5000)
    _not_longer_than(public_interest, "The public-interest test", 5000)
    if exemption.prejudice_based and not prejudice.strip():
        raise InvalidInput("Enter the prejudice disclosure would cause")
    if exemption.qualified and not public_interest.strip():
        raise InvalidInput("Enter the public-interest test: the arguments for and against disclosure")
    claim = ExemptionClaim.objects.create(
        request=req,
        code=code,
        why_applies=why,
        prejudice=prejudice.strip(),
        public_interest=public_interest.strip(),
        added_by=actor,
    )
    audit.record(
        actor.pk, "ir.request.exemption", object_type="info_request", object_id=req.pk, details={"code": code}
    )
    return claim


@transaction.atomic
def set_estimate(actor: Staff, request_id: int, hours: Decimal) -> InfoRequest:
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    if hours < 0 or hours > 10000:
        raise InvalidInput("Enter the estimated hours as a number between 0 and 10000")
    req.estimated_hours = hours
    req.save(update_fields=["estimated_hours"])
    audit.record(
        actor.pk,
        "ir.request.estimated",
        object_type="info_request",
        object_id=req.pk,
        details={"hours": str(hours)},
    )
    return req


def refusal_notice(req: InfoRequest) -> str:
    """FOIA s17 / EIR reg 14: each exemption, why, the public interest, review and ICO rights."""
    claims = [(c, exemptions.get(c.code)) for c in req.exemptions.all().order_by("id")]
    return render_to_string(
        "information_rights/letters/refusal_notice.txt",
        {
            "req": req,
            "claims": claims,
            "council_name": settings.COUNCIL_NAME,
            "law": "Environmental Information Regulations 2004, regulation 14"
            if req.regime == Regime.EIR
            else "Freedom of Information Act 2000, section 17",
        },
    )


@transaction.atomic
def record_outcome(
    actor: Staff, request_id: int, *, outcome: str, response_text: str = "", publish: bool = False
) -> InfoRequest:
    """Close the request with its outcome. Withholding needs an exemption and generates the refusal
    notice; a released answer may go on the public disclosure log."""
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    if outcome not in Outcome.values or outcome == Outcome.TRANSFERRED:
        raise InvalidInput("Select the outcome")
    if outcome in (Outcome.PARTLY_WITHHELD, Outcome.REFUSED) and not req.exemptions.exists():
        raise InvalidInput("Record at least one exemption before withholding information")
    if outcome in (Outcome.PROVIDED, Outcome.PARTLY_WITHHELD) and not response_text.strip():
        raise InvalidInput("Enter the information provided")
    if outcome in (Outcome.PROVIDED, Outcome.PARTLY_WITHHELD):
        _refuse_personal_data(response_text)
    _not_longer_than(response_text.strip(), "The information provided", 50_000)
    req.outcome = outcome
    req.response_text = response_text.strip()
    req.closed_on = timezone.localdate()
    # Published only once a second officer signs the answer off (information_rights.foi_letters).
    req.publish_requested = publish and outcome in (Outcome.PROVIDED, Outcome.PARTLY_WITHHELD)
    req.answer_prepared_by = actor
    if outcome in (Outcome.PARTLY_WITHHELD, Outcome.REFUSED):
        req.refusal_notice = refusal_notice(req)
    req.save()
    audit.record(
        actor.pk,
        "ir.request.closed",
        object_type="info_request",
        object_id=req.pk,
        details={
            "outcome": outcome,
            "in_time": req.answered_in_time,
            "publish_requested": req.publish_requested,
            "exemptions": list(req.exemptions.values_list("code", flat=True)),
        },
    )
    return req


PUBLIC = "The public (FOI disclosure log)"


def _refuse_personal_data(answer: str) -> None:
    """An FOI/EIR answer is a release to the world: the outbound guard's finder must find no
    personal data about the council's service users in it (FOIA s40, EIR reg 13)."""
    from discretion.outbound.services import check_message

    check = check_message(to=(), subject="", body=answer)
    if check.contains_personal_data:
        raise InvalidInput(
            check.describe().replace("This message", "The answer")
            + " An FOI or EIR answer is a release to the world: withhold third parties' personal data"
            " (FOIA s40(2), EIR reg 13), or, if it is the requester's own, transfer the request to"
            " subject access (FOIA s40(1))."
        )


def _publish(actor: Staff, req: InfoRequest) -> int:
    """Publishing an answer is a release to the world, so it is registered like any other (policy
    1.1) through the one door out, in the same transaction as the outcome. An FOI answer holds no
    personal data (FOIA s40; EIR reg 13), so no person is named in the register entry."""
    from discretion.disclosures.models import Channel
    from discretion.disclosures.services import Recipient, disclose

    law = (
        "EIR reg 5(1): environmental information made available on request"
        if req.regime == Regime.EIR
        else "FOIA s1(1)(b): information communicated on request"
    )
    release = disclose(
        actor,
        recipient=Recipient(name=PUBLIC, category="public"),
        channel=Channel.PUBLICATION,
        content=req.response_text.encode("utf-8"),
        content_name=f"{req.ref}-answer.txt",
        source="foi",
        source_id=str(req.pk),
        purpose="FOI disclosure log",
        legal_basis=law + "; published on the council's disclosure log",
        rules=["3-foi"],
        summary=f"{req.get_regime_display()} answer {req.ref} published on the disclosure log",
        message_subject=f"Disclosure log: {req.ref}",
    )
    return release.disclosure.pk


@transaction.atomic
def request_review(
    actor: Staff, request_id: int, *, received_on: dt.date | None = None, extended: bool = False
) -> InternalReview:
    """An internal review: 20 working days, at most 40 (FOIA s45 Code, part 5; EIR reg 11: 40)."""
    _require_igo(actor)
    req = _get_request(request_id)
    if req.is_open:
        raise InvalidInput("An internal review can be asked for only once the request is answered")
    received = received_on or timezone.localdate()
    _not_in_future(received, "The date the review was asked for")
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


def _record_review_decision(review: InternalReview | SarReview, outcome: str, notes: str) -> dt.date:
    """The rule both kinds of internal review share: decided once, a known outcome, reasons given."""
    if review.decided_on is not None:
        raise InvalidInput("This review has already been decided")
    if outcome not in ReviewOutcome.values:
        raise InvalidInput("Select the outcome of the review")
    review.outcome, review.notes = outcome, _text(notes, "Enter the reasons for the review decision")
    review.decided_on = decided_on = timezone.localdate()
    review.save()
    return decided_on


@transaction.atomic
def decide_review(actor: Staff, review_id: int, *, outcome: str, notes: str) -> InternalReview:
    _require_igo(actor)
    review = InternalReview.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise access.NotFound("No such review.")
    decided_on = _record_review_decision(review, outcome, notes)
    audit.record(
        actor.pk,
        "ir.review.decided",
        object_type="info_request",
        object_id=review.request_id,
        details={"review": review.pk, "outcome": outcome, "in_time": decided_on <= review.due_on},
    )
    return review


def transfer_letter(req: InfoRequest, sar: SarCase) -> str:
    return render_to_string(
        "information_rights/letters/transfer.txt",
        {"req": req, "sar": sar, "council_name": settings.COUNCIL_NAME},
    )


@transaction.atomic
def transfer_to_sar(actor: Staff, request_id: int, *, requester_kind: str = Requester.SELF) -> SarCase:
    """A request for the requester's own personal data is exempt under FOIA s40(1) (EIR reg 5(3))
    and is handled as a subject-access request under the Access to Records Procedure (policy 3);
    the requester is told."""
    _require_igo(actor)
    req = _get_request(request_id)
    _open(req)
    if requester_kind not in Requester.values:
        raise InvalidInput("Select who is asking")
    if req.regime == Regime.FOI:
        ExemptionClaim.objects.create(
            request=req,
            code="FOIA:s40(1)",
            added_by=actor,
            why_applies="The requester asks for their own personal data.",
        )
    sar = open_sar(
        actor,
        requester_name=req.requester_name,
        requester_contact=req.requester_contact,
        requester_kind=requester_kind,
        received_on=req.received_on,
        from_request=req,
    )
    req.outcome = Outcome.TRANSFERRED
    req.closed_on = timezone.localdate()
    req.response_text = transfer_letter(req, sar)
    req.save()
    audit.record(
        actor.pk,
        "ir.request.transferred",
        object_type="info_request",
        object_id=req.pk,
        details={"sar": sar.pk},
    )
    return sar


def public_disclosure_log() -> list[InfoRequest]:
    """Released answers for the public page: no requester identity (s40(2))."""
    return list(
        InfoRequest.objects.filter(published=True)
        .prefetch_related("exemptions")
        .order_by("-closed_on", "-id")[:500]
    )


# --- dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenCase:
    kind: str
    pk: int
    ref: str
    regime: str
    due_on: dt.date
    days_left: int
    rag: str  # green, amber, red, or on_hold while the clock is stopped
    handler: str
    waiting_for: str = ""  # what a stopped clock waits for: "clarification" or "fee"


ON_HOLD = "on_hold"


@dataclass
class MonthCompliance:
    month: str
    answered: int = 0
    in_time: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.in_time / self.answered) if self.answered else 0

    @property
    def meets_target(self) -> bool:
        return self.percent >= 90


@dataclass
class Dashboard:
    today: dt.date
    open_cases: list[OpenCase] = field(default_factory=list)
    due_this_week: list[OpenCase] = field(default_factory=list)
    overdue: list[OpenCase] = field(default_factory=list)
    compliance: list[MonthCompliance] = field(default_factory=list)


def open_cases(today: dt.date) -> list[OpenCase]:
    fcal, scal = foi_cal(), sar_cal()
    rows: list[OpenCase] = []
    for req in InfoRequest.objects.filter(closed_on__isnull=True).select_related("handler"):
        rows.append(
            OpenCase(
                "request",
                req.pk,
                req.ref,
                req.regime.upper(),
                req.due_on,
                deadlines.days_left(req.due_on, today, fcal),
                ON_HOLD if req.on_hold else deadlines.rag_status(req.due_on, today, fcal).value,
                req.handler.display_name if req.handler else "",
                req.on_hold,
            )
        )
    for sar in SarCase.objects.filter(closed_on__isnull=True).select_related("handler"):
        rows.append(
            OpenCase(
                "sar",
                sar.pk,
                sar.ref,
                "SAR",
                sar.due_on,
                deadlines.days_left(sar.due_on, today, scal),
                ON_HOLD if sar.on_hold else deadlines.rag_status(sar.due_on, today, scal).value,
                sar.handler.display_name if sar.handler else "",
                sar.on_hold,
            )
        )
    rows.sort(key=lambda r: (r.due_on, r.ref))
    return rows


def dashboard(actor: Staff, today: dt.date | None = None, months: int = 12) -> Dashboard:
    """The IG team's view: clocks, and per-month compliance (ICO expects at least 90 % in time)."""
    _require_igo(actor)
    today = today or timezone.localdate()
    board = Dashboard(today=today, open_cases=open_cases(today))
    week_end = today + dt.timedelta(days=6 - today.weekday())
    running = [c for c in board.open_cases if c.rag != ON_HOLD]
    board.overdue = [c for c in running if c.due_on < today]
    board.due_this_week = [c for c in running if today <= c.due_on <= week_end]
    first = deadlines.add_months(today.replace(day=1), -(months - 1))
    by_month: dict[str, MonthCompliance] = {}
    cursor = first
    while cursor <= today:
        key = cursor.strftime("%Y-%m")
        by_month[key] = MonthCompliance(key)
        cursor = deadlines.add_months(cursor, 1)
    closed = InfoRequest.objects.filter(closed_on__gte=first).exclude(outcome=Outcome.TRANSFERRED)
    for closed_on, due_on in closed.values_list("closed_on", "due_on"):
        row = by_month.get(closed_on.strftime("%Y-%m")) if closed_on is not None else None
        if row is not None and closed_on is not None:
            row.answered += 1
            row.in_time += closed_on <= due_on
    board.compliance = list(by_month.values())
    audit.record(actor.pk, "ir.dashboard.read", object_type="dashboard")
    return board


def dashboard_csv_rows(board: Dashboard) -> Iterable[list[str]]:
    yield ["kind", "ref", "regime", "due_on", "working_days_left", "status", "handler"]
    for c in board.open_cases:
        yield [c.kind, c.ref, c.regime, c.due_on.isoformat(), str(c.days_left), c.rag, c.handler]


# --- subject access -----------------------------------------------------------------------


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


def _save_sar_clock(actor: Staff, sar: SarCase, action: str, *, reason: str = "") -> SarCase:
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


def _sar_open(sar: SarCase) -> None:
    if sar.status == SarStatus.RELEASED or sar.closed_on is not None:
        raise InvalidInput("This subject-access case is closed")


def _subject(actor: Staff, subject_ref: str) -> Person | None:
    """The person a subject-access request is about, opened through access (audited)."""
    if not subject_ref.strip():
        return None
    try:
        return access.get_person_for(actor, ref=subject_ref.strip()).person
    except access.NotFound:
        raise InvalidInput("Enter the reference of a person on our records") from None


def _get_sar(sar_id: int) -> SarCase:
    try:
        return SarCase.objects.select_for_update().get(pk=sar_id)
    except SarCase.DoesNotExist:
        raise access.NotFound("No such subject-access case.") from None


@transaction.atomic
def open_sar(
    actor: Staff,
    *,
    requester_name: str,
    requester_contact: str,
    requester_kind: str,
    received_on: dt.date | None = None,
    subject_ref: str = "",
    child_understands: bool | None = None,
    child_consents: bool | None = None,
    written_authority: bool = False,
    from_request: InfoRequest | None = None,
) -> SarCase:
    """Intake: who asks, for whom. A parent asking for a child: record whether the child can
    understand and consents (policy 2.3; ICO: a child who understands holds the right). A
    representative needs written authority (policy 2.2)."""
    _require_igo(actor)
    if requester_kind not in Requester.values:
        raise InvalidInput("Select who is asking")
    if requester_kind == Requester.PARENT and child_understands is None:
        raise InvalidInput("Select whether the child is old enough to understand the request")
    if requester_kind == Requester.PARENT and child_understands and child_consents is None:
        raise InvalidInput("Select whether the child consents")
    if requester_kind == Requester.REPRESENTATIVE and not written_authority:
        raise InvalidInput(
            "A representative needs the person's written authority: confirm it has been received"
        )
    today = timezone.localdate()
    received = received_on or today
    if received > today:
        raise InvalidInput("Enter a date received that is today or in the past")
    subject = _subject(actor, subject_ref)
    sar = SarCase(
        ref=_next_ref("SAR", SarCase),
        subject=subject,
        requester_name=_text(requester_name, "Enter the requester's name", max_length=200),
        requester_contact=_text(requester_contact, "Enter the requester's contact address", max_length=300),
        requester_kind=requester_kind,
        child_understands=child_understands,
        child_consents=child_consents if child_understands else None,
        written_authority=written_authority,
        received_on=received,
        handler=actor,
        created_by=actor,
        from_request=from_request,
        due_on=today,
    )
    sar.due_on = compute_sar_due(sar).due_on
    sar.save()
    audit.record(
        actor.pk,
        "ir.sar.opened",
        object_type="sar",
        object_id=sar.pk,
        person_id=subject.pk if subject else None,
        details={
            "requester_kind": requester_kind,
            "child_understands": child_understands,
            "child_consents": sar.child_consents,
            "due_on": sar.due_on.isoformat(),
        },
    )
    return sar


@transaction.atomic
def verify_identity(
    actor: Staff, sar_id: int, *, evidence: str, received_on: dt.date | None = None, subject_ref: str = ""
) -> SarCase:
    """Identity verified: the clock starts from the day the evidence arrived (Art 12A)."""
    _require_igo(actor)
    sar = _get_sar(sar_id)
    if sar.status != SarStatus.AWAITING_ID:
        raise InvalidInput("Identity has already been verified")
    if subject_ref.strip():
        sar.subject = _subject(actor, subject_ref)
    elif sar.subject_id is not None:
        # The subject named at opening, read through access (audited), never by the foreign key.
        sar.subject = access.get_person_for(actor, sar.subject_id).person
    if sar.subject_id is None:
        raise InvalidInput("Enter the reference of the person the request is about")
    sar.id_evidence = _text(evidence, "Enter the identity evidence seen", max_length=200)
    _not_in_future(received_on, "The date the identity evidence arrived")
    sar.id_verified_on = received_on or timezone.localdate()
    sar.id_verified_by = actor
    sar.status = SarStatus.COMPILING
    return _save_sar_clock(actor, sar, "ir.sar.identity_verified")


@transaction.atomic
def sar_clarification(
    actor: Staff, sar_id: int, *, requested_on: dt.date, received_on: dt.date | None = None
) -> SarCase:
    """Art 12A / ICO: the clock stops while the controller waits for the clarification it asked for;
    record the day it was asked for now, and the day it arrived when it does."""
    _require_igo(actor)
    sar = _get_sar(sar_id)
    _sar_open(sar)
    _not_in_future(requested_on, "The date clarification was asked for")
    _not_in_future(received_on, "The date clarification was received")
    if requested_on < sar.received_on:
        raise InvalidInput("Enter a clarification date on or after the date received")
    if received_on is not None and received_on < requested_on:
        raise InvalidInput(
            "Enter a date the clarification was received on or after the date it was asked for"
        )
    sar.clarification_requested_on, sar.clarification_received_on = requested_on, received_on
    return _save_sar_clock(actor, sar, "ir.sar.clarification")


@transaction.atomic
def extend_sar(actor: Staff, sar_id: int, *, reason: str) -> SarCase:
    """Art 12(3): by two further months for complexity or number of requests, told within the first month."""
    _require_igo(actor)
    sar = _get_sar(sar_id)
    _sar_open(sar)
    reason = _text(reason, "Enter why the request is complex or numerous", max_length=300)
    if sar.extended:
        raise InvalidInput("The deadline has already been extended")
    # The first month, less any days paused for a clarification (DPA 2018 s54(3C), Art 12A).
    first_due = sar.due_on if sar.on_hold else compute_sar_due(sar).due_on
    if timezone.localdate() > first_due and not sar.on_hold:
        raise InvalidInput(f"An extension must be notified within the first month (by {first_due:%d %B %Y})")
    sar.extended = True
    return _save_sar_clock(actor, sar, "ir.sar.extended", reason=reason)


@transaction.atomic
def compile_records(actor: Staff, sar_id: int) -> CompiledSar:
    """Collect everything held about the subject (through access) and propose redactions."""
    _require_igo(actor)
    sar = _get_sar(sar_id)
    if sar.status == SarStatus.AWAITING_ID or sar.subject_id is None:
        raise InvalidInput("Verify the requester's identity first")
    if sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    compiled = compile_sar(actor, sar, propose=True)
    from discretion.information_rights.documents.pipeline import schedule

    schedule(sar, actor)  # the attachments are read page by page in the background
    return compiled


@transaction.atomic
def decide_redaction(actor: Staff, redaction_id: int, *, decision: str, note: str = "") -> Redaction:
    """The reviewer accepts or rejects a proposed redaction; every decision is kept."""
    _require_igo(actor)
    red = Redaction.objects.select_for_update().filter(pk=redaction_id).select_related("sar").first()
    if red is None:
        raise access.NotFound("No such redaction.")
    if decision not in (Decision.ACCEPTED, Decision.REJECTED):
        raise InvalidInput("Select accept or reject")
    if red.sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    red.decision = decision
    red.save(update_fields=["decision"])
    RedactionDecision.objects.create(redaction=red, decision=decision, note=note[:300], decided_by=actor)
    audit.record(
        actor.pk,
        "ir.sar.redaction_decided",
        object_type="sar",
        object_id=red.sar_id,
        person_id=red.sar.subject_id,
        details={"redaction": red.pk, "decision": decision},
    )
    return red


@transaction.atomic
def add_redaction(
    actor: Staff, sar_id: int, *, entry_id: int, passage: str, reason: str, note: str = ""
) -> list[Redaction]:
    """The reviewer adds a redaction: every occurrence of `passage` in the entry's text."""
    _require_igo(actor)
    sar = _get_sar(sar_id)
    if sar.status not in (SarStatus.REVIEW, SarStatus.READY):
        raise InvalidInput("Compile the records before adding redactions")
    if reason not in Reason.values:
        raise InvalidInput("Select the reason for the redaction")
    if reason == Reason.SUBJECT_EXPECTATION and sar.requester_kind != Requester.PARENT:
        # DPA 2018 Sch 3 para 10: only a request made for the child by someone with parental
        # responsibility (or a court-appointed deputy) can be refused on the child's expectations.
        raise InvalidInput(
            "The child's expectations exemption applies only when a parent asks for a child's records"
        )
    if entry_id not in set(sar.entry_ids):
        raise InvalidInput("Select an entry in this bundle")
    passage = _text(passage, "Enter the passage to redact", max_length=5000)
    entry, _ = access.get_entry_for(actor, entry_id)
    spans, start = [], entry.text.find(passage)
    while start != -1:
        spans.append(start)
        start = entry.text.find(passage, start + len(passage))
    if not spans:
        raise InvalidInput("Enter a passage that appears in the entry's text exactly")
    made = []
    for s in spans:
        red = Redaction.objects.create(
            sar=sar,
            entry_id=entry_id,
            start=s,
            end=s + len(passage),
            text=passage,
            reason=reason,
            proposed_by_system=False,
            decision=Decision.ACCEPTED,
        )
        RedactionDecision.objects.create(
            redaction=red, decision=Decision.ACCEPTED, note=note[:300], decided_by=actor
        )
        made.append(red)
    sar.status = SarStatus.REVIEW
    sar.save(update_fields=["status"])
    audit.record(
        actor.pk,
        "ir.sar.redaction_added",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"entry": entry_id, "redactions": [r.pk for r in made], "reason": reason},
    )
    return made


def attachment_reviews(sar: SarCase) -> dict[int, AttachmentReview]:
    """The reviewer's latest decision on each attachment of the bundle, by attachment id."""
    latest: dict[int, AttachmentReview] = {}
    for row in AttachmentReview.objects.filter(sar=sar).select_related("decided_by").order_by("id"):
        latest[row.attachment_id] = row
    return latest


@transaction.atomic
def decide_attachment(
    actor: Staff, sar_id: int, attachment_id: int, *, include: bool, note: str = ""
) -> AttachmentReview:
    """The reviewer marks an attachment reviewed by hand and to include, or withholds it. An
    attachment's text cannot be redacted automatically, so only one reviewed by hand goes in the
    bundle (ICO right of access: other people's data is withheld; policy 3). Every decision is kept."""
    _require_igo(actor)
    sar = _get_sar(sar_id)
    if sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    if sar.compiled_at is None:
        raise InvalidInput("Compile the records first")
    # Ids only: which attachments belong to the compiled entries (nothing is displayed from here).
    if not Attachment.objects.filter(pk=attachment_id, entry_id__in=sar.entry_ids).exists():
        raise InvalidInput("Select an attachment in this bundle")
    row = AttachmentReview.objects.create(
        sar=sar,
        attachment_id=attachment_id,
        include=include,
        note=(note or "").strip()[:300],
        decided_by=actor,
    )
    audit.record(
        actor.pk,
        "ir.sar.attachment_decided",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"attachment": attachment_id, "include": include},
    )
    return row


def _attachment_contents(actor: Staff, sar: SarCase, compiled: CompiledSar) -> dict[int, bytes]:
    """The files of attachments the reviewer included, each opened through access (audited)."""
    reviews = attachment_reviews(sar)
    contents: dict[int, bytes] = {}
    for attachments in compiled.attachments.values():
        for listed in attachments:
            review = reviews.get(listed.pk)
            if review is None or not review.include:
                continue
            attachment = access.open_attachment_for(actor, listed.pk)
            try:
                with attachment.file.open("rb") as handle:
                    contents[attachment.pk] = handle.read()
            except OSError:
                continue  # shown in the bundle as not reproduced
    return contents


def build_bundle(actor: Staff, sar_id: int) -> bytes:
    """Render the bundle (true redactions): compiled through `access`, accepted redactions removed
    before rendering. Proposed redactions still undecided count as accepted (withhold by default).
    Attachments go in only once reviewed by hand and marked to include."""
    from discretion.information_rights import pdf

    _require_igo(actor)
    with transaction.atomic():
        sar = _get_sar(sar_id)
        if sar.status in (SarStatus.AWAITING_ID,) or sar.subject_id is None or sar.compiled_at is None:
            raise InvalidInput("Verify identity and compile the records first")
        compiled = compile_sar(actor, sar, propose=False)
        if set(compiled.entry_ids) != set(sar.entry_ids):
            # Records written since the compile have had no redactions proposed or reviewed.
            raise InvalidInput("The records have changed since they were compiled: compile again and review")
        contents = _attachment_contents(actor, sar, compiled)
        from discretion.information_rights.documents import release
        from discretion.information_rights.review import signer_name

        try:  # documents read page by page go in as released pages, boxes burned in
            contents = release.released_documents(sar, contents)
        except release.StillReading as exc:
            raise InvalidInput(str(exc)) from None
        content = pdf.render_bundle(
            sar,
            compiled,
            council_name=settings.COUNCIL_NAME,
            attachment_contents=contents,
            signer=signer_name(sar),
            contact=settings.COUNCIL_IG_CONTACT,
        )
        sar.bundle_sha256 = pdf.sha256(content)
        if sar.status != SarStatus.RELEASED:
            sar.status = SarStatus.READY
        sar.save(update_fields=["bundle_sha256", "status"])
        audit.record(
            actor.pk,
            "ir.sar.bundle_built",
            object_type="sar",
            object_id=sar.pk,
            person_id=sar.subject_id,
            details={"sha256": sar.bundle_sha256, "bytes": len(content), "attachments": sorted(contents)},
        )
    return content


def release_bundle(actor: Staff, sar_id: int) -> tuple[SarCase, str, str]:
    """Release through the secure link, recorded in the disclosure register (the one door out)."""
    from discretion.disclosures.models import Channel
    from discretion.disclosures.services import Recipient, disclose

    content = build_bundle(actor, sar_id)
    with transaction.atomic():
        sar = _get_sar(sar_id)
        if sar.status == SarStatus.RELEASED:
            raise InvalidInput("This bundle has already been released")
        if sar.requester_kind == Requester.PARENT and sar.child_understands and sar.child_consents is False:
            # ICO: a child who understands holds the right of access; a parent acts for them only
            # with their authority (or where they cannot understand).
            raise InvalidInput(
                "The child understands the request and does not consent: respond to the child, not the parent"
            )
        from discretion.information_rights.review import require_signed_off

        require_signed_off(sar)  # four eyes: a second officer signed this review off
        release = disclose(
            actor,
            recipient=Recipient(
                name=sar.requester_name,
                category=f"subject access: {sar.requester_kind}",
                address=sar.requester_contact,
            ),
            channel=Channel.SECURE_LINK,
            content=content,
            content_name=f"{sar.ref}-bundle.pdf",
            source="information_rights.sar",
            source_id=str(sar.pk),
            person_ids=[sar.subject_id] if sar.subject_id else [],
            entry_ids=list(sar.entry_ids),
            purpose="Subject access request (UK GDPR Art 15)",
            legal_basis="UK GDPR Art 15; Data Protection Act 2018",
            rules=["3-sar"],
            summary=f"Subject-access bundle {sar.ref}",
            message_subject=f"Your subject access request {sar.ref}",
            message_body="Your records are available through the secure link; the code is sent separately.",
        )
        sar.status = SarStatus.RELEASED
        sar.disclosure_id = release.disclosure.pk
        sar.closed_on = timezone.localdate()
        sar.save(update_fields=["status", "disclosure_id", "closed_on"])
        audit.record(
            actor.pk,
            "ir.sar.released",
            object_type="sar",
            object_id=sar.pk,
            person_id=sar.subject_id,
            details={"disclosure": release.disclosure.pk, "in_time": sar.closed_on <= sar.due_on},
        )
    return sar, release.link_token, release.link_code


# --- internal review of a subject-access request -----------------------------------------

SAR_REVIEW_WORKING_DAYS = 20  # the council's practice, as for FOI reviews (FOIA s45 Code, part 5)


@transaction.atomic
def request_sar_review(actor: Staff, sar_id: int, *, received_on: dt.date | None = None) -> SarReview:
    """The requester asks the council to review how their subject-access request was handled.
    There is no statutory review for subject access; the council answers within 20 working days,
    and the requester may complain to the ICO at any time (UK GDPR Art 77)."""
    _require_igo(actor)
    sar = _get_sar(sar_id)
    if sar.status != SarStatus.RELEASED:
        raise InvalidInput("An internal review can be asked for only once the bundle is released")
    received = received_on or timezone.localdate()
    _not_in_future(received, "The date the review was asked for")
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
    _require_igo(actor)
    review = (
        SarReview.objects.select_for_update()
        .select_related("sar")
        .filter(pk=review_id, sar_id=sar_id)
        .first()
    )
    if review is None:
        raise access.NotFound("No such review.")
    decided_on = _record_review_decision(review, outcome, notes)
    audit.record(
        actor.pk,
        "ir.sar.review_decided",
        object_type="sar",
        object_id=sar_id,
        person_id=review.sar.subject_id,
        details={"review": review.pk, "outcome": outcome, "in_time": decided_on <= review.due_on},
    )
    return review


# --- reads for pages and the API ----------------------------------------------------------


def get_request_for(actor: Staff, request_id: int) -> InfoRequest:
    """An IGO, or the request's handler; the read is audited (requester details are personal data).
    Anyone else is told "no such request", as for a missing one, and the refusal is audited."""
    req = _party_request(actor, request_id)
    audit.record(actor.pk, "ir.request.read", object_type="info_request", object_id=req.pk)
    return req


def list_requests(actor: Staff) -> list[InfoRequest]:
    """The FOI/EIR list shows requesters' names, so it is audited (ids shown, never names)."""
    _require_igo(actor)
    rows = list(InfoRequest.objects.select_related("handler").order_by("-received_on", "-id")[:500])
    audit.record(
        actor.pk, "ir.requests.listed", object_type="info_request", details={"shown": [r.pk for r in rows]}
    )
    return rows


def get_sar_for(actor: Staff, sar_id: int) -> SarCase:
    """A subject-access case for an IGO; its subject is read through access (the information-
    governance basis), so the look at the person is audited like any other."""
    _require_igo(actor)
    sar = SarCase.objects.select_related("handler").filter(pk=sar_id).first()
    if sar is None:
        raise access.NotFound("No such subject-access case.")
    if sar.subject_id is not None:
        sar.subject = access.get_person_for(actor, sar.subject_id).person
    audit.record(actor.pk, "ir.sar.read", object_type="sar", object_id=sar.pk, person_id=sar.subject_id)
    return sar


def list_sars(actor: Staff) -> list[SarCase]:
    """The subject-access list (requesters are data subjects or act for one): audited, ids only."""
    _require_igo(actor)
    rows = list(SarCase.objects.select_related("handler").order_by("-received_on", "-id")[:500])
    audit.record_for_people(
        actor.pk,
        "ir.sars.listed",
        [s.subject_id for s in rows if s.subject_id is not None],
        object_type="sar",
        details={"shown": [s.pk for s in rows]},
    )
    return rows


def review_view(actor: Staff, sar_id: int) -> tuple[SarCase, CompiledSar, list[Redaction]]:
    """The redaction review: the compiled records (read through access) and every redaction."""
    _require_igo(actor)
    sar = get_sar_for(actor, sar_id)
    if sar.compiled_at is None:
        raise InvalidInput("Compile the records first")
    compiled = compile_sar(actor, sar, propose=False)
    return sar, compiled, list(Redaction.objects.filter(sar=sar).order_by("entry_id", "start"))
