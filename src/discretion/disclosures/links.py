"""The secure download link's secrets, kept out of the database (UK GDPR Art 32; policy 1.1).

A link row stores a random salt and two keyed digests (keyed.py, DISCRETION_LINK_KEY):

- the token in the URL is `derived_token(salt)`: the delivery worker rebuilds it with the key when
  it sends the e-mail, so neither the outbox body nor any other table holds it; the row keeps
  only `token_digest`, to find the link a recipient opens;
- the 6-digit one-time code is random, shown once to the releasing member of staff (who gives
  it by another route) and stored only as `code_digest`, keyed and salted per link.

A database copy without the key can neither rebuild a link nor test any of the million codes.
Changing the key withdraws every outstanding link.
"""

from __future__ import annotations

import secrets

from discretion import keyed
from discretion.disclosures.models import SecureLink

# Where the outbox body carries the link until the worker puts the rebuilt one in its place.
PLACEHOLDER = "[secure download link]"


def new_salt() -> str:
    return keyed.new_salt()


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def token_for(salt: str) -> str:
    return keyed.derived_token("link-token", salt)


def token_digest(token: str) -> str:
    return keyed.digest("link-token-lookup", token)


def code_digest(salt: str, code: str) -> str:
    return keyed.digest("link-code", f"{salt}:{code}")


def code_matches(link: SecureLink, code: str) -> bool:
    """Constant-time check of a code against the link's keyed digest."""
    return bool(link.salt) and keyed.matches("link-code", f"{link.salt}:{code.strip()}", link.code_digest)


def rebuilt_token(link: SecureLink) -> str | None:
    """The link's token, rebuilt with the key; None if the key has changed since the release
    (or the link predates keyed links), so a wrong link is never sent."""
    if not link.salt:
        return None
    token = token_for(link.salt)
    return token if keyed.matches("link-token-lookup", token, link.token_digest) else None
