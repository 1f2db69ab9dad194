"""Every part of an e-mail message as text, for the finder (policy 1.1): the subject and the recipients'
display names, every text part whatever its transfer encoding or character set, HTML as its text, and
every attachment that can be read: text files, e-mail messages (recursively), zip archives, Word, Excel,
PowerPoint and OpenDocument files, PDFs. What cannot be read (a scanned image, an encrypted archive) is a
part with no text: the guard treats it as if it held personal data. Images shown inline in the body (a
signature's logo, with a Content-ID) are not attachments and are left out.

Bounded: at most `MAX_DEPTH` levels of archives and attached messages, and the text taken from all the
parts of one message together stops at `budget` characters (a zip bomb is a part that cannot be read).
No Django, no network.
"""

from __future__ import annotations

import email
import html
import io
import re
import zipfile
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses
from html.parser import HTMLParser

MAX_DEPTH = 3
# Office Open XML and OpenDocument parts that hold a document's words.
_OFFICE_TEXT = re.compile(
    r"^(?:word/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml|xl/sharedStrings\.xml|"
    r"xl/worksheets/sheet\d+\.xml|ppt/slides/slide\d+\.xml|ppt/notesSlides/notesSlide\d+\.xml|"
    r"content\.xml|styles\.xml)$"
)
_XML_BREAKS = re.compile(r"</(?:w:p|a:p|text:p|text:h|row|si|table:table-row)>|<(?:w:tab|w:br|text:tab)\s*/>")
_XML_CELL = re.compile(r"</(?:c|table:table-cell|w:tc)>")
_TAGS = re.compile(r"<[^>]+>")
_TEXT_NAMES = (
    ".txt",
    ".csv",
    ".tsv",
    ".md",
    ".text",
    ".json",
    ".xml",
    ".ics",
    ".vcf",
    ".log",
    ".htm",
    ".html",
)
_OFFICE_NAMES = (".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".odp")


@dataclass(frozen=True)
class Part:
    """One readable piece: `where` says where it is ("subject", "body", "attachment:report.docx",
    "attachment:bundle.zip/notes.txt"); `text` is None when it could not be read."""

    where: str
    text: str | None

    @property
    def name(self) -> str:
        return self.where.split(":", 1)[1] if ":" in self.where else self.where


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "tr", "li", "td", "th", "h1", "h2", "h3", "table"):
            self.chunks.append("\n" if tag != "td" and tag != "th" else " | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)


def html_text(markup: str) -> str:
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    return "".join(parser.chunks)


class _Budget:
    def __init__(self, chars: int) -> None:
        self.left = chars

    def take(self, text: str) -> str | None:
        if len(text) > self.left:
            self.left = 0
            return None
        self.left -= len(text)
        return text


def message_parts(raw: bytes, *, budget: int) -> tuple[EmailMessage, list[Part]]:
    """The parsed message and its parts as text (see the module docstring)."""
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed, _parts_of(parsed, "", _Budget(budget), 0)


def _parts_of(message: Message, prefix: str, budget: _Budget, depth: int) -> list[Part]:
    out: list[Part] = []
    subject = str(message.get("Subject", "") or "")
    if subject:
        out.append(Part(f"{prefix}subject", budget.take(subject)))
    names = [name for name, _ in getaddresses([str(v) for k in ("To", "Cc") for v in message.get_all(k, [])])]
    if any(names):
        out.append(Part(f"{prefix}recipients", budget.take("\n".join(n for n in names if n))))
    bodies = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        content_type = part.get_content_type()
        if filename is None and disposition != "attachment" and part.get_content_maintype() == "text":
            bodies += 1
            where = f"{prefix}body" if bodies == 1 else f"{prefix}body:{bodies}"
            text = _decoded_text(part)
            if content_type == "text/html" and text is not None:
                text = html_text(text)
            out.append(Part(where, budget.take(text) if text is not None else None))
            continue
        if part.get_content_maintype() == "image" and part.get("Content-ID") and disposition != "attachment":
            continue  # an image shown in the body (a logo): not an attachment
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        if content_type == "message/rfc822" and not content:
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                name = filename or "attached message"
                out.extend(_inner_message(inner[0], f"{prefix}attachment:{name}/", budget, depth))
                continue
        name = filename or ("attached message.eml" if content_type == "message/rfc822" else "attachment")
        out.extend(attachment_parts(name, content_type, content, budget=budget, depth=depth, prefix=prefix))
    return out


def _inner_message(message: Message, prefix: str, budget: _Budget, depth: int) -> list[Part]:
    if depth >= MAX_DEPTH:
        return [Part(prefix.rstrip("/"), None)]
    return _parts_of(message, prefix, budget, depth + 1)


def _decoded_text(part: Message) -> str | None:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown character set
        return payload.decode("utf-8", errors="replace")


def attachment_parts(
    name: str, content_type: str, content: bytes, *, budget: _Budget | int, depth: int = 0, prefix: str = ""
) -> list[Part]:
    """An attachment as text parts: itself, or what an archive or document holds."""
    if isinstance(budget, int):
        budget = _Budget(budget)
    where = f"{prefix}attachment:{name}"
    lower = name.lower()
    try:
        if content_type == "message/rfc822" or lower.endswith(".eml"):
            inner = email.message_from_bytes(content, policy=policy.default)
            return _inner_message(inner, where + "/", budget, depth)
        if lower.endswith(_OFFICE_NAMES):
            return [Part(where, _office_text(content, budget))]
        if content_type in ("application/zip", "application/x-zip-compressed") or lower.endswith(".zip"):
            return _zip_parts(content, where, budget, depth)
        if content_type == "application/pdf" or lower.endswith(".pdf"):
            return [Part(where, _pdf_text(content, budget))]
        if content_type.startswith("text/") or lower.endswith(_TEXT_NAMES):
            if b"\x00" in content:
                return [Part(where, None)]
            text = content.decode("utf-8", errors="replace")
            if content_type == "text/html" or lower.endswith((".htm", ".html")):
                text = html_text(text)
            return [Part(where, budget.take(text))]
        if content_type in ("application/rtf", "text/rtf") or lower.endswith(".rtf"):
            return [Part(where, budget.take(_rtf_text(content.decode("latin-1"))))]
    except (zipfile.BadZipFile, ValueError, KeyError, OSError, RuntimeError, UnicodeError):
        return [Part(where, None)]
    return [Part(where, None)]


def _zip_parts(content: bytes, where: str, budget: _Budget, depth: int) -> list[Part]:
    if depth >= MAX_DEPTH:
        return [Part(where, None)]
    out: list[Part] = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.flag_bits & 0x1 or info.file_size > budget.left:
                out.append(Part(f"{where}/{info.filename}", None))  # encrypted, or too big to read
                continue
            data = archive.read(info)
            inner = attachment_parts(
                info.filename, "application/octet-stream", data, budget=budget, depth=depth + 1
            )
            out.extend(Part(f"{where}/{p.where.split(':', 1)[1]}", p.text) for p in inner)
    return out


def _office_text(content: bytes, budget: _Budget) -> str | None:
    chunks: list[str] = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if not _OFFICE_TEXT.match(info.filename):
                continue
            if info.flag_bits & 0x1 or info.file_size > budget.left * 4:
                return None
            xml = archive.read(info).decode("utf-8", errors="replace")
            xml = _XML_CELL.sub(" | ", _XML_BREAKS.sub("\n", xml))
            chunks.append(html.unescape(_TAGS.sub("", xml)))
    return budget.take("\n".join(chunks)) if chunks else None


def _pdf_text(content: bytes, budget: _Budget) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError):
        return None
    text = "\n".join(pages)
    if not text.strip() and pages:
        return None  # a scan: pictures of pages, no text to check
    return budget.take(text)


def _rtf_text(markup: str) -> str:
    text = re.sub(r"\\'([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), markup)
    text = re.sub(r"\\(?:par|line)\b ?", "\n", text)
    text = re.sub(r"\\[a-z]+-?\d* ?|[{}]", "", text)
    return text
