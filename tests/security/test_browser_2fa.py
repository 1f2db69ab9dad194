"""In real Chromium: password, set up an authenticator app from the secret on the page,
acknowledge the policy, reach their home page; sign out and back in with the code step."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import sign_in


def _code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app given this setup key shows (RFC 6238, as django-otp computes it)."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_with_a_new_authenticator_app_then_the_policy_then_my_cases(
    page, world, audit_actions, settings
):
    # No back-off after the one wrong code here (tests/security/test_two_factor.py covers it).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    team = world.team("Chorley Safeguarding")
    worker = world.staff(team=team, username="sarah.hughes", acknowledged=False)
    world.case(world.person("Kayden Lee", "Walsh"), team, workers=(worker,))

    sign_in(page, "sarah.hughes")
    assert page.locator("h1").inner_text() == "Set up your authenticator app"
    secret = page.locator("#otp-secret").inner_text()
    assert page.locator("svg").first.is_visible()

    page.fill("#id_code", "000000" if _code(secret) != "000000" else "111111")
    page.click("main button[type=submit]")
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "The code is not correct" in page.locator(".govuk-error-summary").inner_text()

    page.fill("#id_code", _code(secret))
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Read the Confidentiality Policy"
    page.check("#id_confirm")
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "My work"
    assert page.locator("text=Kayden Lee Walsh").is_visible()

    page.click("header button:has-text('Sign out')")
    sign_in(page, "sarah.hughes")
    assert page.locator("h1").inner_text() == "Enter your security code"
    # The code already used is spent; the app's next code (within the allowed drift) is not.
    page.fill("#id_code", _code(secret, steps_ahead=1))
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "My work"

    actions = audit_actions(actor_id=worker.pk)
    assert actions.count("auth.otp_device_added") == 1
    assert actions.count("auth.otp_verified") == 2
    assert actions.count("auth.otp_failed") == 1
