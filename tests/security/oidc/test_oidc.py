"""Council single sign-on (OpenID Connect) against a real local provider: existing accounts
only, linked by e-mail then by `sub`; refusals audited; the second factor still asked unless
the council's MFA is trusted; lockout and the one-session rule still apply."""

from __future__ import annotations

import json

import pytest

from discretion.audit.models import AuditEvent
from discretion.staff.models import Staff
from tests.security.conftest import fully_signed_in, password_sign_in
from tests.security.oidc.conftest import council_sign_in, directory_user

pytestmark = pytest.mark.django_db


def _events(action: str, **filters):
    return [
        (e, json.loads(e.details or "{}"))
        for e in AuditEvent.objects.filter(action=action, **filters).order_by("seq")
    ]


def _staff(world, email: str = "amina.patel@council.example", **kwargs):
    member = world.staff(**kwargs)
    member.email = email
    member.save()
    return member


def test_without_configuration_there_is_no_button_and_no_route(client, world):
    page = client.get("/sign-in/").content.decode()
    assert "Sign in with your council account" not in page
    assert client.get("/sign-in/council/").status_code == 404
    assert client.get("/sign-in/council/callback/?code=x&state=y").status_code == 404


def test_configured_the_sign_in_page_offers_the_council_account(client, world, oidc_provider):
    page = client.get("/sign-in/?next=/people/").content.decode()
    assert "Sign in with your council account" in page
    assert 'href="/sign-in/council/?next=/people/"' in page


def test_first_council_sign_in_links_by_email_then_asks_for_the_code(client, world, oidc_provider):
    worker = _staff(world, email="Amina.Patel@council.example")
    response = council_sign_in(
        client,
        oidc_provider,
        directory_user(sub="8c1f-amina", email="amina.patel@council.example"),
        next_url="/people/",
    )
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/two-factor/?next=%2Fpeople%2F"
    assert client.session["_auth_user_id"] == str(worker.pk)
    # The authorization code went back with the PKCE verifier and the client's secret.
    [token_request] = oidc_provider.token_requests
    assert token_request["code_verifier"] and token_request["client_secret"]

    [(link, details)] = _events("auth.sso_linked")
    assert link.actor_id == worker.pk
    assert details["sub"] == "8c1f-amina" and details["issuer"] == oidc_provider.issuer
    # Accepted by the directory, but not yet signed in: the code is still owed.
    [(_step, step_details)] = _events("auth.first_factor_passed", actor_id=worker.pk)
    assert step_details["method"] == "oidc"
    assert not _events("auth.sign_in", actor_id=worker.pk)

    # Not past the second step: every page leads to it; the set-up step for a new member of staff.
    assert client.get("/people/")["Location"].startswith("/sign-in/two-factor/?next=")
    assert client.get("/sign-in/two-factor/?next=/people/")["Location"].startswith(
        "/sign-in/two-factor/set-up/"
    )


def test_a_linked_account_is_found_by_sub_even_after_the_directory_changes_the_email(
    client, world, oidc_provider
):
    worker = _staff(world, email="amina.patel@council.example")
    council_sign_in(client, oidc_provider, directory_user(worker, sub="8c1f-amina"))
    client.post("/sign-out/")
    again = council_sign_in(
        client, oidc_provider, directory_user(sub="8c1f-amina", email="amina.khan@council.example")
    )
    assert again.status_code == 302
    assert client.session["_auth_user_id"] == str(worker.pk)
    assert len(_events("auth.sso_linked")) == 1


def test_an_email_reused_for_another_directory_user_is_refused(client, world, oidc_provider):
    worker = _staff(world, email="j.smith@council.example")
    council_sign_in(client, oidc_provider, directory_user(worker, sub="old-j-smith"))
    client.post("/sign-out/")
    refused = council_sign_in(client, oidc_provider, directory_user(worker, sub="new-j-smith"))
    assert refused.status_code == 403
    assert "linked to a different council account" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    [(_event, details)] = _events("auth.sso_refused")
    assert details["reason"] == "linked_to_other" and details["sub"] == "new-j-smith"


