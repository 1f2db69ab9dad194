"""Two-factor sign-in (TOTP): required for every account; wrong codes refused and audited."""

from __future__ import annotations

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import add_device, code_for, fully_signed_in, password_sign_in, wrong_code_for

pytestmark = pytest.mark.django_db


def test_password_alone_leads_to_set_up_and_nothing_else(client, world):
    worker = world.staff()
    response = password_sign_in(client, worker, next_url="/people/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/two-factor/?next=%2Fpeople%2F"

    step = client.get(response["Location"])
    assert step.status_code == 302
    assert step["Location"] == "/sign-in/two-factor/set-up/?next=%2Fpeople%2F"

    for path in ("/", "/people/", "/policy/acknowledge/", "/staff/compliance/", "/admin/"):
        refused = client.get(path)
        assert refused.status_code == 302, path
        assert refused["Location"].startswith("/sign-in/two-factor/?next="), path
    assert client.get("/health/").status_code == 200


@pytest.mark.parametrize("role", ["practitioner", "team_manager", "information_governance", "administrator"])
def test_every_role_needs_the_second_step(client, world, role):
    member = world.staff(role)
    client.force_login(member)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/two-factor/?next=%2F"


def test_set_up_shows_the_secret_and_uri_and_a_right_code_adds_the_device(client, world, audit_actions):
    worker = world.staff(username="amina.patel")
    password_sign_in(client, worker)
    page = client.get("/sign-in/two-factor/set-up/?next=/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    device = TOTPDevice.objects.get(user=worker)
    assert not device.confirmed
    secret = base64.b32encode(device.bin_key).decode()
    text = page.content.decode()
    assert secret[:4] + " " + secret[4:8] in text
    assert f"otpauth://totp/Discretion%3Aamina.patel?secret={secret}" in text
    assert "<svg" in text
    # A reload shows the same secret: the app set up from the first view still works.
    assert secret[:4] + " " + secret[4:8] in client.get("/sign-in/two-factor/set-up/").content.decode()
    assert TOTPDevice.objects.filter(user=worker).count() == 1

    response = client.post("/sign-in/two-factor/set-up/", {"code": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert "auth.otp_device_added" in audit_actions(actor_id=worker.pk)
    assert "auth.otp_verified" in audit_actions(actor_id=worker.pk)
    assert client.get("/").status_code == 200


def test_a_wrong_set_up_code_is_refused_and_audited(client, world, audit_actions):
    worker = world.staff()
    password_sign_in(client, worker)
    client.get("/sign-in/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=worker)
    wrong = wrong_code_for(device)
    response = client.post("/sign-in/two-factor/set-up/", {"code": wrong})
    assert response.status_code == 400
    assert "The code is not correct" in response.content.decode()
    assert response.content.decode().count("govuk-error-summary") >= 1
    device.refresh_from_db()
    assert not device.confirmed
    assert "auth.otp_failed" in audit_actions(actor_id=worker.pk)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "Enter the 6-digit code from your authenticator app"), ("12ab56", "The code must be 6 digits")],
)
def test_a_missing_or_malformed_code_asks_again(client, world, code, message):
    worker = world.staff()
    add_device(worker)
    password_sign_in(client, worker)
    response = client.post("/sign-in/two-factor/", {"code": code})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<title>Error:" in response.content.decode()


def test_with_a_device_the_code_step_is_asked_and_set_up_is_closed(client, world, audit_actions):
    worker = world.staff()
    device = add_device(worker)
    password_sign_in(client, worker)
    assert client.get("/sign-in/two-factor/").status_code == 200
    # Someone holding only the password cannot enrol their own app over the owner's.
    closed = client.get("/sign-in/two-factor/set-up/")
    assert closed.status_code == 302
    assert closed["Location"].startswith("/sign-in/two-factor/?next=")
    assert client.post("/sign-in/two-factor/set-up/", {"code": code_for(device)}).status_code == 302
    assert TOTPDevice.objects.filter(user=worker).count() == 1
    assert "auth.otp_verified" not in audit_actions(actor_id=worker.pk)


def test_the_right_code_passes_then_the_policy_gate_then_pages(client, world, audit_actions):
    worker = world.staff(acknowledged=False)
    device = add_device(worker)
    password_sign_in(client, worker, next_url="/people/")
    response = client.post("/sign-in/two-factor/", {"code": code_for(device), "next": "/people/"})
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    gate = client.get("/people/")
    assert gate.status_code == 302
    assert gate["Location"].startswith("/policy/acknowledge/")
    client.post("/policy/acknowledge/", {"confirm": "on"})
    assert client.get("/people/").status_code == 200
    assert audit_actions(actor_id=worker.pk).count("auth.otp_verified") == 1


def test_a_wrong_code_is_refused_audited_and_a_used_code_cannot_be_replayed(client, world, audit_actions):
    worker = world.staff()
    device = add_device(worker)
    password_sign_in(client, worker)
    wrong = wrong_code_for(device)
    response = client.post("/sign-in/two-factor/", {"code": wrong})
    assert response.status_code == 400
    assert "The code is not correct" in response.content.decode()
    assert audit_actions(actor_id=worker.pk).count("auth.otp_failed") == 1
    assert client.get("/").status_code == 302

    # An intercepted code is no good once used (the device remembers the last time step).
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    used = code_for(device)
    assert client.post("/sign-in/two-factor/", {"code": used}).status_code == 302
    other = type(client)()
    password_sign_in(other, worker)
    replay = other.post("/sign-in/two-factor/", {"code": used})
    assert replay.status_code == 400
    assert audit_actions(actor_id=worker.pk).count("auth.otp_failed") == 2


def test_repeated_wrong_codes_are_throttled(client, world, audit_actions, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600  # the wait doubles per failure; long enough to hold here
    worker = world.staff()
    device = add_device(worker)
    password_sign_in(client, worker)
    wrong = wrong_code_for(device)
    client.post("/sign-in/two-factor/", {"code": wrong})
    throttled = client.post("/sign-in/two-factor/", {"code": code_for(device)})
    assert throttled.status_code == 400
    assert "Too many wrong codes" in throttled.content.decode()
    assert audit_actions(actor_id=worker.pk).count("auth.otp_failed") == 2


def _case_for(world, worker):
    team = world.team()
    child = world.person("Kayden", "Walsh")
    return world.case(child, team, workers=(worker,))


def test_the_api_refuses_a_session_without_the_second_step(client, world):
    worker = world.staff()
    case = _case_for(world, worker)
    add_device(worker)
    password_sign_in(client, worker)
    response = client.get(f"/api/records/cases/{case.ref}")
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]


def test_the_api_accepts_a_verified_session(client, world):
    worker = world.staff()
    case = _case_for(world, worker)
    fully_signed_in(client, worker)
    assert client.get(f"/api/records/cases/{case.ref}").status_code == 200


def test_a_bearer_token_stands_alone_beside_an_unverified_session(client, world):
    from discretion.staff.tokens import issue_api_token

    worker = world.staff()
    case = _case_for(world, worker)
    token = issue_api_token(worker, name="test")
    stranger = world.staff()
    add_device(stranger)
    password_sign_in(client, stranger)
    response = client.get(f"/api/records/cases/{case.ref}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert (
        type(client)().get(f"/api/records/cases/{case.ref}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 200
    )


def test_with_the_setting_off_a_password_is_enough(client, world, settings):
    settings.DISCRETION_REQUIRE_2FA = False
    worker = world.staff()
    response = password_sign_in(client, worker)
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
