"""`POST /api/outbound/check`: a council mail server asks whether a message may leave (policy 1.1).

Every part is read as the smart host reads it (outbound/extract.py: every encoding, every attachment);
a message over DISCRETION_MAX_MESSAGE_BYTES is refused (413). Findings say in plain English what was
found and why; the recipient prompts (outbound/recipients.py) are returned for the sender's mail program
to put to them, and the answers it sends back (`confirmed`) are audited.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from discretion.api import BearerToken, actor
from discretion.errors import InvalidInput, NotPermitted
from discretion.outbound import extract, mailcheck, recipients, services
from discretion.outbound.relay.rules import max_message_bytes, sender_staff
from discretion.staff.models import Role, Staff

router = Router(tags=["outbound"])

# Mail servers call with a service account's bearer token; information governance may call it too.
SERVICE_ROLES = frozenset({Role.ADMIN, Role.IGO})


class AttachmentIn(Schema):
    name: str = Field(..., max_length=255)
    content_type: str = Field("application/octet-stream", max_length=255)
    content_base64: str = Field(..., max_length=14_000_000)


class CheckIn(Schema):
    sender: str = Field("", alias="from", max_length=254)
    to: list[str] = Field(..., min_length=1, max_length=services.MAX_RECIPIENTS)
    subject: str = Field("", max_length=1000)
    body: str = Field("", max_length=5_000_000)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=50)
    # Or the whole message as the mail server holds it (RFC 5322 with MIME): its subject (encoded
    # words decoded), every text part (transfer encodings undone) and every attachment are checked.
    raw: str = Field("", max_length=20_000_000)
    # A reply: the addresses on the message replied to (a reply to all that adds outsiders is a prompt).
    thread: list[str] = Field(default_factory=list, max_length=services.MAX_RECIPIENTS)
    # Keys of the prompts the sender has answered "yes" to.
    confirmed: list[str] = Field(default_factory=list, max_length=200)


class FindingOut(Schema):
    part: str
    start: int
    end: int
    label: str
    what: str  # plain English: "a child's name"
    why: str


class PromptOut(Schema):
    key: str
    kind: str
    text: str
    answered: bool


class CheckOut(Schema):
    verdict: str
    contains_personal_data: bool
    findings: list[FindingOut]
    reason: str
    secure_routes: list[str]
    prompts: list[PromptOut]


@router.post("/check", response=CheckOut, auth=[BearerToken()])
def check(request: HttpRequest, payload: CheckIn) -> CheckOut:
    """Findings (labels and positions, never the text) and a verdict: `allow` (no service-user personal
    data), `secure_only` (deliver only over TLS to a secure domain or encrypted to the registered key),
    `block` (personal data to a recipient with no secure route: send it from Discretion by secure link)."""
    staff = actor(request)
    if staff.role not in SERVICE_ROLES:
        raise NotPermitted("Only a mail-server service account can check outgoing mail.")
    limit = max_message_bytes()
    size = len(payload.subject.encode()) + len(payload.body.encode()) + len(payload.raw.encode())
    size += sum(len(a.content_base64) * 3 // 4 for a in payload.attachments)
    if size > limit:
        raise HttpError(413, f"The message is over the {limit // (1024 * 1024)} MB limit for one message.")
    try:
        parts: list[extract.Part] = []
        if payload.subject:
            parts.append(extract.Part("subject", payload.subject))
        if payload.body:
            parts.append(extract.Part("body", payload.body))
        for a in payload.attachments:
            parts += extract.attachment_parts(
                a.name, a.content_type, _base64(a.content_base64, a.name), budget=4 * limit
            )
        if payload.raw:
            if not payload.raw.strip() or ":" not in payload.raw.split("\n", 1)[0]:
                raise InvalidInput("raw is not an e-mail message")
            _, found = extract.message_parts(payload.raw.encode("utf-8", errors="replace"), budget=4 * limit)
            parts += found
        result = mailcheck.check_for_mail_server(staff, sender=payload.sender, to=payload.to, parts=parts)
        prompts = _prompts(staff, payload, result)
    except InvalidInput as exc:  # the mail server's contract: a message it cannot parse is 422
        raise HttpError(422, str(exc)) from None
    return CheckOut(
        verdict=str(result.verdict),
        contains_personal_data=result.contains_personal_data,
        findings=[
            FindingOut(
                part=f.part,
                start=f.finding.start,
                end=f.finding.end,
                label=f.label,
                what=f.plain,
                why=f.finding.why,
            )
            for f in result.findings
        ],
        reason=result.reason(),
        secure_routes=[str(r) for r in result.routes() if r is not services.Route.EMAIL],
        prompts=prompts,
    )


def _prompts(staff: Staff, payload: CheckIn, result: services.Check) -> list[PromptOut]:
    """The sender's prompts; when every one is answered, the answers are audited (as the sender, if the
    mailbox is one member of staff's)."""
    sender = sender_staff(payload.sender)
    try:
        recipients.confirm(
            sender or staff,
            result.recipients,
            contains_personal_data=result.contains_personal_data,
            confirmed=payload.confirmed,
            thread=[t.strip().lower() for t in payload.thread],
            sender_known=sender is not None,
        )
    except recipients.ConfirmRecipients as asked:
        return [
            PromptOut(key=p.key, kind=str(p.kind), text=p.text, answered=p.key in payload.confirmed)
            for p in asked.prompts
        ]
    found = recipients.prompts_for(
        sender, result.recipients, contains_personal_data=result.contains_personal_data, thread=payload.thread
    )
    return [PromptOut(key=p.key, kind=str(p.kind), text=p.text, answered=True) for p in found]


