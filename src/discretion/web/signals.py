"""Sign-in, sign-out and failed sign-in are audit events (the sign-in sequence: staff.security)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from discretion.audit import services as audit


def _ip(request: HttpRequest | None) -> dict[str, object]:
    return {"ip": request.META.get("REMOTE_ADDR", "")} if request is not None else {}


@receiver(user_logged_in)
def audit_sign_in(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    """The first factor (or, when no second is owed, the whole sign-in): staff.security."""
    from discretion.staff.security import record_first_step

    record_first_step(request, user)


@receiver(user_logged_out)
def audit_sign_out(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    if user is not None:
        audit.record(user.pk, "auth.sign_out", object_type="staff", object_id=user.pk)


@receiver(user_login_failed)
def audit_failed_sign_in(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: object
) -> None:
    username = str(credentials.get("username", ""))
    staff_id = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    audit.record(
        staff_id,
        "auth.sign_in_failed",
        object_type="staff",
        object_id=staff_id or "",
        details={"known_account": staff_id is not None, **_ip(request)},
    )
