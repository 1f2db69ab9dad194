"""Fixtures for council single sign-on: a real local provider and the settings that point at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

import requests
from tests.security.oidc.provider import DirectoryUser, Provider


@pytest.fixture(scope="session")
def _provider() -> Iterator[Provider]:
    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def oidc_provider(_provider: Provider, settings: Any) -> Iterator[Provider]:
    """The provider, reset, with Discretion configured for it as docs/oidc.md describes."""
    _provider.reset()
    for name, value in _provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "discretion.staff.oidc.CouncilOIDCBackend",
        "discretion.staff.oidc.IdPVerifiedBackend",
    ]
    yield _provider
    _provider.reset()


def directory_user(staff: Any = None, *, sub: str = "", email: str = "", **claims: Any) -> DirectoryUser:
    return DirectoryUser(sub=sub or f"dir-{getattr(staff, 'pk', 'x')}", email=email or staff.email, **claims)


def council_sign_in(client: Any, provider: Provider, user: DirectoryUser, *, next_url: str = "") -> Any:
    """Follow the real redirects by hand: app -> provider /authorize -> app callback."""
    provider.user = user
    start = client.get("/sign-in/council/" + (("?" + urlencode({"next": next_url})) if next_url else ""))
    assert start.status_code == 302, start
    assert start["Location"].startswith(provider.issuer + "/authorize?")
    at_directory = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_directory.status_code == 302, at_directory.text
    back = urlsplit(at_directory.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == ("http", "testserver", "/sign-in/council/callback/")
    return client.get(back.path + "?" + back.query)