def _base64(text: str, name: str) -> bytes:
    import base64
    import binascii

    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"attachment {name}: content_base64 is not valid base64") from None


class MessageIn(Schema):
    to: list[str] = Field(..., min_length=1, max_length=services.MAX_RECIPIENTS)
    subject: str = Field("", max_length=200)
    body: str = Field("", max_length=100_000)
    route: str = Field("", description="email, secure_link, secure_email or encrypted_email; empty: best")
    request_id: int | None = Field(None, description="The approved request this message answers")
    recipient_name: str = Field("", max_length=200)
    recipient_organisation: str = Field("", max_length=200)
    purpose: str = Field("", max_length=60)


class SentOut(Schema):
    route: str
    messages: int
    disclosures: list[int]
    one_time_codes: dict[str, str]  # recipient -> code, for a secure link: shown once, never stored in clear


@router.post("/cases/{ref}/messages", response={201: SentOut})
def send(request: HttpRequest, ref: str, payload: MessageIn) -> Status[SentOut]:
    """Write to someone outside the council about a case: the same gateway as the compose page
    (need to know on the case; personal data only as the answer to an approved request, by a secure
    route, registered; never from a volunteer or student). A block is a 403 saying what was found."""
    from discretion import access

    staff = actor(request)
    if staff.is_supervised:  # an attempt to send: refused, audited, their supervisor told (policy 1.2)
        from discretion.disclosures.services import refuse_supervised_release

        refuse_supervised_release(staff, [], what="outbound API")
        raise NotPermitted(
            "Volunteers and work-experience students cannot write to people outside the council."
        )
    view = access.get_case_for(staff, ref=ref)
    sent = services.send_message(
        staff,
        to=payload.to,
        subject=payload.subject,
        body=payload.body,
        route=payload.route or None,
        case_id=view.case.pk,
        request_id=payload.request_id,
        recipient_name=payload.recipient_name,
        recipient_organisation=payload.recipient_organisation,
        purpose=payload.purpose,
    )
    return Status(
        201,
        SentOut(
            route=str(sent.route),
            messages=len(sent.messages),
            disclosures=[r.disclosure.pk for r in sent.releases],
            one_time_codes={r.message.recipient_address: r.link_code for r in sent.releases if r.link_code},
        ),
    )
