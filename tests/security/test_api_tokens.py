"""Personal API tokens are kept as digests keyed by DISCRETION_LINK_KEY, like the sessions Django
signs with SECRET_KEY: someone who can read or write the database, but holds no key, can neither
test a guessed token nor plant one."""

from __future__ import annotations

import hashlib

import pytest

from discretion.audit.models import AuditEvent
from discretion.staff import tokens
from discretion.staff.models import ApiToken

pytestmark = pytest.mark.django_db


def _get(client, token: str) -> int:
    return client.get("/api/records/people?q=Walsh", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_a_token_is_shown_once_stored_only_keyed_and_audited_without_it(client, world, settings):
    worker = world.staff()
    token = tokens.issue_api_token(worker, name="mail server")
    row = ApiToken.objects.get()
    assert len(token) >= 43 and token not in row.token_digest
    assert row.token_digest != hashlib.sha256(token.encode()).hexdigest()
    assert _get(client, token) == 200
    [event] = AuditEvent.objects.filter(action="auth.api_token_issued")
    assert (
        event.object_id == str(worker.pk)
        and token not in event.details
        and row.token_digest not in event.details
    )
    # Under another key the stored digest matches nothing.
    settings.DISCRETION_LINK_KEY = "not-the-councils-key"
    assert _get(client, token) == 401


def test_a_row_planted_with_an_unkeyed_digest_opens_nothing(client, world):
    worker = world.staff()
    planted = "planted-token-0123456789"
    ApiToken.objects.create(
        staff=worker, name="planted", token_digest=hashlib.sha256(planted.encode()).hexdigest()
    )
    assert _get(client, planted) == 401


def test_revoked_and_expired_tokens_open_nothing(client, world):
    import datetime as dt

    from django.utils import timezone

    worker = world.staff()
    revoked = tokens.issue_api_token(worker, name="old")
    ApiToken.objects.update(revoked=True)
    expired = tokens.issue_api_token(
        worker, name="short", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _get(client, revoked) == 401 and _get(client, expired) == 401
