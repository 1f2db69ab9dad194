"""Checks on what officers type (lengths, dates not in the future, required text) and case
references."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.models import (
    InfoRequest,
    SarCase,
)


def next_ref(prefix: str, model: type[InfoRequest] | type[SarCase]) -> str:
    year = timezone.localdate().year
    count = model.objects.filter(ref__startswith=f"{prefix}{year}-").count() + 1
    return f"{prefix}{year}-{count:05d}"


def not_longer_than(value: str, label: str, most: int) -> None:
    """Too long is an error to correct, never text silently kept or cut (pages and API alike)."""
    if len(value) > most:
        raise InvalidInput(f"{label} must be {most} characters or fewer")


def not_in_future(day: dt.date | None, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise InvalidInput(f"{label} must be today or in the past")


def required_text(value: str, message: str, *, max_length: int = 10_000) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message)
    if len(value) > max_length:
        raise InvalidInput(f"{message} ({max_length} characters or fewer)")
    return value
