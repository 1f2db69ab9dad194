"""The council's rule for mail that leaves through the smart host (policy 1.1, issue 14).

Every message is checked, every part of it (outbound/extract.py). Then:
- no personal data about a service user, or every recipient inside the council (its own domains):
  relayed to the next hop as it is;
- personal data to anyone outside the council leaves only as a release, and only when all of these hold
  (otherwise the message is refused, with a bounce to the sender saying why and what to do):
  1. the council's rule allows the relay to release at all (DISCRETION_RELAY_PERSONAL_DATA is
     "secure_link", the default; "refuse" bounces every such message to be sent from Discretion);
  2. the sender's mailbox is one member of staff's, active and not supervised (a volunteer or
     work-experience student never sends personal data, policy 1.2);
  3. no recipient's domain is a look-alike of one the council knows (outbound/recipients.py);
  4. the message cites a lawful basis: an approved request the sender handles, with nothing left to do
     first, about everyone the message names, answered only to the person who asked
     (requests.message_basis, the compose page's own check; `[request 123]` in the subject, or an
     `X-Discretion-Request: 123` header).
  Then each outside recipient gets a release through `disclose` (register entry and outbox in one
  transaction, the lawful basis recorded): secure e-mail (TLS required) to a secure domain, otherwise a
  secure download link whose one-time code goes to the sender, to pass on by another route. Recipients
  inside the council get the message as it is.
Every decision is audited with labels, parts and positions, never the text found.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

from django.conf import settings
from django.db import transaction

from discretion import access
from discretion.audit import services as audit
from discretion.disclosures.models import Channel, Disclosure
from discretion.disclosures.services import Recipient, Release, disclose
from discretion.outbound import extract
from discretion.outbound.mailcheck import check_parts
from discretion.outbound.services import Check, domain_of, is_secure_domain
from discretion.requests.message_basis import MessageBasis, basis_for_message
from discretion.staff.models import Staff

SOURCE = "smtp_relay"
_REQUEST_TAG = re.compile(r"\[\s*(?:request|req|r)\s*[#:\- ]?\s*(\d{1,10})\s*\]", re.IGNORECASE)


class Refusal(enum.StrEnum):
    RULE = "rule_refuses"
    UNKNOWN_SENDER = "unknown_sender"
    SUPERVISED = "supervised_sender"
    LOOKALIKE = "lookalike_domain"
    NO_BASIS = "no_lawful_basis"
    BAD_BASIS = "basis_not_valid"


@dataclass(frozen=True)
class Basis:
    """An approved request cited by the sender: the lawful basis recorded with each release."""

    request_id: int
    legal_basis: str
    rules: tuple[str, ...]
    purpose: str
    approved_by: Staff | None
    answered: MessageBasis


@dataclass(frozen=True)
class Plan:
    """What to do with one message: who gets it as it is, who gets a release, or why it is refused."""

    check: Check
    relay_to: tuple[str, ...] = ()
    releases: tuple[tuple[str, Channel], ...] = ()
    refusal: Refusal | None = None
    reason: str = ""  # plain English for the sender
    actor: Staff | None = None
    basis: Basis | None = None
    person_ids: tuple[int, ...] = ()
    lookalikes: tuple[str, ...] = field(default_factory=tuple)


def max_message_bytes() -> int:
    return int(getattr(settings, "DISCRETION_MAX_MESSAGE_BYTES", 25 * 1024 * 1024))


def council_domains() -> tuple[str, ...]:
    configured = getattr(settings, "DISCRETION_COUNCIL_DOMAINS", None)
    if configured:
        return tuple(d.lower().lstrip("@.") for d in configured)
    return (domain_of(str(getattr(settings, "DISCRETION_MAIL_FROM", "no-reply@council.example"))),)


def is_internal(address: str) -> bool:
    domain = domain_of(address)
    return any(domain == d or domain.endswith("." + d) for d in council_domains())


def check_message(recipients: tuple[str, ...], message_bytes: bytes) -> tuple[EmailMessage, Check]:
    """The finder over every part of the message, as the compose page's check does for its fields."""
    parsed, parts = extract.message_parts(message_bytes, budget=4 * max_message_bytes())
    return parsed, check_parts(recipients, parts)


