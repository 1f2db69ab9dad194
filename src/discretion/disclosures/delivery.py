"""The actual send from the transactional outbox, one way per channel (policy 1.1).

Policy 1.1: e-mail over the internet can be intercepted, read and changed, so personal identifiable
information about service users is not sent unless a secure or encrypted connection is in place.
`send_outbox_message` is the sender for `deliver_pending`; it raises on any failure, so the message
stays queued (failed, retried) and is never marked sent. Every send and every failure is audited with
the channel, the attempt and the recipient's domain only: no address, no content.

- `email` (the gateway found no service-user personal data) and `secure_link` (the e-mail carries
  only the download link, rebuilt here with DISCRETION_LINK_KEY because the outbox holds only a
  placeholder; the one-time code goes by another route and is never sent): SMTP.
- `secure_email`: SMTP with STARTTLS required and the server's certificate verified; no STARTTLS
  or a failed handshake fails the send, never a fall-back to plain text; the recipient's domain must
  still be on `OUTBOUND_SECURE_DOMAINS` at send time. TLS protects the hop to the configured server:
  a council relay must itself require TLS onward to the secure domains.
- `encrypted_email`: the gateway has already OpenPGP-encrypted the payload; it goes armoured as the
  body and as an `.asc` attachment. Anything not armoured is refused.
- `post`: never e-mailed; recorded as delivered to the print queue (status sent, channel post).
- `internal`, `in_person`: nothing to send; recorded as sent.
"""

from __future__ import annotations

import mimetypes
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.urls import reverse

from discretion.audit import services as audit
from discretion.disclosures import links
from discretion.disclosures.models import Channel, OutboxMessage
from discretion.secure_domains import is_secure_domain

PGP_ARMOUR = "-----BEGIN PGP MESSAGE-----"
SMTP_TIMEOUT = 30
# Channels with nothing to send electronically: delivered when recorded.
RECORDED_ONLY = frozenset({Channel.POST, Channel.INTERNAL, Channel.IN_PERSON})
# Channels sent by e-mail. "email" is the gateway's plain channel for messages with no personal data.
EMAILED = frozenset({Channel.EMAIL, Channel.SECURE_LINK, Channel.SECURE_EMAIL, Channel.ENCRYPTED_EMAIL})


class DeliveryRefused(Exception):
    """The message may not be sent as it stands (policy 1.1); it stays in the outbox."""


def send_outbox_message(message: OutboxMessage) -> None:
    """Send one outbox message by its channel; audit the outcome; raise on failure.

    Used as `deliver_pending(send_outbox_message)`, which runs it inside the message's transaction
    and marks the message sent only when it returns.
    """
    details: dict[str, object] = {
        "channel": message.channel,
        "attempts": message.attempts,
        "domain": _domain(message.recipient_address),
    }
    try:
        if message.channel in RECORDED_ONLY:
            # Post goes to the print queue: sent outbox rows on the post channel are what to print.
            details["delivered_to"] = "print_queue" if message.channel == Channel.POST else "record"
        elif message.channel == Channel.PUBLICATION:
            # An FOI answer on the public disclosure log: published when recorded, never e-mailed.
            details["delivered_to"] = "disclosure_log"
        elif message.channel in EMAILED:
            _send_email(message)
        else:
            raise DeliveryRefused(f"unknown channel {message.channel!r}")
    except Exception as exc:
        audit.record(
            None,
            "outbox.failed",
            object_type="outbox",
            object_id=message.pk,
            reason=type(exc).__name__,
            details={**details, "error": type(exc).__name__},
        )
        raise
    audit.record(None, "outbox.sent", object_type="outbox", object_id=message.pk, details=details)


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower().rstrip(".") if "@" in address else ""


