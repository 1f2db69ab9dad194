"""The e-mails the smart host writes to a sender: a bounce (refused, or could not be delivered) and a
notice (released by secure link: here is the one-time code to pass on by another route)."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from django.conf import settings

from discretion.disclosures.services import Release
from discretion.outbound.services import Check
from discretion.outbound.wording import what_and_where

POLICY = (
    "Confidentiality Policy 1.1: personal identifiable information about service users is not sent over the "
    "internet unless a secure or encrypted connection is in place."
)


def _envelope(to: str, subject: str) -> EmailMessage:
    sender = str(getattr(settings, "DISCRETION_MAIL_FROM", "no-reply@council.example"))
    message = EmailMessage()
    message["From"] = f"Discretion mail guard <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message["Auto-Submitted"] = "auto-replied"  # RFC 3834: never answered automatically
    return message


def _original_headers(original: EmailMessage) -> bytes:
    keep = ("From", "To", "Cc", "Subject", "Date", "Message-ID")
    return "".join(f"{k}: {v}\r\n" for k in keep for v in original.get_all(k, [])).encode("utf-8")


def found_lines(check: Check) -> list[str]:
    lines = [f"- {what_and_where(pf)}" for pf in check.personal_findings]
    lines += [
        f"- the attachment {name}, which could not be read, so is treated as personal data"
        for name in check.unscanned
    ]
    return lines


def bounce(
    to: str, original: EmailMessage, recipients: Sequence[str], reason: str, check: Check | None = None
) -> bytes:
    """A refusal the sender can act on: why, what was found (never the text itself), what to do."""
    subject = str(original.get("Subject", "") or "(no subject)")
    message = _envelope(to, f"Not sent: {subject}")
    body = [
        f'Your message "{subject}" to {", ".join(recipients)} was not sent.',
        "",
        reason,
    ]
    if check is not None and (check.personal_findings or check.unscanned):
        body += [
            "",
            "What was found (the text itself is not repeated here):",
            *found_lines(check),
            "",
            POLICY,
        ]
    body += ["", "Nothing has left the council. This has been recorded."]
    message.set_content("\n".join(body) + "\n")
    message.add_attachment(
        _original_headers(original),
        maintype="text",
        subtype="rfc822-headers",
        filename="original-headers.txt",
    )
    return message.as_bytes(policy=SMTP)


def undeliverable(to: str, original: EmailMessage, refused: dict[str, str]) -> bytes:
    subject = str(original.get("Subject", "") or "(no subject)")
    message = _envelope(to, f"Undeliverable: {subject}")
    lines = [f"- {address}: {why}" for address, why in sorted(refused.items())]
    message.set_content(
        f'Your message "{subject}" could not be delivered to:\n' + "\n".join(lines) + "\n\n"
        "The other recipients, if any, were sent it. This has been recorded.\n"
    )
    message.add_attachment(
        _original_headers(original),
        maintype="text",
        subtype="rfc822-headers",
        filename="original-headers.txt",
    )
    return message.as_bytes(policy=SMTP)


def notice(to: str, original: EmailMessage, releases: Sequence[Release], request_id: int) -> bytes:
    """Released: how each recipient gets it, and the one-time codes, to give them by phone (never by
    e-mail to them: the link alone must open nothing)."""
    subject = str(original.get("Subject", "") or "(no subject)")
    message = _envelope(to, f"Sent securely: {subject}")
    lines: list[str] = []
    for release in releases:
        address = release.disclosure.recipient_address
        if release.link_code:
            lines.append(f"- {address}: secure download link. One-time code: {release.link_code}")
        else:
            lines.append(f"- {address}: secure e-mail over an encrypted connection")
    message.set_content(
        f'Your message "{subject}" held personal data, so it was released under request {request_id} '
        "and recorded in the disclosure register:\n" + "\n".join(lines) + "\n\n"
        "Give each recipient their one-time code by phone or text, never by e-mail. The code is shown only "
        "here.\n"
    )
    return message.as_bytes(policy=SMTP)
