"""In real Chromium: the council sign-in button, the local provider's redirect back, the
authenticator code (the council's MFA not trusted), then their home page."""

from __future__ import annotations

import json

import pytest

from discretion.audit.models import AuditEvent
from tests.security.conftest import add_device, code_for
from tests.security.oidc.conftest import directory_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_with_the_council_account_then_the_code(page, world, oidc_provider, settings):
    settings.DISCRETION_REQUIRE_2FA = True
    team = world.team("Preston Children in Care")
    worker = world.staff(team=team, username="amina.patel")
    worker.email = "amina.patel@council.example"
    worker.save()
    device = add_device(worker)
    world.case(world.person("Kayden Lee", "Walsh"), team, workers=(worker,))
    oidc_provider.user = directory_user(worker, sub="8c1f-amina")

    page.goto("/sign-in/")
    page.click("text=Sign in with your council account")
    assert page.locator("h1").inner_text() == "Enter your security code"
    page.fill("#id_code", code_for(device))
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "My work"
    assert page.locator("text=Kayden Lee Walsh").is_visible()

    [link] = AuditEvent.objects.filter(action="auth.sso_linked")
    assert json.loads(link.details)["sub"] == "8c1f-amina"
    assert AuditEvent.objects.filter(action="auth.sign_in", actor_id=worker.pk).count() == 1
    assert AuditEvent.objects.filter(action="auth.otp_verified", actor_id=worker.pk).count() == 1
