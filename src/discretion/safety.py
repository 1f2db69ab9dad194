"""Refuse to run unsafely: a production process (DEBUG off) will not start on a development key.

The development defaults in settings.py let a fresh clone run its tests and demo with no set-up.
Nothing outside that may: a known SECRET_KEY forges sessions and password-reset links, a known
audit key forges the signed checkpoint (so the log could be cut or rewritten unseen), and
pseudonymised research extracts without the council's own research key could be reversed.

The refusal is a Django system check (so `manage check`, `runserver`, `migrate` and the task
worker stop with the reasons) and `refuse_to_start()`, which the WSGI/ASGI entry points and the
scheduler call before serving anything.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "discretion-development-key-not-for-production-use-0123456789"
DEVELOPMENT_AUDIT_KEY = "development-audit-key-change-me"
MIN_SECRET_KEY_LENGTH = 50  # Django's own bar (security.W009)
MIN_AUDIT_KEY_LENGTH = 32


def problems() -> list[str]:
    """Why this configuration must not serve real records; empty when it may (or DEBUG is on)."""
    if settings.DEBUG:
        return []
    found: list[str] = []
    secret_key = str(settings.SECRET_KEY)
    audit_key = str(settings.AUDIT_CHECKPOINT_KEY)
    research_key = str(getattr(settings, "RESEARCH_PSEUDONYM_KEY", "") or "")
    if secret_key == DEVELOPMENT_SECRET_KEY:
        found.append("SECRET_KEY is the development default: set SECRET_KEY to a new random value.")
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH or len(set(secret_key)) < 5:
        found.append(
            f"SECRET_KEY is too short or too plain: use at least {MIN_SECRET_KEY_LENGTH} random characters."
        )
    if audit_key == DEVELOPMENT_AUDIT_KEY:
        found.append(
            "DISCRETION_AUDIT_KEY is the development default: set it to a new random value, kept "
            "outside the database (it signs the audit checkpoint)."
        )
    elif len(audit_key) < MIN_AUDIT_KEY_LENGTH:
        found.append(
            f"DISCRETION_AUDIT_KEY is too short: use at least {MIN_AUDIT_KEY_LENGTH} random characters."
        )
    if getattr(settings, "RESEARCH_PSEUDONYMS", True) and not research_key:
        found.append(
            "DISCRETION_RESEARCH_KEY is not set but pseudonymised research extracts are enabled: set "
            "the key, or turn them off with DISCRETION_RESEARCH_PSEUDONYMS=0."
        )
    keys = [k for k in (secret_key, audit_key, research_key) if k]
    if len(set(keys)) < len(keys):
        found.append("SECRET_KEY, DISCRETION_AUDIT_KEY and DISCRETION_RESEARCH_KEY must all be different.")
    return found


@checks.register(checks.Tags.security)
def check_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(problem, id=f"discretion.E{n:03d}", hint="See docs/deploy.md (Keys).")
        for n, problem in enumerate(problems(), start=1)
    ]


def refuse_to_start() -> None:
    """Raise ImproperlyConfigured naming every problem, so the process stops before serving."""
    found = problems()
    if found:
        raise ImproperlyConfigured("Discretion refuses to start: " + " ".join(found))


def demo_secrets(var_dir: Path) -> dict[str, str]:
    """Keys for the synthetic demo: made once per checkout (var/demo-secrets.json, mode 0600) and
    kept, so the demo runs with DEBUG off like production and its audit checkpoint stays valid
    across restarts. Never used unless the environment sets none."""
    path = var_dir / "demo-secrets.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    made = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DISCRETION_AUDIT_KEY": secrets.token_urlsafe(32),
        "DISCRETION_RESEARCH_KEY": secrets.token_hex(32),
    }
    var_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(made, out)
    return made
