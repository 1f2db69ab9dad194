"""The outbound gateway: every message the system sends goes through `send_message` (policy 1.1).

Policy 1.1: e-mail sent over the internet can be intercepted, read and changed, so personal identifiable
information about service users is not sent unless a secure or encrypted connection is in place. So:
- no service-user personal data found: the message is queued to the outbox as ordinary e-mail;
- personal data found: it leaves only as the answer to an approved request (the lawful basis, checked
  by `requests.message_basis`: policy 1.1 "a check will always be made that such disclosure is
  lawful"), never from a volunteer or student, and only by a secure route — a secure download link
  with a one-time code, e-mail encrypted to a key the recipient has registered, or SMTP with TLS
  required to a domain on the council's secure-domain list — and every such message is a disclosure
  in the register (`disclose`), recorded as the release of that request;
- otherwise it is blocked, and the sender is told what was found (labels and positions) and what to do.
Every block and every "send anyway" attempt is audited; an override is never honoured for personal data.
Audit rows hold labels, positions and ids, never the text found.
"""

from __future__ import annotations

import enum
import io
import warnings
import zipfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from discretion import access
from discretion.audit import services as audit
from discretion.detect import Finding, is_service_user_personal_data, scan
from discretion.disclosures.models import Channel, OutboxMessage
from discretion.disclosures.services import Recipient, Release, disclose, refuse_supervised_release
from discretion.errors import DiscretionError
from discretion.errors import InvalidInput as InvalidInput
from discretion.outbound import recipients as recipient_prompts
from discretion.outbound.models import RecipientKey
from discretion.outbound.subjects import get_index
from discretion.requests.message_basis import MessageBasis, basis_for_message, record_answered
from discretion.staff.models import Role, Staff

DEFAULT_SECURE_DOMAINS = ("gov.uk", "nhs.net", "police.uk", "cjsm.net", "gcsx.gov.uk")
# The outbox channel for ordinary e-mail that carries no service-user personal data. Not a disclosure
# channel: `Channel` lists only the routes personal data may take.
PLAIN_EMAIL = "email"
TEXT_SUFFIXES = (".txt", ".csv", ".md", ".text", ".eml", ".json", ".xml", ".html", ".htm")
MAX_RECIPIENTS = 50
KEY_MANAGERS = frozenset({Role.IGO, Role.TEAM_MANAGER, Role.ADMIN})


class Route(enum.StrEnum):
    EMAIL = "email"
    SECURE_LINK = Channel.SECURE_LINK.value
    ENCRYPTED_EMAIL = Channel.ENCRYPTED_EMAIL.value
    SECURE_EMAIL = Channel.SECURE_EMAIL.value


ROUTE_NAMES = {
    Route.EMAIL: "Ordinary e-mail",
    Route.SECURE_LINK: "Secure download link with a one-time code",
    Route.ENCRYPTED_EMAIL: "E-mail encrypted to the recipient's registered key",
    Route.SECURE_EMAIL: "Secure e-mail (to a secure government, police or NHS address)",
}


class Verdict(enum.StrEnum):
    ALLOW = "allow"
    SECURE_ONLY = "secure_only"
    BLOCK = "block"


@dataclass(frozen=True)
class OutgoingAttachment:
    name: str
    content: bytes
    content_type: str = "application/octet-stream"

    def as_text(self) -> str | None:
        """The attachment as text when it is text; None when it cannot be read (not scanned)."""
        is_text = self.content_type.startswith("text/") or self.name.lower().endswith(TEXT_SUFFIXES)
        if not is_text or b"\x00" in self.content:
            return None
        try:
            return self.content.decode("utf-8")
        except UnicodeDecodeError:
            return None


@dataclass(frozen=True)
class PartFinding:
    """A finding in one part of the message: "subject", "body" or "attachment:<n>"."""

    part: str
    finding: Finding

    def to_json(self, *, with_text: bool = False) -> dict[str, object]:
        return {"part": self.part, **self.finding.to_json(with_text=with_text)}

    @property
    def label(self) -> str:
        return str(self.finding.label)

    @property
    def where(self) -> str:
        return self.part.split(":")[0]

    @property
    def plain(self) -> str:
        """In plain English: "a child's name" (outbound/wording.py)."""
        from discretion.outbound.wording import what

        return what(self)

    @property
    def plain_where(self) -> str:
        """Where it is, in words: the subject line, the message, or which attachment."""
        part, _, number = self.part.partition(":")
        if part == "attachment":
            return f"Attachment {int(number) + 1}" if number.isdigit() else "An attachment"
        return {"subject": "Subject line", "body": "Message"}.get(part, part.capitalize())


