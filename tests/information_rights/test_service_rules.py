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


# --- clocks that stop, and extensions that must be given in time -------------------------

from django.utils import timezone  # noqa: E402

from discretion import deadlines  # noqa: E402


def _today() -> dt.date:
    return timezone.localdate()


def test_a_clarification_or_fee_awaited_stops_the_foi_clock_until_it_arrives(world, igo) -> None:
    """FOIA s1(3), s9(2): no duty to answer until the clarification or the fee arrives."""
    today = _today()
    received = today - dt.timedelta(days=30)  # more than 20 working days ago: due date has passed
    req = _request(igo, received)
    first_due = req.due_on
    req = services.record_clarification(igo, req.pk, requested_on=received + dt.timedelta(days=1))
    assert req.on_hold == "clarification" and req.due_on == first_due
    (row,) = [c for c in services.open_cases(today) if c.pk == req.pk and c.kind == "request"]
    assert row.rag == "on_hold" and row.waiting_for == "clarification"
    board = services.dashboard(igo, today)
    assert req.pk not in [c.pk for c in board.overdue if c.kind == "request"]
    req = services.record_clarification(
        igo, req.pk, requested_on=received + dt.timedelta(days=1), received_on=today
    )
    assert (
        not req.on_hold
        and req.due_on
        == deadlines.foi_due(
            received,
            clarification_requested_on=received + dt.timedelta(days=1),
            clarification_received_on=today,
        ).due_on
    )
    assert req.due_on > today
    other = _request(igo, today - dt.timedelta(days=2))
    other = services.record_fee(igo, other.pk, notice_on=today - dt.timedelta(days=1))
    assert other.on_hold == "fee"
    other = services.record_fee(igo, other.pk, notice_on=today - dt.timedelta(days=1), received_on=today)
    assert not other.on_hold and other.due_on > today


def test_an_eir_reconsideration_has_40_working_days_and_no_extension(igo) -> None:
    """EIR reg 11(4): the decision on representations within 40 working days of receiving them."""
    req = services.log_request(
        igo,
        requester_name="A",
        requester_contact="a@example.org",
        channel="email",
        wording="Air quality",
        regime="eir",
    )
    services.record_outcome(igo, req.pk, outcome="not_held")
    InfoRequest.objects.filter(pk=req.pk).update(closed_on=dt.date(2026, 2, 27))  # answered earlier
    asked = dt.date(2026, 3, 2)
    review = services.request_review(igo, req.pk, received_on=asked)
    assert (
        review.due_on
        == deadlines.add_working_days(asked, 40, deadlines.foi_calendar())
        == dt.date(2026, 4, 30)
    )
    with pytest.raises(services.InvalidInput, match="reg 11"):
        services.request_review(igo, req.pk, received_on=asked, extended=True)
    foi = _request(igo)
    services.record_outcome(igo, foi.pk, outcome="not_held")
    InfoRequest.objects.filter(pk=foi.pk).update(closed_on=dt.date(2026, 2, 27))
    with pytest.raises(services.InvalidInput, match="on or after the date the request was answered"):
        services.request_review(igo, foi.pk, received_on=dt.date(2026, 2, 26))
    assert services.request_review(igo, foi.pk, received_on=asked).due_on == dt.date(2026, 3, 31)


def test_an_extension_must_be_given_within_the_original_20_working_days(igo) -> None:
    """FOIA s17(2)/s10(3) and EIR reg 7(3): the requester is told within the original time."""
    late = _request(igo, _today() - dt.timedelta(days=45))
    services.add_exemption(
        igo, late.pk, code="FOIA:s43", why_applies="Prices", prejudice="Retender", public_interest="Balanced"
    )
    limit = deadlines.foi_extension_limit(late.received_on)
    with pytest.raises(services.InvalidInput, match="within the original 20 working days"):
        services.extend(igo, late.pk, new_due_on=limit, reason="Public-interest test")
    late.refresh_from_db()
    assert late.extended_to is None
    eir = services.log_request(
        igo,
        requester_name="A",
        requester_contact="a@example.org",
        channel="email",
        wording="Air quality",
        regime="eir",
        received_on=_today() - dt.timedelta(days=45),
        received_on_reason="post",
    )
    with pytest.raises(services.InvalidInput, match="within the original 20 working days"):
        services.extend(igo, eir.pk, reason="Complex and voluminous")


def test_the_sar_extension_window_leaves_out_the_days_paused_for_a_clarification(world, igo) -> None:
    """DPA 2018 s54(3C): paused days count neither towards the month nor the window to extend."""
    child = world.person("Kayden", "Walsh")
    received = _today() - dt.timedelta(days=40)  # the plain month has passed
    sar = services.open_sar(
        igo,
        requester_name="K",
        requester_contact="k@example.org",
        requester_kind="self",
        received_on=received,
    )
    services.verify_identity(igo, sar.pk, evidence="Passport", received_on=received, subject_ref=child.ref)
    asked = received + dt.timedelta(days=2)
    sar = services.sar_clarification(igo, sar.pk, requested_on=asked)
    assert sar.on_hold == "clarification"
    sar = services.sar_clarification(
        igo, sar.pk, requested_on=asked, received_on=_today() - dt.timedelta(days=1)
    )
    assert not sar.on_hold and sar.due_on >= _today()
    sar = services.extend_sar(igo, sar.pk, reason="Many records over ten years")
    assert sar.extended and sar.due_on > _today() + dt.timedelta(days=40)
    with pytest.raises(services.InvalidInput, match="already been extended"):
        services.extend_sar(igo, sar.pk, reason="Again")
