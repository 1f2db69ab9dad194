"""Shared set-up for the information-rights tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def igo_client(client, world):
    igo = world.staff("information_governance")
    client.force_login(igo)
    client.igo = igo
    return client