def secure_domains() -> tuple[str, ...]:
    return tuple(
        d.lower().lstrip(".") for d in getattr(settings, "OUTBOUND_SECURE_DOMAINS", DEFAULT_SECURE_DOMAINS)
    )


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def is_secure_domain(address: str) -> bool:
    """The address is on a secure-domain list entry or a subdomain of one (`*.gov.uk`)."""
    domain = domain_of(address)
    return any(domain == d or domain.endswith("." + d) for d in secure_domains())


@dataclass(frozen=True)
class Check:
    """What the finder saw in a message and which routes it may take."""

    recipients: tuple[str, ...]
    findings: tuple[PartFinding, ...]
    unscanned: tuple[str, ...]  # attachments that could not be read as text: treated as personal data
    keyed: frozenset[str] = field(default_factory=frozenset)  # recipients with a registered key

    @property
    def contains_personal_data(self) -> bool:
        return bool(self.unscanned) or is_service_user_personal_data([f.finding for f in self.findings])

    @property
    def insecure_recipients(self) -> tuple[str, ...]:
        return tuple(r for r in self.recipients if not is_secure_domain(r))

    @property
    def unkeyed_recipients(self) -> tuple[str, ...]:
        return tuple(r for r in self.recipients if r not in self.keyed)

    def routes(self) -> list[Route]:
        """Routes this message may take, best first."""
        if not self.contains_personal_data:
            return [Route.EMAIL]
        routes = []
        if self.recipients and not self.insecure_recipients:
            routes.append(Route.SECURE_EMAIL)
        if self.recipients and not self.unkeyed_recipients:
            routes.append(Route.ENCRYPTED_EMAIL)
        routes.append(Route.SECURE_LINK)
        return routes

    @property
    def verdict(self) -> Verdict:
        """For a mail server: allow; secure_only (deliver only with TLS required / encrypted); block."""
        if not self.contains_personal_data:
            return Verdict.ALLOW
        if self.recipients and (not self.insecure_recipients or not self.unkeyed_recipients):
            return Verdict.SECURE_ONLY
        return Verdict.BLOCK

    @property
    def personal_findings(self) -> list[PartFinding]:
        return [f for f in self.findings if is_service_user_personal_data([f.finding])]

    @property
    def subject_refs(self) -> list[str]:
        return sorted({f.finding.subject_ref for f in self.findings if f.finding.subject_ref})

    def describe(self) -> str:
        """Plain English: what was found (labels and where), without repeating the text itself."""
        if not self.contains_personal_data:
            return "No personal data about service users was found."
        from discretion.outbound.wording import what_and_where

        parts = [
            f"{what_and_where(pf)} (characters {pf.finding.start}–{pf.finding.end})"
            for pf in self.personal_findings
        ]
        parts.extend(f"attachment {name} could not be checked" for name in self.unscanned)
        return "This message contains personal data about a service user: " + "; ".join(parts) + "."

    def reason(self) -> str:
        verdict = self.verdict
        if verdict is Verdict.ALLOW:
            return "No personal data about service users was found: it may be sent as ordinary e-mail."
        if verdict is Verdict.SECURE_ONLY:
            return (
                self.describe() + " Every recipient can be reached securely (a secure government, "
                "police or NHS address, or a registered encryption key): send it only that way (policy 1.1)."
            )
        return (
            self.describe() + " Personal data may not go by ordinary internet e-mail (policy 1.1). "
            "Send it from Discretion by secure download link, or remove the personal data."
        )

    def audit_details(self) -> dict[str, object]:
        """Labels, parts and positions only: never the text found."""
        return {
            "findings": [
                {"part": f.part, "label": f.label, "start": f.finding.start, "end": f.finding.end}
                for f in self.personal_findings
            ],
            "unscanned": len(self.unscanned),
            "recipient_domains": sorted({domain_of(r) for r in self.recipients}),
            "verdict": str(self.verdict),
        }


