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


@register.filter
def london_time(value: object) -> str:
    """An audit event's time (ISO 8601, UTC) as the council reads it: "3 December 2026, 6:49 pm"."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.conf import settings

    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return str(value or "")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    return (
        f"{local.day} {local:%B %Y}, {local.hour % 12 or 12}:{local:%M} {'am' if local.hour < 12 else 'pm'}"
    )


# What an audit event's object is, and what was done, in words (an unknown code is spelt out).
OBJECTS = {
    "case": "a case",
    "person": "a person's record",
    "entry": "a record entry",
    "attachment": "an attachment",
    "access": "access",
    "request": "a request",
    "requests": "requests",
    "ir": "information rights",
    "sar": "a subject access case",
    "disclosure": "a disclosure",
    "disclosures": "disclosures",
    "outbound": "a message",
    "alert": "an alert",
    "staff": "staff",
    "audit": "the audit trail",
    "auth": "signing in",
    "research": "research",
    "commercial": "commercial records",
    "break_glass": "break-glass access",
}
VERBS = {
    "read": "Opened",
    "listed": "Listed",
    "refused": "Refused",
    "released": "Released",
    "sent": "Sent",
    "blocked": "Blocked",
    "opened": "Opened",
    "granted": "Granted",
    "search": "Searched",
    "sign_out": "Signed out",
    "sign_in": "Signed in",
    "reviewed": "Reviewed",
    "decided": "Decided",
    "approved": "Approved",
    "closed": "Closed",
    "created": "Created",
    "added": "Added",
    "acknowledged": "Acknowledged",
    "compiled": "Compiled",
    "raised": "Raised",
    "exported": "Exported",
    "updated": "Updated",
}


@register.filter
def plain_action(value: object) -> str:
    """An audit action code ("case.read") in words ("Opened a case")."""
    parts = str(value or "").split(".")
    verb = parts[-1]
    objects = [OBJECTS.get(p, p.replace("_", " ")) for p in parts[:-1] if p != "ir" or len(parts) == 2]
    thing = " – ".join(objects)
    if verb in VERBS:
        return f"{VERBS[verb]} {thing}".strip()
    return (
        f"{thing[:1].upper() + thing[1:]}: {verb.replace('_', ' ')}"
        if thing
        else verb.replace("_", " ").capitalize()
    )


@register.filter
def plain_code(value: object) -> str:
    """Any other stored code ("info_request", "break_glass") with its underscores as spaces."""
    return str(value or "").replace("_", " ").replace(".", " ")


@register.filter
def policy_paragraphs(value: object) -> str:
    """The rules a release rested on ("1.1-record", "2.2-safeguarding") as the council's policy
    paragraphs they cite ("Policy 1.1, 2.2"), never as rule ids."""
    from discretion.policy.council import default_council_config

    wording = default_council_config().rules
    rules = [str(r) for r in value] if isinstance(value, list | tuple) else []
    paragraphs = {wording[r].paragraph if r in wording else r.split("-")[0] for r in rules}
    ordered = sorted(paragraphs, key=lambda p: [int(n) if n.isdigit() else 0 for n in p.split(".")])
    return f"Policy {', '.join(ordered)}" if ordered else "–"
