"""A sign-in counts only once its second factor succeeds. A password alone (or a council
sign-in still waiting for its code) ends no one's session; a wrong or abandoned second factor
ends nothing either, but counts towards the lockout and is audited (policy 1.2; UK GDPR Art 32).
Driven through the real pages with two browsers' worth of test clients."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import add_device, code_for, password_sign_in, wrong_code_for

pytestmark = pytest.mark.django_db


def _verified(client, worker, device, *, steps_ahead=0):
    """Password, then the authenticator code, through the pages."""
    assert password_sign_in(client, worker)["Location"].startswith("/sign-in/two-factor/")
    response = client.post("/sign-in/two-factor/", {"code": code_for(device, steps_ahead=steps_ahead)})
    assert response.status_code == 302 and response["Location"] == "/", response
    assert client.get("/").status_code == 200


def _unthrottle(device):
    # django-otp doubles its wait after each wrong code; as if the person waited it out.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def test_a_password_alone_ends_no_session_the_second_factor_does(client, world, audit_actions):
    worker = world.staff()
    device = add_device(worker)
    _verified(client, worker, device)

    other = type(client)()
    password_sign_in(other, worker)
    # Someone with only the password: the verified session carries on, again and again.
    assert client.get("/").status_code == 200
    assert client.get("/people/").status_code == 200
    assert "auth.session_superseded" not in audit_actions(actor_id=worker.pk)
    assert audit_actions(actor_id=worker.pk).count("auth.sign_in") == 1
    assert audit_actions(actor_id=worker.pk).count("auth.first_factor_passed") == 2

    # Only when the second browser passes the code does the older session end.
    assert other.post("/sign-in/two-factor/", {"code": code_for(device, steps_ahead=1)}).status_code == 302
    assert other.get("/").status_code == 200
    ended = client.get("/")
    assert ended.status_code == 302 and ended["Location"].startswith("/sign-in/?signed_out=elsewhere")
    assert "auth.session_superseded" in audit_actions(actor_id=worker.pk)
    assert other.get("/").status_code == 200


def test_wrong_codes_end_nothing_but_are_audited_and_lock_the_account_at_that_address(
    client, world, audit_actions
):
    worker = world.staff()
    device = add_device(worker)
    _verified(client, worker, device)

    attacker = type(client)()
    password_sign_in(attacker, worker, next_url="/people/")
    wrong = wrong_code_for(device)
    for _ in range(4):
        refused = attacker.post("/sign-in/two-factor/", {"code": wrong})
        assert refused.status_code == 400
        assert client.get("/").status_code == 200
    fifth = attacker.post("/sign-in/two-factor/", {"code": wrong})
    assert fifth.status_code == 403
    assert "Your account is locked" in fifth.content.decode()
    # The half-signed-in session is over; the verified one is untouched.
    assert "_auth_user_id" not in attacker.session
    assert client.get("/").status_code == 200
    actions = audit_actions(actor_id=worker.pk)
    assert actions.count("auth.otp_failed") == 5
    assert "auth.locked_out" in actions and "auth.session_superseded" not in actions
    # Locked at that address: even the right password is refused there now.
    again = password_sign_in(attacker, worker)
    assert again.status_code == 403 and "_auth_user_id" not in attacker.session


def test_a_right_password_does_not_wipe_the_failures_only_a_complete_sign_in_does(client, world):
    worker = world.staff()
    device = add_device(worker)
    for _ in range(3):
        assert (
            client.post(
                "/sign-in/", {"username": worker.username, "password": "wrong-password-1"}
            ).status_code
            == 200
        )
    password_sign_in(client, worker)
    wrong = wrong_code_for(device)
    assert client.post("/sign-in/two-factor/", {"code": wrong}).status_code == 400
    # Three wrong passwords and two wrong codes: five failures, locked.
    assert client.post("/sign-in/two-factor/", {"code": wrong}).status_code == 403

    fresh = type(client)()
    survivor = world.staff()
    survivor_device = add_device(survivor)
    for _ in range(4):
        fresh.post("/sign-in/", {"username": survivor.username, "password": "wrong-password-1"})
    _unthrottle(survivor_device)
    _verified(fresh, survivor, survivor_device)
    fresh.post("/sign-out/")
    # The complete sign-in cleared the four failures: four more do not lock.
    for _ in range(4):
        assert (
            fresh.post(
                "/sign-in/", {"username": survivor.username, "password": "wrong-password-1"}
            ).status_code
            == 200
        )
    assert password_sign_in(fresh, survivor).status_code == 302


def test_an_abandoned_second_factor_leaves_a_session_that_a_later_sign_in_ends(client, world):
    worker = world.staff()
    device = add_device(worker)
    password_sign_in(client, worker)  # and walks away at the code step
    verified = type(client)()
    _verified(verified, worker, device)
    assert verified.get("/").status_code == 200
    assert client.get("/sign-in/two-factor/")["Location"].startswith("/sign-in/?signed_out=elsewhere")


def test_the_second_factor_starts_a_new_session_key(client, world):
    worker = world.staff()
    device = add_device(worker)
    password_sign_in(client, worker)
    half = client.session.session_key
    client.post("/sign-in/two-factor/", {"code": code_for(device)})
    assert client.session.session_key != half
    assert client.get("/").status_code == 200
