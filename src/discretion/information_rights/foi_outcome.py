"""Answering an FOI/EIR request: exemptions, the cost estimate, the refusal notice, the outcome,
and publication in the disclosure log (never personal data)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights import exemptions
from discretion.information_rights.inputs import not_longer_than, required_text
from discretion.information_rights.models import (
    ExemptionClaim,
    InfoRequest,
    Outcome,
    Regime,
)
from discretion.information_rights.permissions import get_info_request, require_igo, require_request_open
from discretion.staff.models import Staff


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
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
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
    why = required_text(why_applies, "Enter why the exemption applies", max_length=5000)
    not_longer_than(prejudice, "The prejudice", 5000)
    not_longer_than(public_interest, "The public-interest test", 5000)
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
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
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
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
    if outcome not in Outcome.values or outcome == Outcome.TRANSFERRED:
        raise InvalidInput("Select the outcome")
    if outcome in (Outcome.PARTLY_WITHHELD, Outcome.REFUSED) and not req.exemptions.exists():
        raise InvalidInput("Record at least one exemption before withholding information")
    if outcome in (Outcome.PROVIDED, Outcome.PARTLY_WITHHELD) and not response_text.strip():
        raise InvalidInput("Enter the information provided")
    if outcome in (Outcome.PROVIDED, Outcome.PARTLY_WITHHELD):
        _refuse_personal_data(response_text)
    not_longer_than(response_text.strip(), "The information provided", 50_000)
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
    from discretion.information_rights import foi_letters, notify

    if foi_letters.needs_sign_off(req):
        notify.answer_waits(req, actor)
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


def publish_to_log(actor: Staff, req: InfoRequest) -> int:
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


def public_disclosure_log() -> list[InfoRequest]:
    """Released answers for the public page: no requester identity (s40(2))."""
    return list(
        InfoRequest.objects.filter(published=True)
        .prefetch_related("exemptions")
        .order_by("-closed_on", "-id")[:500]
    )