def _send_email(message: OutboxMessage) -> None:
    address = message.recipient_address.strip()
    if "@" not in address:
        raise DeliveryRefused("The message has no e-mail address to send to.")
    channel = message.channel
    require_tls = False
    if channel == Channel.SECURE_LINK:
        email = _email(message, body=_secure_link_body(message))
    elif channel == Channel.SECURE_EMAIL:
        # The secure-domain list may have changed since the gateway queued the message (policy 1.1).
        if not is_secure_domain(address):
            raise DeliveryRefused(f"{_domain(address)} is no longer on the secure-domain list.")
        require_tls = True
        email = _email(message, body=message.body)
        _attach_payload(email, message, "application", "octet-stream")
    elif channel == Channel.ENCRYPTED_EMAIL:
        armoured = bytes(message.payload).decode("ascii", errors="replace").strip()
        if not armoured.startswith(PGP_ARMOUR):
            raise DeliveryRefused("The payload of an encrypted e-mail is not OpenPGP-encrypted.")
        if message.body.strip() and not message.body.strip().startswith(PGP_ARMOUR):
            # OpenPGP covers the payload only: a clear body could carry the personal data.
            raise DeliveryRefused("The body of an encrypted e-mail is not OpenPGP-encrypted.")
        email = _email(message, body=armoured + "\n")
        _attach_payload(email, message, "application", "pgp-encrypted")
    else:  # Channel.EMAIL: the gateway found no service-user personal data, attachments included.
        email = _email(message, body=message.body)
        maintype, _, subtype = (
            message.payload_type
            or mimetypes.guess_type(message.payload_name)[0]
            or "application/octet-stream"
        ).partition("/")
        _attach_payload(email, message, maintype, subtype)
    _smtp_send(email, require_tls=require_tls)


def _email(message: OutboxMessage, *, body: str) -> EmailMessage:
    sender = str(getattr(settings, "DISCRETION_MAIL_FROM", "no-reply@council.example"))
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient_address.strip()
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=True)
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.pk}", domain=_domain(sender) or None)
    email.set_content(body)
    return email


def _attach_payload(email: EmailMessage, message: OutboxMessage, maintype: str, subtype: str) -> None:
    # Exactly the bytes the register hashed, so the recipient's copy matches the register entry.
    payload = bytes(message.payload)
    if payload:
        name = message.payload_name or "message.bin"
        email.add_attachment(payload, maintype=maintype, subtype=subtype, filename=name)


def _secure_link_body(message: OutboxMessage) -> str:
    """The notification with its download link, rebuilt here with DISCRETION_LINK_KEY (the
    outbox holds only a placeholder); refused if the body has lost the placeholder, if the link
    cannot be rebuilt (the key changed since the release), or if the one-time code has found its
    way into the e-mail (it goes separately)."""
    if links.PLACEHOLDER not in message.body:
        raise DeliveryRefused("The secure-link e-mail does not contain this message's download link.")
    own = list(message.links.all())
    if len(own) != 1:
        raise DeliveryRefused("The secure-link e-mail does not have exactly one download link.")
    link = own[0]
    text = f"{message.subject}\n{message.body}"
    if any(links.code_matches(link, digits) for digits in re.findall(r"(?<!\d)\d{6}(?!\d)", text)):
        raise DeliveryRefused("The one-time code must not travel with the link.")
    token = links.rebuilt_token(link)
    if token is None:
        raise DeliveryRefused(
            "The download link cannot be rebuilt: DISCRETION_LINK_KEY has changed since the release. "
            "Release again."
        )
    site = str(getattr(settings, "SITE_URL", "")).rstrip("/")
    if not site:
        raise DeliveryRefused("The download link has no site address: set DISCRETION_SITE_URL.")
    return message.body.replace(links.PLACEHOLDER, site + reverse("disclosures:download", args=[token]))


def tls_context() -> ssl.SSLContext:
    """Certificate and host name verified, TLS 1.2 or later; `DISCRETION_SMTP_CAFILE` adds a trust
    anchor (a council's own CA) in place of the system store."""
    cafile = getattr(settings, "DISCRETION_SMTP_CAFILE", None) or None
    context = ssl.create_default_context(cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _smtp_send(email: EmailMessage, *, require_tls: bool) -> None:
    host = str(getattr(settings, "DISCRETION_SMTP_HOST", "localhost"))
    port = int(getattr(settings, "DISCRETION_SMTP_PORT", 25))
    user = str(getattr(settings, "DISCRETION_SMTP_USER", "") or "")
    password = str(getattr(settings, "DISCRETION_SMTP_PASSWORD", "") or "")
    timeout = float(getattr(settings, "DISCRETION_SMTP_TIMEOUT", SMTP_TIMEOUT))
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        smtp.ehlo()
        # Credentials never travel in clear either.
        if require_tls or user:
            if not smtp.has_extn("starttls"):
                raise DeliveryRefused("The mail server does not offer STARTTLS; secure e-mail needs TLS.")
            # Raises ssl.SSLError (certificate, host name, handshake): the send fails, no fall-back.
            smtp.starttls(context=tls_context())
            smtp.ehlo()
        if user:
            smtp.login(user, password)
        smtp.send_message(email)
