"""Each service checks its rules before it writes: a refused action changes nothing and audits nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from discretion.information_rights import services
from discretion.information_rights.models import ExemptionClaim, InfoRequest, SarCase, SarStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def igo(world):
    return world.staff("information_governance")


def _request(igo, received_on: dt.date | None = None) -> InfoRequest:
    return services.log_request(
        igo,
        requester_name="A",
        requester_contact="a@example.org",
        channel="email",
        wording="All of it",
        received_on=received_on,
        received_on_reason="post" if received_on else "",
    )


def test_clarification_dates_must_follow_each_other_foia_s1_3(igo, audit_actions) -> None:
    req = _request(igo, dt.date(2026, 3, 2))
    with pytest.raises(services.InvalidInput, match="on or after the date received"):
        services.record_clarification(
            igo, req.pk, requested_on=dt.date(2026, 3, 1), received_on=dt.date(2026, 3, 4)
        )
    with pytest.raises(services.InvalidInput, match="on or after the date it was asked for"):
        services.record_clarification(
            igo, req.pk, requested_on=dt.date(2026, 3, 4), received_on=dt.date(2026, 3, 3)
        )
    req.refresh_from_db()
    assert req.clarification_requested_on is None and "ir.request.clarification" not in audit_actions()
    services.record_clarification(
        igo, req.pk, requested_on=dt.date(2026, 3, 3), received_on=dt.date(2026, 3, 5)
    )
    req.refresh_from_db()
    assert req.clarification_received_on == dt.date(2026, 3, 5)
    assert audit_actions().count("ir.request.clarification") == 1


def test_no_estimate_on_a_closed_request(igo) -> None:
    req = _request(igo)
    services.record_outcome(igo, req.pk, outcome="not_held")
    with pytest.raises(services.InvalidInput, match="closed"):
        services.set_estimate(igo, req.pk, Decimal("30"))
    req.refresh_from_db()
    assert req.estimated_hours is None


def test_transfer_with_an_unknown_requester_kind_writes_nothing(igo, audit_actions) -> None:
    req = _request(igo)
    with pytest.raises(services.InvalidInput, match="Select who is asking"):
        services.transfer_to_sar(igo, req.pk, requester_kind="neighbour")
    assert not ExemptionClaim.objects.exists() and not SarCase.objects.exists()
    assert "ir.request.transferred" not in audit_actions()


def test_unknown_subject_reference_is_bad_input_not_a_missing_page(igo) -> None:
    with pytest.raises(services.InvalidInput, match="Enter the reference of a person on our records"):
        services.open_sar(
            igo,
            requester_name="Jo",
            requester_contact="jo@example.org",
            requester_kind="self",
            subject_ref="P-NONE",
        )
    assert not SarCase.objects.exists()


def test_a_released_case_keeps_its_clock_art_12(igo, audit_actions) -> None:
    sar = services.open_sar(
        igo, requester_name="Jo", requester_contact="jo@example.org", requester_kind="self"
    )
    SarCase.objects.filter(pk=sar.pk).update(status=SarStatus.RELEASED, closed_on=dt.date(2026, 2, 1))
    with pytest.raises(services.InvalidInput, match="closed"):
        services.extend_sar(igo, sar.pk, reason="Many volumes")
    with pytest.raises(services.InvalidInput, match="closed"):
        services.sar_clarification(
            igo, sar.pk, requested_on=dt.date(2026, 2, 2), received_on=dt.date(2026, 2, 3)
        )
    assert "ir.sar.extended" not in audit_actions() and "ir.sar.clarification" not in audit_actions()
