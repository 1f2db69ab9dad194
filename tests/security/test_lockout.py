"""Lockout after repeated failed sign-ins (django-axes): per username and address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOCKED = "Your account is locked because of too many failed sign-in attempts"


def _attempt(client, username, password="wrong-password-123", ip="10.0.0.5"):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_username_at_that_address(client, world, audit_actions, settings):
    settings.DISCRETION_REQUIRE_2FA = False
    worker = world.staff(username="jo.bloggs")
    for _ in range(4):
        response = _attempt(client, "jo.bloggs")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    fifth = _attempt(client, "jo.bloggs")
    assert fifth.status_code == 403
    page = fifth.content.decode()
    assert LOCKED in page
    assert "Try again in 30 minutes" in page
    assert "govuk-error-summary" in page
    assert "<title>Error:" in page

    # The right password does not help while locked, and each refusal is audited.
    right = _attempt(client, "jo.bloggs", "correct-horse-battery")
    assert right.status_code == 403
    assert LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session
    actions = audit_actions(actor_id=worker.pk)
    assert actions.count("auth.locked_out") == 2
    assert actions.count("auth.sign_in_failed") == 6
    assert "auth.sign_in" not in actions

    # The lock is for that username at that address: the owner elsewhere can still sign in.
    other_place = _attempt(type(client)(), "jo.bloggs", "correct-horse-battery", ip="10.0.0.9")
    assert other_place.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, world, settings):
    from axes.models import AccessAttempt

    settings.DISCRETION_REQUIRE_2FA = False
    world.staff(username="sam.lee")
    for _ in range(5):
        _attempt(client, "sam.lee")
    assert _attempt(client, "sam.lee", "correct-horse-battery").status_code == 403
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert _attempt(client, "sam.lee", "correct-horse-battery").status_code == 302


def test_a_successful_sign_in_resets_the_count(client, world, settings):
    settings.DISCRETION_REQUIRE_2FA = False
    world.staff(username="kim.ng")
    for _ in range(4):
        _attempt(client, "kim.ng")
    assert _attempt(client, "kim.ng", "correct-horse-battery").status_code == 302
    client.post("/sign-out/")
    for _ in range(4):
        assert _attempt(client, "kim.ng").status_code == 200
    assert _attempt(client, "kim.ng", "correct-horse-battery").status_code == 302


def test_an_unknown_username_is_locked_too_and_audited_without_an_account(client, world, audit_actions):
    for _ in range(5):
        _attempt(client, "no.such.person")
    response = _attempt(client, "no.such.person")
    assert response.status_code == 403
    assert audit_actions(action="auth.locked_out") == ["auth.locked_out", "auth.locked_out"]
