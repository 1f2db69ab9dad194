"""One vocabulary for what a service refuses, and how each front shows it.

A service raises one of these; it never builds an HTTP response or an exit code itself. Each
error knows how the fronts show it:

- the API (`discretion.api`): one django-ninja handler answers `{"detail": message}` with
  `http_status` (plus whatever `extra()` adds);
- pages (`discretion.web.pages`): one helper renders the refused, not-found or bad-request page;
- the CLI (`discretion.cli`): one handler writes the message as one line on stderr and exits with
  `exit_code`.

Exit codes keep the CLI contract (DESIGN "Contracts"): 2 for anything the user asked that cannot
be done as asked (bad input, a refusal, an unknown reference: the message says which), 1 for a
check that ran and failed (`audit verify`), 0 for success. HTTP statuses: 400 bad input, 403 not
permitted, 404 not found (deliberately the same dull answer for "missing" and for a record the
actor may not learn exists), 409 a conflict with the current state.

This module is pure: no Django import, so every layer may raise these.
"""

from __future__ import annotations

from typing import Any, ClassVar

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class DiscretionError(Exception):
    """Something the user asked that cannot be done; the message says why, in the users' words."""

    http_status: ClassVar[int] = 400
    exit_code: ClassVar[int] = EXIT_USAGE

    def extra(self) -> dict[str, Any]:
        """Fields the API adds beside `detail` (none by default)."""
        return {}


class InvalidInput(DiscretionError, ValueError):
    """Bad input: a field missing, malformed or out of range ("Enter…", "Select…").

    A ValueError too, so code that validates with `except ValueError` keeps catching it."""

    http_status = 400


class NotPermitted(DiscretionError):
    """The actor's role does not allow this action."""

    http_status = 403


class NotFound(DiscretionError):
    """No such record (deliberately the same dull answer whatever the reason)."""

    http_status = 404


class Conflict(DiscretionError):
    """The action does not fit the record's current state (already decided, already released…)."""

    http_status = 409


class AccessDenied(DiscretionError):
    """The actor may not open this record. The refusal has been audited.

    Distinct from NotPermitted: it names the record and says whether break-glass could open it."""

    http_status = 403

    def __init__(
        self,
        message: str,
        *,
        case_id: int | None = None,
        person_id: int | None = None,
        can_break_glass: bool = False,
    ) -> None:
        super().__init__(message)
        self.case_id = case_id
        self.person_id = person_id
        self.can_break_glass = can_break_glass

    def extra(self) -> dict[str, Any]:
        return {"can_break_glass": self.can_break_glass}


class PolicyNotAcknowledged(DiscretionError):
    """policy 1.2: no access to personal data until the current policy is acknowledged."""

    http_status = 403


def one_line(exc: BaseException) -> str:
    """The message on one line (the CLI and logs never split a message over lines)."""
    return " ".join(str(exc).split())
