"""Shared set-up for the information-rights tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def igo_client(client, world):
    igo = world.staff("information_governance")
    client.force_login(igo)
    client.igo = igo
    return client


def sign_off(world, igo, sar_id):
    """The reviewer asks for sign-off and a second information governance officer gives it."""
    from discretion.information_rights import review

    review.ask_for_sign_off(igo, sar_id)
    return review.sign_off(world.staff("information_governance"), sar_id)