def parse_recipients(to: str | Sequence[str]) -> tuple[str, ...]:
    raw = [to] if isinstance(to, str) else list(to)
    addresses: list[str] = []
    for item in raw:
        for piece in str(item).replace(";", ",").split(","):
            address = piece.strip().lower()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                raise InvalidInput(
                    "Enter recipient e-mail addresses in the correct format, like name@example.org"
                ) from None
            if address not in addresses:
                addresses.append(address)
    if not addresses:
        raise InvalidInput("Enter the recipient's e-mail address")
    if len(addresses) > MAX_RECIPIENTS:
        raise InvalidInput(f"Enter no more than {MAX_RECIPIENTS} recipients")
    return tuple(addresses)


def check_message(
    *, to: Sequence[str], subject: str, body: str, attachments: Sequence[OutgoingAttachment] = ()
) -> Check:
    """Scan the subject, body and text attachments against the council's known people (no writes)."""
    index = get_index()
    findings: list[PartFinding] = []
    unscanned: list[str] = []
    parts: list[tuple[str, str]] = [("subject", subject), ("body", body)]
    for n, attachment in enumerate(attachments):
        text = attachment.as_text()
        if text is None:
            unscanned.append(attachment.name)
        else:
            parts.append((f"attachment:{n}", text))
    for part, text in parts:
        if text:
            findings.extend(PartFinding(part, f) for f in scan(text, index).findings)
    recipients = tuple(to)
    keyed = (
        frozenset(
            RecipientKey.objects.filter(address__in=recipients, revoked=False).values_list(
                "address", flat=True
            )
        )
        if recipients
        else frozenset()
    )
    return Check(recipients, tuple(findings), tuple(unscanned), keyed)


class Blocked(DiscretionError):
    """The message may not go by the route asked for. The block has been audited."""

    http_status = 403

    def __init__(self, message: str, check: Check) -> None:
        super().__init__(message)
        self.check = check


@dataclass(frozen=True)
class Sent:
    route: Route
    check: Check
    messages: tuple[OutboxMessage, ...]
    releases: tuple[Release, ...] = ()


def _refuse(
    actor: Staff,
    action: str,
    check: Check,
    message: str,
    *,
    route: Route | None,
    case_id: int | None,
    person_ids: Sequence[int],
) -> Blocked:
    """Audit the block in its own transaction, so a caller's rollback cannot erase it."""
    details = {
        **check.audit_details(),
        "route": str(route) if route else "",
        "case": case_id,
        "people": list(person_ids),
    }
    with transaction.atomic():
        audit.record_for_people(
            actor.pk,
            action,
            person_ids,
            object_type="case" if case_id else "",
            object_id=case_id or "",
            details=details,
        )
    return Blocked(message, check)


def _person_ids(refs: Sequence[str]) -> list[int]:
    from discretion.records.models import Person

    # Ids only (for the register and audit), never displayed: not a read of the records.
    return sorted(Person.objects.filter(ref__in=refs).values_list("id", flat=True)) if refs else []


def _package(subject: str, body: str, attachments: Sequence[OutgoingAttachment]) -> tuple[bytes, str]:
    """The released content: the message as text, zipped with its attachments when it has any."""
    text = f"Subject: {subject}\n\n{body}".encode()
    if not attachments:
        return text, "message.txt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("message.txt", text)
        for n, attachment in enumerate(attachments):
            archive.writestr(f"{n + 1}-{_safe_name(attachment.name)}", attachment.content)
    return buffer.getvalue(), "message.zip"


def encrypt_to(public_key: str, content: bytes, name: str) -> str:
    """OpenPGP-encrypt `content` to the recipient's public key; the armoured message."""
    import pgpy

    key, _ = pgpy.PGPKey.from_blob(public_key)
    with warnings.catch_warnings():
        # pgpy warns about its own use of legacy cipher modules and compression preferences.
        warnings.simplefilter("ignore")
        return str(key.encrypt(pgpy.PGPMessage.new(content, file=True, filename=name)))


def key_fingerprint(public_key: str) -> str:
    import pgpy

    try:
        key, _ = pgpy.PGPKey.from_blob(public_key)
    except Exception:  # pgpy raises many types for bad input
        raise InvalidInput("Enter an ASCII-armoured OpenPGP public key") from None
    if not key.is_public:
        raise InvalidInput("Enter the recipient's PUBLIC key, never a private key")
    try:  # a key for signing only (or expired) cannot carry a message: refuse it now, not at send
        encrypt_to(public_key, b"check", "check.txt")
    except Exception:  # pgpy raises PGPError and others
        raise InvalidInput(
            "This key cannot be used to encrypt messages: ask the recipient for an encryption key"
        ) from None
    return str(key.fingerprint).replace(" ", "")