def sender_staff(address: str) -> Staff | None:
    """The one active member of staff whose mailbox this is (case does not matter)."""
    matches = list(Staff.objects.filter(email__iexact=address.strip(), is_active=True)[:2]) if address else []
    return matches[0] if len(matches) == 1 else None


def cited_request(message: EmailMessage) -> int | None:
    header = str(message.get("X-Discretion-Request", "") or "").strip()
    if header.isdigit():
        return int(header)
    found = _REQUEST_TAG.search(str(message.get("Subject", "") or ""))
    return int(found.group(1)) if found else None


def _person_ids(refs: Sequence[str]) -> list[int]:
    return access.person_ids_for_refs(refs)


def lawful_basis(
    actor: Staff, request_id: int, person_ids: list[int], recipients: tuple[str, ...]
) -> Basis | str:
    """The cited request as a lawful basis (the compose page's own check, requests.message_basis), or
    why it is not one (plain English)."""
    try:
        found = basis_for_message(actor, request_id, person_ids=person_ids, recipients=recipients)
    except (access.NotPermitted, access.NotFound) as exc:
        return str(exc).rstrip(".")
    return Basis(
        request_id=found.request.pk,
        legal_basis=found.legal_basis,
        rules=tuple(found.rules),
        purpose=str(found.request.facts.get("purpose", "")) or f"request {found.request.pk}",
        approved_by=found.approved_by,
        answered=found,
    )


def plan(mail_from: str, rcpt_tos: tuple[str, ...], message_bytes: bytes) -> tuple[EmailMessage, Plan]:
    """Decide, without writing anything (see the module docstring)."""
    from discretion.outbound.recipients import lookalike_domains

    recipients = tuple(r.strip().lower() for r in rcpt_tos)
    message, check = check_message(recipients, message_bytes)
    if not check.contains_personal_data:
        return message, Plan(check, relay_to=recipients)
    outside = tuple(r for r in recipients if not is_internal(r))
    inside = tuple(r for r in recipients if is_internal(r))
    if not outside:
        return message, Plan(check, relay_to=recipients)
    person_ids = tuple(_person_ids(check.subject_refs))
    actor = sender_staff(mail_from)
    how = (
        "Send it from Discretion instead (Write to someone outside the council, on the case page), which "
        "sends personal data only by a secure route and records it in the disclosure register."
    )
    if str(getattr(settings, "DISCRETION_RELAY_PERSONAL_DATA", "secure_link")) == "refuse":
        return message, Plan(
            check,
            refusal=Refusal.RULE,
            reason="Personal data may not leave the council by e-mail from your mail program. " + how,
            actor=actor,
            person_ids=person_ids,
        )
    if actor is None or actor.has_ended():
        return message, Plan(
            check,
            refusal=Refusal.UNKNOWN_SENDER,
            reason="The sending mailbox is not one member of staff's, so nobody can be accountable for "
            "releasing personal data from it. " + how,
            person_ids=person_ids,
        )
    if actor.is_supervised:
        return message, Plan(
            check,
            refusal=Refusal.SUPERVISED,
            reason="Volunteers and work-experience students do not send personal data about children or "
            "families outside the council (Confidentiality Policy 1.2). Ask the member of staff "
            "responsible for you to send it.",
            actor=actor,
            person_ids=person_ids,
        )
    lookalikes = tuple(lookalike_domains(outside))
    if lookalikes:
        return message, Plan(
            check,
            refusal=Refusal.LOOKALIKE,
            reason=f"{', '.join(lookalikes)} looks like an address the council knows but is not it: check "
            "the recipient's address. Nothing was sent.",
            actor=actor,
            person_ids=person_ids,
            lookalikes=lookalikes,
        )
    request_id = cited_request(message)
    if request_id is None:
        return message, Plan(
            check,
            refusal=Refusal.NO_BASIS,
            reason="Personal data leaves the council only with a lawful basis: an approved request. Put its "
            "number in the subject, like [request 123], and send again; or " + how[0].lower() + how[1:],
            actor=actor,
            person_ids=person_ids,
        )
    basis = lawful_basis(actor, request_id, list(person_ids), outside)
    if isinstance(basis, str):
        return message, Plan(
            check,
            refusal=Refusal.BAD_BASIS,
            reason=f"It cannot be released: {basis}. " + how,
            actor=actor,
            person_ids=person_ids,
        )
    releases = tuple(
        (r, Channel.SECURE_EMAIL if is_secure_domain(r) else Channel.SECURE_LINK) for r in outside
    )
    return message, Plan(
        check, relay_to=inside, releases=releases, actor=actor, basis=basis, person_ids=person_ids
    )


