"""Personal API tokens (a system acting as a named member of staff). The token is shown once and
stored only as a digest keyed by DISCRETION_LINK_KEY (keyed.py): like a session, which Django
signs with SECRET_KEY, it cannot be tested or planted by someone holding only the database."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from discretion import keyed
from discretion.audit import services as audit
from discretion.staff.models import ApiToken, Staff

# Where the policy gate (web.middleware) leaves the staff a bearer token belongs to, so the API's
# own authentication does not look the token up twice.
BEARER_STAFF = "_discretion_bearer_staff"

PURPOSE = "api-token"


def token_digest(token: str) -> str:
    return keyed.digest(PURPOSE, token)


def issue_api_token(staff: Staff, *, name: str, expires_at: dt.datetime | None = None) -> str:
    """A new token for `staff` (by an administrator at the command line); returns it once."""
    token = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        staff=staff, name=name[:100], token_digest=token_digest(token), expires_at=expires_at
    )
    audit.record(
        None,
        "auth.api_token_issued",
        object_type="staff",
        object_id=staff.pk,
        details={
            "token": row.pk,
            "name": row.name,
            "expires": expires_at.isoformat() if expires_at else None,
        },
    )
    return token


def staff_for_token(token: str) -> Staff | None:
    """The active member of staff a live token belongs to, or None."""
    row = (
        ApiToken.objects.select_related("staff")
        .filter(token_digest=token_digest(token), revoked=False)
        .first()
    )
    if row is None or (row.expires_at is not None and row.expires_at <= timezone.now()):
        return None
    if not row.staff.is_active or row.staff.has_ended():
        return None
    return row.staff