def register_recipient_key(actor: Staff, *, address: str, public_key: str) -> RecipientKey:
    """An IGO, team manager or administrator registers a recipient's encryption key (policy 1.1)."""
    if actor.role not in KEY_MANAGERS:
        raise access.NotPermitted("Only information governance or a team manager can register keys.")
    (clean_address,) = parse_recipients(address)
    fingerprint = key_fingerprint(public_key)
    with transaction.atomic():
        key, _ = RecipientKey.objects.update_or_create(
            address=clean_address,
            defaults={
                "fingerprint": fingerprint,
                "public_key": public_key.strip(),
                "registered_by": actor,
                "revoked": False,
            },
        )
        audit.record(
            actor.pk,
            "outbound.key_registered",
            object_type="recipient_key",
            object_id=key.pk,
            details={"fingerprint": fingerprint, "domain": domain_of(clean_address)},
        )
    return key


def queue_plain(
    actor: Staff | None,
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    attachments: Sequence[OutgoingAttachment] = (),
) -> list[OutboxMessage]:
    """Queue ordinary e-mail with no service-user personal data (not a disclosure). Callers go through
    `send_message`, which has checked the content first, attachments included: only text the finder
    could read and found clean reaches this route. One attachment goes as itself; several, zipped."""
    payload, payload_name = _plain_payload(attachments)
    return [
        OutboxMessage.objects.create(
            channel=PLAIN_EMAIL,
            recipient_address=address,
            subject=subject[:200],
            body=body,
            payload=payload,
            payload_name=payload_name,
        )
        for address in to
    ]


