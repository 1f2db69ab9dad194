"""Idle sessions end; a new sign-in ends the account's older session."""

from __future__ import annotations

import pytest

from discretion.staff import security
from tests.security.conftest import fully_signed_in, password_sign_in

pytestmark = pytest.mark.django_db


def _age_session(client, minutes):
    session = client.session
    session[security.LAST_SEEN_KEY] = security.now_seconds() - minutes * 60
    session.save()


def test_a_session_idle_past_the_limit_is_signed_out_and_audited(client, world, audit_actions):
    worker = world.staff()
    fully_signed_in(client, worker)
    assert client.get("/").status_code == 200
    _age_session(client, 31)
    response = client.get("/people/?q=Walsh")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?signed_out=idle&next=%2Fpeople%2F%3Fq%3DWalsh"
    actions = audit_actions(actor_id=worker.pk)
    assert "auth.idle_timeout" in actions
    assert actions[-1] == "auth.sign_out"
    assert client.get("/")["Location"].startswith("/sign-in/")
    notice = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not used Discretion for 30 minutes." in notice


def test_a_session_used_within_the_limit_stays(client, world, audit_actions):
    worker = world.staff()
    fully_signed_in(client, worker)
    client.get("/")
    _age_session(client, 29)
    assert client.get("/").status_code == 200
    assert "auth.idle_timeout" not in audit_actions(actor_id=worker.pk)


def test_the_idle_limit_is_a_setting(client, world, settings):
    settings.DISCRETION_IDLE_MINUTES = 5
    fully_signed_in(client, world.staff())
    client.get("/")
    _age_session(client, 6)
    assert client.get("/").status_code == 302


def test_an_idle_api_session_gets_a_401(client, world):
    fully_signed_in(client, world.staff())
    client.get("/")
    _age_session(client, 31)
    response = client.get("/api/records/people?q=Walsh")
    assert response.status_code == 401
    assert response.json()["detail"] == "Your session has ended. Sign in again."


def test_a_new_sign_in_ends_the_older_session(client, world, settings, audit_actions):
    settings.DISCRETION_REQUIRE_2FA = False
    worker = world.staff()
    first, second = client, type(client)()
    password_sign_in(first, worker)
    assert first.get("/").status_code == 200
    password_sign_in(second, worker)
    assert second.get("/").status_code == 200

    ended = first.get("/")
    assert ended.status_code == 302
    assert ended["Location"].startswith("/sign-in/?signed_out=elsewhere")
    assert "auth.session_superseded" in audit_actions(actor_id=worker.pk)
    assert "signed in somewhere else" in first.get(ended["Location"]).content.decode()
    assert second.get("/").status_code == 200
    # Signing in again in the same browser keeps that session, not a stale marker.
    password_sign_in(second, worker)
    assert second.get("/").status_code == 200


def test_another_account_signing_in_ends_nothing(client, world, settings):
    settings.DISCRETION_REQUIRE_2FA = False
    first = world.staff()
    password_sign_in(client, first)
    password_sign_in(type(client)(), world.staff())
    assert client.get("/").status_code == 200


def test_more_sessions_can_be_allowed(client, world, settings):
    settings.DISCRETION_REQUIRE_2FA = False
    settings.DISCRETION_MAX_SESSIONS = 2
    worker = world.staff()
    clients = [client, type(client)(), type(client)()]
    for each in clients:
        password_sign_in(each, worker)
        each.get("/")
    assert [each.get("/").status_code for each in clients] == [302, 200, 200]


def test_a_new_complete_sign_in_ends_an_older_verified_session_a_password_alone_does_not(client, world):
    # Through the pages, with the second step: tests/security/test_sign_in_sequence.py.
    from tests.security.conftest import code_for

    worker = world.staff()
    device = fully_signed_in(client, worker)
    assert client.get("/").status_code == 200
    other = type(client)()
    password_sign_in(other, worker)
    assert client.get("/").status_code == 200
    assert other.post("/sign-in/two-factor/", {"code": code_for(device)}).status_code == 302
    assert client.get("/")["Location"].startswith("/sign-in/?signed_out=elsewhere")
