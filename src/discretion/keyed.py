"""Secrets that never rest in the database in a usable form (UK GDPR Art 32).

Everything here is keyed by `settings.DISCRETION_LINK_KEY`, which comes from the environment and
is never stored in the database. One key is derived from it per purpose (HMAC-SHA256 used as a
key-derivation function), so a digest made for one purpose never verifies for another.

- `digest`: HMAC-SHA256 of a secret, for lookup and comparison (link tokens, one-time codes,
  API tokens). A copy of the database without the key can neither test a guess (a 6-digit code
  has only a million values) nor plant a row of its own.
- `derived_token`: a secret rebuilt from a random salt stored in the row: the delivery worker,
  holding the key, rebuilds a download link when it sends the e-mail; a database copy cannot.
- `seal` / `unseal`: authenticated encryption (Fernet) for a value that must wait in the
  session (a one-time code shown on the next page): the session table holds only ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _master_key() -> bytes:
    key = str(getattr(settings, "DISCRETION_LINK_KEY", "") or "")
    if not key:
        raise RuntimeError("DISCRETION_LINK_KEY is not set")
    return key.encode()


def _purpose_key(purpose: str) -> bytes:
    return hmac.new(_master_key(), b"discretion/" + purpose.encode(), hashlib.sha256).digest()


def digest(purpose: str, secret: str) -> str:
    """The keyed digest (hex) stored in place of `secret`."""
    return hmac.new(_purpose_key(purpose), secret.encode(), hashlib.sha256).hexdigest()


def matches(purpose: str, secret: str, stored: str) -> bool:
    """Whether `secret` is the one whose digest is `stored`, in constant time."""
    return bool(stored) and hmac.compare_digest(digest(purpose, secret), stored)


def new_salt() -> str:
    return secrets.token_hex(32)


def derived_token(purpose: str, salt: str) -> str:
    """A URL-safe 256-bit token that only the key's holder can compute from `salt`."""
    raw = hmac.new(_purpose_key(purpose), salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_purpose_key("session-seal")))


def seal(value: Any) -> str:
    """`value` (JSON-serialisable) encrypted and authenticated under the key."""
    return _fernet().encrypt(json.dumps(value).encode()).decode()


def unseal(sealed: object, *, max_age_seconds: int = 3600) -> Any:
    """The value `seal` made, or None if it is missing, altered, too old or from another key."""
    if not isinstance(sealed, str):
        return None
    try:
        return json.loads(_fernet().decrypt(sealed.encode(), ttl=max_age_seconds))
    except (InvalidToken, ValueError):
        return None