def test_an_unknown_directory_user_is_refused_and_no_account_is_created(client, world, oidc_provider):
    _staff(world, email="someone.else@council.example")
    before = Staff.objects.count()
    refused = council_sign_in(
        client, oidc_provider, directory_user(sub="stranger", email="stranger@council.example")
    )
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "govuk-error-summary" in page and "<title>Error:" in page
    assert "There is no Discretion account for your council account" in page
    assert Staff.objects.count() == before
    assert "_auth_user_id" not in client.session
    [(event, details)] = _events("auth.sso_refused")
    assert event.actor_id is None
    assert details == {
        "channel": "web",
        "reason": "no_account",
        "issuer": oidc_provider.issuer,
        "sub": "stranger",
        "email": "stranger@council.example",
        "ip": "127.0.0.1",
    }
    assert not _events("auth.sign_in")


def test_an_unverified_email_is_not_used_to_link(client, world, oidc_provider):
    worker = _staff(world)
    refused = council_sign_in(client, oidc_provider, directory_user(worker, email_verified=False))
    assert refused.status_code == 403
    assert _events("auth.sso_refused")[0][1]["reason"] == "email_unverified"
    assert not _events("auth.sso_linked")


@pytest.mark.parametrize("state", ["inactive", "ended"])
def test_inactive_and_ended_accounts_are_refused(client, world, oidc_provider, state):
    import datetime as dt

    worker = _staff(world)
    if state == "inactive":
        worker.is_active = False
    else:
        worker.end_on = dt.date(2020, 1, 31)
    worker.save()
    refused = council_sign_in(client, oidc_provider, directory_user(worker))
    assert refused.status_code == 403
    assert "Your Discretion account is not active" in refused.content.decode()
    [(event, details)] = _events("auth.sso_refused")
    assert event.actor_id == worker.pk and details["reason"] == "inactive"


def test_a_locked_out_account_is_refused_through_the_council_too(client, world, oidc_provider):
    worker = _staff(world, username="jo.bloggs")
    for _ in range(5):
        client.post("/sign-in/", {"username": "jo.bloggs", "password": "wrong-password-123"})
    refused = council_sign_in(client, oidc_provider, directory_user(worker))
    assert refused.status_code == 403
    assert "Your account is locked" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    locked = _events("auth.locked_out", actor_id=worker.pk)
    assert locked[-1][1]["method"] == "oidc"
    assert not _events("auth.sign_in")


def test_trusted_directory_mfa_counts_as_the_second_factor(client, world, oidc_provider, settings):
    settings.DISCRETION_OIDC_TRUST_IDP_MFA = True
    worker = _staff(world)
    response = council_sign_in(
        client, oidc_provider, directory_user(worker, amr=["pwd", "mfa"]), next_url="/people/"
    )
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    assert client.get("/sign-in/two-factor/?next=/")["Location"] == "/"
    [(_event, details)] = _events("auth.idp_mfa_accepted", actor_id=worker.pk)
    assert details["amr"] == ["pwd", "mfa"]


def test_a_trusted_acr_value_counts_too(client, world, oidc_provider, settings):
    settings.DISCRETION_OIDC_TRUST_IDP_MFA = True
    settings.DISCRETION_OIDC_MFA_ACR = ["urn:council:loa:substantial"]
    worker = _staff(world)
    response = council_sign_in(
        client, oidc_provider, directory_user(worker, acr="urn:council:loa:substantial"), next_url="/"
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("trust", "amr"), [(True, ["pwd"]), (False, ["pwd", "mfa"])], ids=["no-mfa-claim", "not-trusted"]
)
def test_otherwise_the_authenticator_code_is_still_asked(client, world, oidc_provider, settings, trust, amr):
    settings.DISCRETION_OIDC_TRUST_IDP_MFA = trust
    worker = _staff(world)
    response = council_sign_in(client, oidc_provider, directory_user(worker, amr=amr), next_url="/")
    assert response["Location"] == "/sign-in/two-factor/?next=%2F"
    assert client.get("/")["Location"].startswith("/sign-in/two-factor/")
    assert not _events("auth.idp_mfa_accepted")


def test_a_council_sign_in_ends_the_older_session(client, world, oidc_provider, settings, audit_actions):
    settings.DISCRETION_OIDC_TRUST_IDP_MFA = True
    worker = _staff(world)
    fully_signed_in(client, worker)
    assert client.get("/").status_code == 200

    elsewhere = type(client)()
    council_sign_in(elsewhere, oidc_provider, directory_user(worker, amr=["mfa"]))
    assert elsewhere.get("/").status_code == 200
    ended = client.get("/")
    assert ended.status_code == 302
    assert ended["Location"].startswith("/sign-in/?signed_out=elsewhere")
    assert "auth.session_superseded" in audit_actions(actor_id=worker.pk)


