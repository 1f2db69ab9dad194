"""Where an audited action came from (web, API, command line): pure, no Django."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    """Where an action came from: set by the web middleware, the API and the CLI."""

    ip: str = ""
    session: str = ""
    channel: str = "system"


_NO_CONTEXT = AuditContext()
_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "audit_context",
    default=_NO_CONTEXT,
)


def set_context(ctx: AuditContext) -> contextvars.Token[AuditContext]:
    return _context.set(ctx)


def reset_context(token: contextvars.Token[AuditContext]) -> None:
    _context.reset(token)


def current_context() -> AuditContext:
    return _context.get()
