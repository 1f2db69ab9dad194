"""Bench only: the production WSGI application with the audit append switched off, to measure
what the audit costs under load (bench/bench_load.py). Never deployed: it lives in bench/."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
django.setup(set_prefix=False)

from discretion.audit import services  # noqa: E402
from discretion.audit.models import AuditEvent  # noqa: E402


def _not_recorded(*args: object, **kwargs: object) -> AuditEvent:
    # Never saved. A caller that keeps the event's id (a session's sign-in) gets one that no real
    # event follows, so earlier events in the database never end the unaudited sessions.
    return AuditEvent(pk=2**62)


services.record = _not_recorded  # type: ignore[assignment]

from discretion.wsgi import application  # noqa: E402, F401
