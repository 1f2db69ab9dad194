"""E-mails (.eml through the standard library, .msg through olefile: an Outlook message is an OLE
compound file of property streams) as a printable text and their attachments."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage

import olefile

# MS-OXPROPS property ids of an Outlook message (string streams end 001F, UTF-16LE).
MSG_FIELDS = (
    ("From", "0C1A"),
    ("To", "0E04"),
    ("Cc", "0E03"),
    ("Date", "0039"),
    ("Subject", "0037"),
)


@dataclass
class MailPart:
    name: str
    content: bytes


@dataclass
class Mail:
    headers: list[tuple[str, str]]
    body: str
    attachments: list[MailPart] = field(default_factory=list)

    def printable(self) -> str:
        head = "\n".join(f"{name}: {value}" for name, value in self.headers if value)
        names = ", ".join(a.name for a in self.attachments)
        tail = f"\n\nAttachments: {names}" if names else ""
        return f"{head}\n\n{self.body.strip()}{tail}\n"


class MailUnreadable(ValueError):
    """Not an e-mail this reader understands."""


def read_eml(content: bytes) -> Mail:
    message = email.message_from_bytes(content, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise MailUnreadable("This is not an e-mail message.")
    headers = [(name, str(message.get(name, ""))) for name in ("From", "To", "Cc", "Date", "Subject")]
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = body_part.get_content() if body_part is not None else ""
    if body_part is not None and body_part.get_content_type() == "text/html":
        body = _strip_html(body)
    attachments = []
    for n, part in enumerate(message.iter_attachments(), start=1):
        payload = part.get_payload(decode=True)
        attachments.append(
            MailPart(part.get_filename() or f"attachment-{n}", payload if isinstance(payload, bytes) else b"")
        )
    return Mail(headers, str(body), attachments)


def _strip_html(html: str) -> str:
    from html.parser import HTMLParser

    chunks: list[str] = []

    class _Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            chunks.append(data)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("br", "p", "div", "tr", "li"):
                chunks.append("\n")

    _Text().feed(html)
    return "".join(chunks)


def _msg_string(ole: olefile.OleFileIO, storage: str, prop: str) -> str:
    for suffix, encoding in (("001F", "utf-16-le"), ("001E", "cp1252")):
        path = f"{storage}__substg1.0_{prop}{suffix}"
        if ole.exists(path):
            return str(ole.openstream(path).read().decode(encoding, errors="replace").rstrip("\x00"))
    return ""


def read_msg(content: bytes) -> Mail:
    if not olefile.isOleFile(content):
        raise MailUnreadable("This is not an Outlook message.")
    ole = olefile.OleFileIO(content)
    try:
        headers = [(label, _msg_string(ole, "", prop)) for label, prop in MSG_FIELDS]
        body = _msg_string(ole, "", "1000")
        attachments = []
        storages = sorted(
            {e[0] for e in ole.listdir(streams=True) if e[0].startswith("__attach_version1.0_#")}
        )
        for n, storage in enumerate(storages, start=1):
            data_path = f"{storage}/__substg1.0_37010102"
            if not ole.exists(data_path):
                continue
            name = _msg_string(ole, f"{storage}/", "3707") or _msg_string(ole, f"{storage}/", "3704")
            attachments.append(MailPart(name or f"attachment-{n}", ole.openstream(data_path).read()))
    finally:
        ole.close()
    return Mail(headers, body, attachments)
