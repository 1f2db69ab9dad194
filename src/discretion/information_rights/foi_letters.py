"""The end of an FOI or EIR case: the due date explained, the closing letter from its template, a
second officer's sign-off, and the letter sent by the guarded outbound route.

Four eyes: the officer who records the answer cannot sign it off; another information governance
officer does, and only then is it published on the disclosure log (if that was asked for) or sent.

The requester's address: the letter goes only to the contact recorded on the request (nobody types a
recipient when sending, so a letter cannot be misdirected by a slip at that moment). An e-mail address
gets the letter through `outbound.services.send_message`, which scans it like any other message: an
FOI answer carries no one's personal data, so it leaves as ordinary e-mail, and a letter that the
finder says holds a service user's personal data is stopped there. Any other contact (a postal
address) means the letter is printed and posted, and the officer records that it was. The address is
never published: the disclosure log shows what was asked and answered, not who asked (FOIA s40(2)).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from discretion import access, deadlines
from discretion.audit import services as audit
from discretion.information_rights import exemptions, notify
from discretion.information_rights.models import InfoRequest, Outcome, Regime
from discretion.information_rights.services import (
    InvalidInput,
    compute_request_due,
    get_info_request,
    publish_to_log,
    require_igo,
)
from discretion.staff.models import Staff

ANSWERED = (Outcome.PROVIDED, Outcome.PARTLY_WITHHELD, Outcome.REFUSED, Outcome.NOT_HELD)


# --- the due date, explained ---------------------------------------------------------------


@dataclass(frozen=True)
class DueExplained:
    due_on: str
    rule: str
    skipped: list[str]


def _long(day: object) -> str:
    return f"{day:%A %-d %B %Y}"


def explain_due(req: InfoRequest) -> DueExplained | None:
    """How the due date was worked out, in the words `discretion deadline … --json` uses: the rule,
    and each day skipped with why. None while the clock is stopped."""
    if req.on_hold:
        return None
    try:
        return explain(compute_request_due(req))
    except InvalidInput:
        return None


def explain(deadline: deadlines.Deadline) -> DueExplained:
    """Any statutory clock (FOI, EIR, subject access) as the page explains it."""
    return DueExplained(
        due_on=_long(deadline.due_on),
        rule=deadline.rule,
        skipped=[f"{_long(s.day)}: {s.why}" for s in [*deadline.skipped, *deadline.disregarded]],
    )


# --- the letter ---------------------------------------------------------------------------


def _signer(req: InfoRequest) -> str:
    return req.answer_signed_off_by.display_name if req.answer_signed_off_by else ""


def closing_letter(req: InfoRequest) -> str:
    """The letter that ends the case, from its template, with the council's contact details and the
    officer who signed it off ("" while the request is open or was handed to subject access)."""
    if req.outcome not in ANSWERED:
        return ""
    context = {
        "req": req,
        "council_name": settings.COUNCIL_NAME,
        "contact": settings.COUNCIL_IG_CONTACT,
        "signer": _signer(req),
        "today": timezone.localdate(),
    }
    claims = [(c, exemptions.get(c.code)) for c in req.exemptions.all().order_by("id")]
    notice = render_to_string(
        "information_rights/letters/refusal_notice.txt",
        {
            **context,
            "claims": claims,
            "law": "Environmental Information Regulations 2004, regulation 14"
            if req.regime == Regime.EIR
            else "Freedom of Information Act 2000, section 17",
        },
    )
    if req.outcome == Outcome.REFUSED:
        return notice.strip() + "\n"
    return (
        render_to_string("information_rights/letters/response.txt", {**context, "notice": notice}).strip()
        + "\n"
    )


def needs_sign_off(req: InfoRequest) -> bool:
    return req.outcome in ANSWERED and req.answer_signed_off_by_id is None


def is_email(contact: str) -> bool:
    try:
        validate_email(contact.strip())
    except ValidationError:
        return False
    return True


# --- actions ------------------------------------------------------------------------------


def _closed_answer(actor: Staff, request_id: int) -> InfoRequest:
    require_igo(actor)
    req = get_info_request(request_id)
    if req.is_open:
        raise InvalidInput("Record the outcome first")
    if req.outcome not in ANSWERED:
        raise InvalidInput("This request was handled as a subject access request")
    return req


@transaction.atomic
def sign_off_answer(actor: Staff, request_id: int) -> InfoRequest:
    """A second information governance officer signs the answer off; then it is published on the
    disclosure log if that was asked for (registered through the one door out)."""
    req = _closed_answer(actor, request_id)
    if req.answer_signed_off_by_id is not None:
        raise InvalidInput("This answer has already been signed off")
    if req.answer_prepared_by_id == actor.pk:
        raise access.refusal(
            actor,
            "ir.request.sign_off",
            "Someone other than you must sign off this answer: you recorded it",
            object_type="info_request",
            object_id=req.pk,
        )
    req.answer_signed_off_by, req.answer_signed_off_at = actor, timezone.now()
    if req.publish_requested and not req.published:
        req.published = True
        req.disclosure_id = publish_to_log(actor, req)
    req.save(update_fields=["answer_signed_off_by", "answer_signed_off_at", "published", "disclosure_id"])
    audit.record(
        actor.pk,
        "ir.request.signed_off",
        object_type="info_request",
        object_id=req.pk,
        details={"prepared_by": req.answer_prepared_by_id, "published": req.published},
    )
    notify.answer_signed_off(req, actor)
    return req


@transaction.atomic
def send_letter(actor: Staff, request_id: int) -> InfoRequest:
    """Send the signed-off letter to the requester's e-mail address through the outbound gateway."""
    from discretion.outbound import services as outbound

    req = _closed_answer(actor, request_id)
    if req.answer_signed_off_by_id is None:
        raise InvalidInput(
            "A second information governance officer must sign off the answer before it is sent"
        )
    if req.letter_sent_at is not None:
        raise InvalidInput("The letter has already been sent")
    contact = req.requester_contact.strip()
    if not is_email(contact):
        raise InvalidInput(
            "The requester gave a postal address, not an e-mail address: print the letter, post it, "
            "and record that it was posted"
        )
    try:
        sent = outbound.send_message(
            actor,
            to=[contact],
            subject=f"Your request for information {req.ref}",
            body=closing_letter(req),
            route=outbound.Route.EMAIL,
        )
    except (outbound.Blocked, outbound.InvalidInput) as exc:
        raise InvalidInput(str(exc)) from None
    return _sent(actor, req, "email", [m.pk for m in sent.messages])


@transaction.atomic
def record_posted(actor: Staff, request_id: int) -> InfoRequest:
    """The officer printed the signed-off letter and posted it to the requester."""
    req = _closed_answer(actor, request_id)
    if req.answer_signed_off_by_id is None:
        raise InvalidInput(
            "A second information governance officer must sign off the answer before it is sent"
        )
    if req.letter_sent_at is not None:
        raise InvalidInput("The letter has already been sent")
    return _sent(actor, req, "post", [])


def _sent(actor: Staff, req: InfoRequest, route: str, messages: list[int]) -> InfoRequest:
    req.letter_sent_at, req.letter_sent_by, req.letter_route = timezone.now(), actor, route
    req.save(update_fields=["letter_sent_at", "letter_sent_by", "letter_route"])
    audit.record(
        actor.pk,
        "ir.request.letter_sent",
        object_type="info_request",
        object_id=req.pk,
        details={"route": route, "messages": messages, "outcome": req.outcome},
    )
    return req
