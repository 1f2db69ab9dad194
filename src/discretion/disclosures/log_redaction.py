"""A logging filter that blanks the token of a download link in every log line: Django's own
"Bad Request: <path>" warnings and the development server's request lines would otherwise
write the link into the logs (policy 1.1; UK GDPR Art 32)."""

from __future__ import annotations

import logging
import re

_TOKEN_IN_PATH = re.compile(r"(/disclosures/download/)[^/\s\"'?#]+")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[redacted]", text)


class RedactDownloadTokens(logging.Filter):
    """Rewrites the record's message with any download token blanked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
