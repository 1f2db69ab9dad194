"""`{% oidc_enabled as sso %}`: whether the council sign-in button is shown (docs/oidc.md)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def oidc_enabled() -> bool:
    from discretion.staff import oidc

    return oidc.enabled()