def test_a_council_sign_in_still_owing_its_code_ends_nothing_until_the_code(
    client, world, oidc_provider, settings, audit_actions
):
    from tests.security.conftest import add_device, code_for

    settings.DISCRETION_OIDC_TRUST_IDP_MFA = False
    worker = _staff(world)
    device = add_device(worker)
    password_sign_in(client, worker)
    assert client.post("/sign-in/two-factor/", {"code": code_for(device)}).status_code == 302
    assert client.get("/").status_code == 200

    elsewhere = type(client)()
    council_sign_in(elsewhere, oidc_provider, directory_user(worker, amr=["mfa"]))
    assert client.get("/").status_code == 200
    assert "auth.session_superseded" not in audit_actions(actor_id=worker.pk)
    assert (
        elsewhere.post("/sign-in/two-factor/", {"code": code_for(device, steps_ahead=1)}).status_code == 302
    )
    assert client.get("/")["Location"].startswith("/sign-in/?signed_out=elsewhere")
    [(_event, details)] = _events("auth.sign_in", actor_id=worker.pk, details__contains='"method":"oidc"')
    assert details["second_factor"] == "authenticator"


def test_an_idle_council_session_ends(client, world, oidc_provider, settings):
    from discretion.staff import security

    settings.DISCRETION_OIDC_TRUST_IDP_MFA = True
    worker = _staff(world)
    council_sign_in(client, oidc_provider, directory_user(worker, amr=["mfa"]))
    assert client.get("/").status_code == 200
    session = client.session
    session[security.LAST_SEEN_KEY] = security.now_seconds() - 31 * 60
    session.save()
    assert client.get("/")["Location"].startswith("/sign-in/?signed_out=idle")


@pytest.mark.parametrize("fault", ["audience", "issuer", "signature", "expired"])
def test_a_token_that_fails_its_checks_is_refused(client, world, oidc_provider, fault):
    worker = _staff(world)
    if fault == "audience":
        oidc_provider.audience = "some-other-service"
    elif fault == "issuer":
        oidc_provider.issuer_override = "http://127.0.0.1:1/not-the-council"
    elif fault == "signature":
        oidc_provider.sign_with_other_key = True
    else:
        oidc_provider.expired = True
    refused = council_sign_in(client, oidc_provider, directory_user(worker))
    assert refused.status_code == 400
    assert "We could not sign you in with your council account" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert _events("auth.sso_refused")[0][1]["reason"] == "provider_error"
    assert not _events("auth.sso_linked")


def test_a_callback_with_a_forged_state_is_refused(client, world, oidc_provider):
    client.get("/sign-in/council/")
    response = client.get("/sign-in/council/callback/?code=anything&state=forged")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_directory_reporting_an_error_is_refused(client, world, oidc_provider):
    client.get("/sign-in/council/")
    response = client.get("/sign-in/council/callback/?error=access_denied")
    assert response.status_code == 400
    assert _events("auth.sso_refused")[0][1]["error"] == "access_denied"


def test_password_sign_in_still_works_beside_it(client, world, oidc_provider):
    worker = _staff(world)
    response = password_sign_in(client, worker)
    assert response.status_code == 302
    [(_event, details)] = _events("auth.first_factor_passed", actor_id=worker.pk)
    assert details["method"] == "password"


def test_unlinking_lets_the_next_sign_in_link_again(client, world, oidc_provider):
    from discretion.staff import oidc

    worker = _staff(world)
    igo = world.staff("information_governance")
    council_sign_in(client, oidc_provider, directory_user(worker, sub="first"))
    client.post("/sign-out/")
    oidc.unlink(igo, worker.pk, reason="Linked to the wrong directory user")
    assert oidc.current_link(worker.pk) is None
    council_sign_in(client, oidc_provider, directory_user(worker, sub="second"))
    assert oidc.current_link(worker.pk) == (oidc_provider.issuer, "second")
    assert oidc.staff_for_subject(oidc_provider.issuer, "first") is None


def test_refused_council_sign_ins_do_not_lock_others_at_the_same_address(client, world, oidc_provider):
    worker = _staff(world)
    for n in range(6):
        stranger = directory_user(sub=f"stranger-{n}", email=f"stranger{n}@council.example")
        council_sign_in(type(client)(), oidc_provider, stranger)
    response = council_sign_in(client, oidc_provider, directory_user(worker))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(worker.pk)
