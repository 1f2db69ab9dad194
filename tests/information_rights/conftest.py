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


def entitle(world, igo, sar_id, **child):
    """A request made for someone else, made answerable: the evidence that the requester may act for
    the person, checked by a second officer; for a parent's request, the child's understanding and
    view (`child`: keyword arguments of `representation.record_child`) when given."""
    from discretion.information_rights import representation
    from discretion.information_rights.models import SarCase

    sar = SarCase.objects.get(pk=sar_id)
    code = "parental_responsibility" if sar.requester_kind == "parent" else "written_authority"
    evidence = representation.add_evidence(igo, sar_id, code=code, description="Birth certificate, 2015")
    representation.check_evidence(
        world.staff("information_governance"), sar_id, evidence.pk, accept=True, note="Names the requester."
    )
    if child:
        representation.record_child(igo, sar_id, **child)
    return evidence