def already_released(entry_id: str) -> bool:
    return Disclosure.objects.filter(source=SOURCE, source_id=entry_id).exists()


def release(entry_id: str, the_plan: Plan, message: EmailMessage, message_bytes: bytes) -> list[Release]:
    """One release per outside recipient, in the caller's transaction (see the module docstring)."""
    assert the_plan.actor is not None and the_plan.basis is not None
    council = getattr(settings, "COUNCIL_NAME", "The council")
    subject = str(message.get("Subject", "") or "")
    releases: list[Release] = []
    for address, channel in the_plan.releases:
        if channel is Channel.SECURE_LINK:
            # The notification carries no personal data: the message waits behind the link.
            message_subject = f"A secure message from {council}"
            message_body = (
                f"{council} has sent you a secure message. Open the link in this e-mail and enter the "
                "one-time code you will be given separately. The link expires."
            )
        else:
            message_subject = subject
            message_body = f"A message from {council} is attached (sent over an encrypted connection)."
        releases.append(
            disclose(
                the_plan.actor,
                recipient=Recipient(name=address, category="external", address=address),
                channel=channel,
                content=message_bytes,
                content_name="message.eml",
                source=SOURCE,
                source_id=entry_id,
                person_ids=the_plan.person_ids,
                purpose=the_plan.basis.purpose[:60],
                legal_basis=the_plan.basis.legal_basis,
                rules=["1.1-secure-channel", *the_plan.basis.rules],
                approved_by=the_plan.basis.approved_by,
                summary=f"E-mail through the smart host, request {the_plan.basis.request_id}",
                message_subject=message_subject,
                message_body=message_body,
            )
        )
    # The message was the answer to its request: the request is released (policy 1.1, as on the page).
    from discretion.requests.message_basis import record_answered

    if releases:
        record_answered(the_plan.actor, the_plan.basis.answered, releases[0].disclosure.pk)
    return releases


def audit_plan(entry_id: str, mail_from: str, the_plan: Plan) -> None:
    """One event for each message checked: what was found (labels, parts, positions) and what follows."""
    check = the_plan.check
    details: dict[str, object] = {
        **check.audit_details(),
        "sender_domain": domain_of(mail_from) if mail_from else "",
        "relay_to_domains": sorted({domain_of(r) for r in the_plan.relay_to}),
        "releases": [[domain_of(a), str(c)] for a, c in the_plan.releases],
        "refusal": str(the_plan.refusal) if the_plan.refusal else "",
        "request": the_plan.basis.request_id if the_plan.basis else None,
    }
    action = (
        "relay.refused" if the_plan.refusal else "relay.released" if the_plan.releases else "relay.checked"
    )
    with transaction.atomic():
        audit.record_for_people(
            the_plan.actor.pk if the_plan.actor else None,
            action,
            list(the_plan.person_ids),
            object_type="mail",
            object_id=entry_id,
            details=details,
        )
