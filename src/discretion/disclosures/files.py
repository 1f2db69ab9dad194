"""How a released file is served: with the type recorded at release, as an attachment with a
safe name, never sniffed or rendered by the browser (OWASP: unrestricted file download)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

from django.http import HttpResponse
from django.utils.http import content_disposition_header

OCTET_STREAM = "application/octet-stream"
PGP_ARMOUR = b"-----BEGIN PGP MESSAGE-----"


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Extension -> (type, check that the content is what the name says). Anything else, including
# HTML and anything whose content does not match its name, is served as a plain download.
KNOWN_TYPES: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    ".pdf": ("application/pdf", lambda c: c.startswith(b"%PDF-")),
    ".zip": ("application/zip", lambda c: c.startswith((b"PK\x03\x04", b"PK\x05\x06"))),
    ".asc": ("application/pgp-encrypted", lambda c: c.lstrip().startswith(PGP_ARMOUR)),
    ".txt": ("text/plain", _is_utf8),
    ".csv": ("text/csv", _is_utf8),
}
TEXT_TYPES = frozenset({"text/plain", "text/csv"})


def content_type_for(name: str, content: bytes) -> str:
    """The type recorded at release: from the name's extension, only if the content agrees."""
    suffix = PurePosixPath(name.lower()).suffix
    known = KNOWN_TYPES.get(suffix)
    if known is None:
        return OCTET_STREAM
    content_type, check = known
    return content_type if check(content) else OCTET_STREAM


def safe_filename(name: str, content_type: str) -> str:
    """A download name with no path, quotes or control characters; a file served as a plain
    download keeps its name but ends in .bin, so nothing opens it as a page or a program."""
    base = re.split(r"[/\\]", name)[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")[:120] or "download"
    known = KNOWN_TYPES.get(PurePosixPath(base.lower()).suffix)
    if content_type == OCTET_STREAM or known is None or known[0] != content_type:
        base += ".bin"
    return base


def attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    """The response for a released file: its own type, an attachment, not cached, not sniffed."""
    content_type = content_type or OCTET_STREAM
    header_type = f"{content_type}; charset=utf-8" if content_type in TEXT_TYPES else content_type
    response = HttpResponse(content, content_type=header_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=safe_filename(name, content_type))
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
