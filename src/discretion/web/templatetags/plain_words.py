"""Template filters that turn stored codes into the words a person reads."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def plain_purpose(value: object) -> str:
    """A request's purpose as the request form words it ("missing_child" → "Finding a missing child")."""
    from discretion.requests.forms import PURPOSE_LABELS

    text = str(value or "")
    return PURPOSE_LABELS.get(text, text.replace("_", " ") if text.isidentifier() and "_" in text else text)
