"""Template helpers for every page: where an error summary's link lands, and times in the
council's own time zone (Europe/London), whether stored as datetimes or as the audit log's ISO text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms, template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def error_anchor(form: forms.Form, name: str) -> str:
    """The id an error summary links to for a field: the field itself, or a group's first option
    (GOV.UK error summary: "link to the first radio button or checkbox")."""
    if name == "__all__" or name not in form.fields:
        return "main-content"
    field = form[name]
    return field.id_for_label or f"{field.auto_id}_0"


@register.filter
def local_time(value: Any, fmt: str = "j F Y, H:i") -> str:
    """An aware datetime or an ISO 8601 string, shown in the council's time zone."""
    if isinstance(value, str):
        text = value
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return str(date_format(timezone.localtime(value), fmt))
