"""Hand a message to the next hop (the council's Exchange, Microsoft 365 or Postfix) over SMTP.

STARTTLS as the setting says: "required" (the default: no TLS, no send), "opportunistic" (when offered)
or "none" (a next hop on the same machine). The certificate is checked against the system's trust store
or DISCRETION_SMTP_CAFILE, like the outbox's own sends.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field

from discretion.disclosures.delivery import tls_context

TLS_MODES = ("required", "opportunistic", "none")


@dataclass(frozen=True)
class NextHop:
    host: str
    port: int
    tls: str = "required"
    timeout: float = 30.0
    helo: str | None = None


@dataclass(frozen=True)
class Handed:
    """What the next hop said: who it took, who it refused for good, who to try again later."""

    accepted: tuple[str, ...] = ()
    refused: dict[str, str] = field(default_factory=dict)  # recipient -> the next hop's reason (5xx)
    deferred: dict[str, str] = field(default_factory=dict)  # recipient -> reason (4xx, no connection)


def hand_over(hop: NextHop, mail_from: str, rcpt_tos: tuple[str, ...], content: bytes) -> Handed:
    """One attempt. Never raises for the next hop's answers: they come back in `Handed`."""
    try:
        with smtplib.SMTP(hop.host, hop.port, timeout=hop.timeout, local_hostname=hop.helo) as smtp:
            smtp.ehlo()
            if hop.tls != "none" and smtp.has_extn("starttls"):
                smtp.starttls(context=tls_context())
                smtp.ehlo()
            elif hop.tls == "required":
                return Handed(deferred=dict.fromkeys(rcpt_tos, "the next hop does not offer STARTTLS"))
            refused = smtp.sendmail(mail_from, list(rcpt_tos), content)
    except smtplib.SMTPRecipientsRefused as exc:
        return _split({r: (code, msg) for r, (code, msg) in exc.recipients.items()}, rcpt_tos)
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        reason = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        if 500 <= exc.smtp_code < 600:
            return Handed(refused=dict.fromkeys(rcpt_tos, reason))
        return Handed(deferred=dict.fromkeys(rcpt_tos, reason))
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        return Handed(deferred=dict.fromkeys(rcpt_tos, f"{type(exc).__name__}: {exc}"[:300]))
    return _split({r: (code, msg) for r, (code, msg) in refused.items()}, rcpt_tos)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def _split(answers: dict[str, tuple[int, bytes | str]], rcpt_tos: tuple[str, ...]) -> Handed:
    refused = {r: f"{code} {_text(msg)}" for r, (code, msg) in answers.items() if 500 <= code < 600}
    deferred = {r: f"{code} {_text(msg)}" for r, (code, msg) in answers.items() if not 500 <= code < 600}
    accepted = tuple(r for r in rcpt_tos if r not in answers)
    return Handed(accepted, refused, deferred)
