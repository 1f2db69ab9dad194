"""Sign-in hardening tests run with two-factor sign-in required, as in production."""

from __future__ import annotations

import time
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.DISCRETION_REQUIRE_2FA = True
    settings.DISCRETION_IDLE_MINUTES = 30
    settings.DISCRETION_MAX_SESSIONS = 1


def code_for(device: Any, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` 30-second steps later)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device: Any) -> str:
    """A well-formed code that no step within the device's tolerance accepts."""
    valid = {code_for(device, steps_ahead=k) for k in range(-2, 3)}
    return next(c for c in (f"{n:06d}" for n in range(100_000, 1_000_000, 7919)) if c not in valid)


def add_device(staff: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)


def password_sign_in(client: Any, staff: Any, *, next_url: str = "") -> Any:
    data = {"username": staff.username, "password": "correct-horse-battery"}
    if next_url:
        data["next"] = next_url
    return client.post("/sign-in/", data)


def fully_signed_in(client: Any, staff: Any) -> Any:
    """A session past both steps, without going through the pages."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = add_device(staff)
    client.force_login(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