def _plain_payload(attachments: Sequence[OutgoingAttachment]) -> tuple[bytes, str]:
    if not attachments:
        return b"", ""
    if len(attachments) == 1:
        return attachments[0].content, _safe_name(attachments[0].name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, attachment in enumerate(attachments):
            archive.writestr(f"{n + 1}-{_safe_name(attachment.name)}", attachment.content)
    return buffer.getvalue(), "attachments.zip"


def _safe_name(name: str) -> str:
    return name.replace("/", "_").replace("\\", "_")[:100] or "attachment.txt"


def _choose(check: Check, route: Route | None) -> Route | None:
    if not check.contains_personal_data:
        return route or Route.EMAIL
    if route is not None:
        return route
    routes = check.routes()
    return None if routes == [Route.SECURE_LINK] else routes[0]


def send_message(
    actor: Staff,
    *,
    to: str | Sequence[str],
    subject: str,
    body: str,
    attachments: Sequence[OutgoingAttachment] = (),
    route: Route | str | None = None,
    case_id: int | None = None,
    recipient_name: str = "",
    recipient_organisation: str = "",
    purpose: str = "",
    entry_ids: Sequence[int] = (),
    override: bool = False,
    request_id: int | None = None,
    confirmed: Collection[str] | None = None,
    thread: Sequence[str] = (),
) -> Sent:
    """Send a message from `actor` through the gateway (policy 1.1); see the module docstring.

    `confirmed`: the recipient prompts the sender has answered (outbound/recipients.py); while one is
    open, `ConfirmRecipients` is raised (audited). None only for a caller with no sender to ask.

    With `case_id` the actor must be able to open the case (need to know, audited read). Personal data
    goes only by a secure route and is registered as a disclosure with the outbox message in one
    transaction; a block or a "send anyway" attempt (`override`, or route "email" for personal data)
    raises `Blocked` after auditing it.
    """
    recipients = parse_recipients(to)
    if not subject.strip() and not body.strip():
        raise InvalidInput("Enter a subject or a message")
    try:
        asked = Route(route) if route else None
    except ValueError:
        raise InvalidInput("Select how to send the message") from None
    if case_id is not None:
        access.get_case_for(actor, case_id)
    check = check_message(to=recipients, subject=subject, body=body, attachments=attachments)
    person_ids = _person_ids(check.subject_refs)

    basis: MessageBasis | None = None
    if check.contains_personal_data:
        if actor.is_supervised:
            refused = refuse_supervised_release(actor, person_ids, what="outbound message")
            raise Blocked(str(refused), check)
        try:
            basis = basis_for_message(actor, request_id, person_ids=person_ids, recipients=recipients)
        except (access.NotPermitted, access.NotFound) as exc:
            raise _refuse(
                actor,
                "outbound.no_lawful_basis",
                check,
                check.describe() + " " + str(exc),
                route=asked,
                case_id=case_id,
                person_ids=person_ids,
            ) from None

    if check.contains_personal_data and (override or asked is Route.EMAIL):
        raise _refuse(
            actor,
            "outbound.override_refused",
            check,
            check.describe() + " It cannot be sent by ordinary e-mail, even on request (policy 1.1). "
            "Send it by secure download link, or remove the personal data.",
            route=asked,
            case_id=case_id,
            person_ids=person_ids,
        )
    chosen = _choose(check, asked)
    if chosen is None:
        raise _refuse(
            actor,
            "outbound.blocked",
            check,
            check.reason(),
            route=asked,
            case_id=case_id,
            person_ids=person_ids,
        )
    if check.contains_personal_data and chosen is Route.SECURE_EMAIL and check.insecure_recipients:
        raise _refuse(
            actor,
            "outbound.blocked",
            check,
            check.describe() + " Secure e-mail goes only to secure domains; "
            f"{', '.join(sorted({domain_of(r) for r in check.insecure_recipients}))} is not one. "
            "Send it by secure download link instead.",
            route=asked,
            case_id=case_id,
            person_ids=person_ids,
        )
    if check.contains_personal_data and chosen is Route.ENCRYPTED_EMAIL and check.unkeyed_recipients:
        raise _refuse(
            actor,
            "outbound.blocked",
            check,
            check.describe() + " Not every recipient has registered an encryption key. "
            "Send it by secure download link instead.",
            route=asked,
            case_id=case_id,
            person_ids=person_ids,
        )
    if confirmed is not None:  # Egress-style recipient prompts, answered and audited (issue 14)
        recipient_prompts.confirm(
            actor,
            recipients,
            contains_personal_data=check.contains_personal_data,
            confirmed=confirmed,
            thread=thread,
            case_id=case_id,
        )

    with transaction.atomic():
        recipient_prompts.remember(actor, recipients)
        if chosen is Route.EMAIL:
            messages = queue_plain(actor, to=recipients, subject=subject, body=body, attachments=attachments)
            audit.record(
                actor.pk,
                "outbound.sent",
                object_type="case" if case_id else "",
                object_id=case_id or "",
                details={
                    "route": str(chosen),
                    "messages": [m.pk for m in messages],
                    "recipient_domains": sorted({domain_of(r) for r in recipients}),
                    "findings": len(check.findings),
                },
            )
            return Sent(chosen, check, tuple(messages))
        content, content_name = _package(subject, body, attachments)
        council = getattr(settings, "COUNCIL_NAME", "The council")
        releases: list[Release] = []
        keys = {k.address: k for k in RecipientKey.objects.filter(address__in=recipients, revoked=False)}
        for address in recipients:
            payload, payload_name = content, content_name
            message_subject, message_body = subject, body
            if chosen is Route.SECURE_LINK:
                # The notification itself carries no personal data: the content waits behind the link.
                message_subject = f"A secure message from {council}"
                message_body = (
                    f"{council} has sent you a secure message. Open the link in this e-mail and "
                    "enter the one-time code you will be given separately. The link expires."
                )
            elif chosen is Route.ENCRYPTED_EMAIL:
                # OpenPGP does not encrypt the subject line, so it must not carry the personal data.
                armoured = encrypt_to(keys[address].public_key, content, content_name)
                payload, payload_name = armoured.encode(), content_name + ".asc"
                message_subject = f"Encrypted message from {council}"
                message_body = armoured
            assert basis is not None  # personal data never reaches here without one
            req = basis.request
            release = disclose(
                actor,
                recipient=Recipient(
                    name=recipient_name or req.requester_name or address,
                    organisation=recipient_organisation or req.requester_organisation,
                    category=req.category or "external",
                    address=address,
                ),
                channel=Channel(chosen.value),
                content=payload,
                content_name=payload_name,
                source="request",
                source_id=str(req.pk),
                person_ids=person_ids,
                entry_ids=entry_ids,
                purpose=purpose or str(req.facts.get("purpose", "")),
                legal_basis=basis.legal_basis,
                rules=[*basis.rules, "1.1-secure-channel"],
                approved_by=basis.approved_by,
                summary=f"Outbound message ({ROUTE_NAMES[chosen]})",
                message_subject=message_subject,
                message_body=message_body,
            )
            releases.append(release)
        assert basis is not None
        record_answered(actor, basis, releases[0].disclosure.pk)
        audit.record(
            actor.pk,
            "outbound.sent",
            object_type="case" if case_id else "",
            object_id=case_id or "",
            person_id=person_ids[0] if len(person_ids) == 1 else None,
            details={
                "request": basis.request.pk,
                "route": str(chosen),
                "disclosures": [r.disclosure.pk for r in releases],
                "people": person_ids,
                **check.audit_details(),
                **(
                    {"key_fingerprints": [keys[a].fingerprint for a in recipients]}
                    if chosen is Route.ENCRYPTED_EMAIL
                    else {}
                ),
            },
        )
        return Sent(chosen, check, tuple(r.message for r in releases), tuple(releases))


def parse_raw_message(raw: str) -> tuple[str, str, list[OutgoingAttachment]]:
    """A message as a mail server holds it: the subject with RFC 2047 encoded words decoded, every
    text part with its transfer encoding (base64, quoted-printable) undone, and the attachments."""
    import email
    from email import policy
    from email.message import EmailMessage

    message = email.message_from_string(raw, policy=policy.default)
    if not isinstance(message, EmailMessage) or (not message.keys() and not message.get_payload()):
        raise InvalidInput("raw is not an e-mail message")
    texts: list[str] = []
    attachments: list[OutgoingAttachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        name = part.get_filename()
        if name is None and part.get_content_maintype() == "text":
            texts.append(payload.decode(part.get_content_charset() or "utf-8", errors="replace"))
        else:
            attachments.append(
                OutgoingAttachment(name or "attachment", bytes(payload), part.get_content_type())
            )
    return str(message.get("Subject", "")), "\n\n".join(texts), attachments


def check_for_mail_server(
    actor: Staff,
    *,
    sender: str,
    to: Sequence[str],
    subject: str,
    body: str,
    attachments: Sequence[OutgoingAttachment] = (),
) -> Check:
    """A council mail server asks whether a message may leave (policy 1.1). Audited, no release."""
    recipients = parse_recipients(to)
    check = check_message(to=recipients, subject=subject, body=body, attachments=attachments)
    audit.record(
        actor.pk,
        "outbound.checked",
        object_type="mail",
        object_id="",
        details={
            **check.audit_details(),
            "sender_domain": domain_of(sender) if sender else "",
            "people": _person_ids(check.subject_refs),
        },
    )
    return check


# --- notices Discretion itself sends to staff -------------------------------------------------

NOTICE_SENDER = "system"


def send_notice(*, to: str, subject: str, body: str, about: str, triggered_by: Staff | None) -> OutboxMessage:
    """A notice Discretion itself sends to a member of staff ("something is waiting for you in
    Discretion", with a link into the app): the gateway's plain route, after the finder's check,
    like any other message. Nothing personal belongs in a notice, so one the finder flags is never
    sent, by any route: it is refused and audited (it would be a fault in the notice's wording).

    The sender is the system, not a person: no member of staff wrote the words, so the audit event
    has no actor (as `alert.raised` and `outbox.sent` have none) and names in its details the member
    of staff whose action caused the notice (`triggered_by`; none for the daily reminders)."""
    recipients = parse_recipients(to)
    if len(recipients) != 1:
        raise InvalidInput("A notice goes to one member of staff")
    check = check_message(to=recipients, subject=subject, body=body)
    details: dict[str, object] = {
        "about": about[:80],
        "sender": NOTICE_SENDER,
        "triggered_by": triggered_by.pk if triggered_by is not None else None,
        "recipient_domains": sorted({domain_of(r) for r in recipients}),
    }
    if check.contains_personal_data:
        with transaction.atomic():
            audit.record(None, "outbound.notice_blocked", details={**details, **check.audit_details()})
        raise Blocked("A notice may not carry personal data: " + check.describe(), check)
    with transaction.atomic():
        (message,) = queue_plain(None, to=recipients, subject=subject, body=body)
        audit.record(
            None, "outbound.notice_queued", object_type="outbox", object_id=message.pk, details=details
        )
    return message
