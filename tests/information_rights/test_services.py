"""Services: FOI clocks with calendar overrides, exemptions, SAR compile/redact/bundle, reminders."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from discretion import deadlines
from discretion.information_rights import services
from discretion.information_rights.models import (
    CalendarDay,
    Decision,
    Outcome,
    Redaction,
    RedactionDecision,
    Reminder,
    SarStatus,
)
from tests.information_rights.conftest import entitle, sign_off


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def igo(world):
    return world.staff("information_governance")


def test_calendar_override_moves_foi_due_date(world, igo):
    # 1 Dec 2026 (Tue) received: 20 working days. Adding a one-off day in Scotland pushes it by one.
    plain = services.log_request(
        igo,
        requester_name="A",
        requester_contact="a@example.org",
        channel="email",
        wording="Budget",
        received_on=dt.date(2026, 11, 24),
        received_on_reason="post",
    )
    CalendarDay.objects.create(date=dt.date(2026, 12, 1), name="Proclaimed day", scope="scotland")
    overrides = services.load_overrides()
    assert dt.date(2026, 12, 1) in overrides.added
    assert dt.date(2026, 12, 1) not in services.load_overrides("england_wales").added
    later = services.log_request(
        igo,
        requester_name="B",
        requester_contact="b@example.org",
        channel="email",
        wording="Budget",
        received_on=dt.date(2026, 11, 24),
        received_on_reason="post",
    )
    assert later.due_on > plain.due_on


def test_received_date_other_than_today_needs_reason(world, igo):
    with pytest.raises(services.InvalidInput, match="why the date received"):
        services.log_request(
            igo,
            requester_name="A",
            requester_contact="a",
            channel="email",
            wording="x",
            received_on=dt.date(2026, 1, 5),
        )


def test_s12_needs_estimate_over_18_hours(world, igo):
    req = services.log_request(igo, requester_name="A", requester_contact="a", channel="email", wording="All")
    services.add_search(igo, req.pk, place="Finance share", hours=Decimal("10"))
    with pytest.raises(services.InvalidInput, match="18 hours"):
        services.add_exemption(igo, req.pk, code="FOIA:s12", why_applies="Too costly")
    services.set_estimate(igo, req.pk, Decimal("30"))
    services.add_exemption(igo, req.pk, code="FOIA:s12", why_applies="30 hours estimated")
    with pytest.raises(services.InvalidInput, match="public-interest"):
        services.add_exemption(igo, req.pk, code="FOIA:s42", why_applies="Advice")
    services.record_outcome(igo, req.pk, outcome=Outcome.REFUSED)
    req.refresh_from_db()
    assert "FOIA s12" in req.refusal_notice and "Information Commissioner" in req.refusal_notice
    # s12 is not an exemption (s17(5)), and the requester is helped to narrow the request (s16).
    assert "not an exemption" in req.refusal_notice and "absolute exemption" not in req.refusal_notice
    assert "Advice and assistance (section 16)" in req.refusal_notice


def test_practitioner_cannot_log_request(world):
    worker = world.staff()
    with pytest.raises(services.NotPermitted):
        services.log_request(worker, requester_name="A", requester_contact="a", channel="email", wording="x")


def _sar_world(world):
    team = world.team()
    worker = world.staff(team=team)
    child = world.person("Kayden", "Walsh")
    mum = world.person("Roxanne", "Pellow", dob=dt.date(1990, 2, 2), child=False)
    case = world.case(child, team, members=(mum,), workers=(worker,))
    e1 = world.entry(case, "Visited Kayden at home. Roxanne Pellow said she was tired.", author=worker)
    e2 = world.entry(case, "Anonymous neighbour reported shouting at 23:00.", confidential_source=True)
    e3 = world.entry(case, "Kayden enjoys football.")
    return child, mum, case, (e1, e2, e3)


def test_sar_from_intake_to_released_bundle(world, igo, audit_actions):
    child, _mum, _case, (e1, e2, e3) = _sar_world(world)
    sar = services.open_sar(
        igo,
        requester_name="Kayden Walsh",
        requester_contact="k@example.org",
        requester_kind="self",
        received_on=dt.date(2026, 11, 2),
    )
    assert sar.status == SarStatus.AWAITING_ID
    sar = services.verify_identity(
        igo, sar.pk, evidence="Passport", received_on=dt.date(2026, 11, 3), subject_ref=child.ref
    )
    assert sar.due_on == dt.date(2026, 12, 3)
    compiled = services.compile_records(igo, sar.pk)
    assert set(compiled.entry_ids) == {e1.pk, e2.pk, e3.pk}
    reds = list(Redaction.objects.filter(sar=sar))
    assert {r.reason for r in reds} >= {"third_party", "confidential_source"}
    assert any("Roxanne" in r.text or "Pellow" in r.text for r in reds)
    assert not any(r.entry_id == e3.pk for r in reds)
    services.add_redaction(igo, sar.pk, entry_id=e3.pk, passage="football", reason="serious_harm")
    first = reds[0]
    services.decide_redaction(igo, first.pk, decision=Decision.REJECTED, note="check")
    services.decide_redaction(igo, first.pk, decision=Decision.ACCEPTED, note="on reflection")
    assert RedactionDecision.objects.filter(redaction=first).count() == 2
    content = services.build_bundle(igo, sar.pk)
    text = pdf_text(content)
    for secret in ("Roxanne", "Pellow", "neighbour", "shouting", "football"):
        assert secret not in text
    assert "[redacted: third party]" in text and "Kayden" in text
    assert "Contents" in text and "Page 3" in text and "Information Commissioner" in text
    sign_off(world, igo, sar.pk)
    sar, token, code = services.release_bundle(igo, sar.pk)
    assert sar.status == SarStatus.RELEASED and token and code
    from discretion.disclosures.models import Disclosure

    assert Disclosure.objects.get(pk=sar.disclosure_id).channel == "secure_link"
    actions = audit_actions()
    assert "case.read" in actions and "ir.sar.compiled" in actions and "disclosure.released" in actions


def test_reminders_go_to_handler_and_manager(world, igo):
    team = world.team()
    manager = world.manager_of(team)
    handler = world.staff(team=team)
    req = services.log_request(
        igo,
        requester_name="A",
        requester_contact="a",
        channel="email",
        wording="x",
        received_on=dt.date(2026, 9, 1),
        received_on_reason="late logging",
    )
    services.assign(igo, req.pk, service_area="Finance", handler_id=handler.pk)
    from discretion.information_rights.tasks import send_deadline_reminders

    assert send_deadline_reminders.call() == 2
    assert send_deadline_reminders.call() == 0  # once a day
    assert set(Reminder.objects.values_list("recipient_id", flat=True)) == {handler.pk, manager.pk}
    assert Reminder.objects.first().status == "overdue"


def test_cli_provider_reads_admin_days(world):
    import argparse

    from discretion.deadlines import cli
    from discretion.information_rights.calendar import cli_overrides

    CalendarDay.objects.create(
        date=dt.date(2027, 3, 1), name="St David's Day (one-off)", scope="england_wales"
    )
    CalendarDay.objects.create(date=dt.date(2027, 5, 3), name="Early May", change="removed", scope="all")
    overrides = cli_overrides()
    assert dt.date(2027, 3, 1) in overrides.added and dt.date(2027, 5, 3) in overrides.removed
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(), overrides_provider=cli_overrides)
    with_day = cli.compute(parser.parse_args(["deadline", "foi", "--received", "2027-02-26"]))
    assert any(s.day == dt.date(2027, 3, 1) for s in with_day.skipped)


def test_public_interest_extension_limited_to_40th_working_day(world, igo):
    from django.utils import timezone

    received = timezone.localdate() - dt.timedelta(days=2)  # within the original 20 working days
    req = services.log_request(
        igo,
        requester_name="A",
        requester_contact="a",
        channel="email",
        wording="x",
        received_on=received,
        received_on_reason="weekend post",
    )
    limit = deadlines.foi_extension_limit(received)
    with pytest.raises(services.InvalidInput, match="qualified exemption"):
        services.extend(igo, req.pk, new_due_on=limit, reason="PIT")
    services.add_exemption(
        igo, req.pk, code="FOIA:s43", why_applies="Prices", prejudice="Retender", public_interest="Balanced"
    )
    with pytest.raises(services.InvalidInput):
        services.extend(igo, req.pk, new_due_on=limit + dt.timedelta(days=7), reason="Public-interest test")
    req = services.extend(igo, req.pk, new_due_on=limit, reason="Public-interest test")
    assert req.due_on == limit and req.extended_to == limit


@pytest.mark.parametrize("redact_staff", [False, True])
def test_staff_in_professional_role_not_redacted_by_default(world, igo, settings, redact_staff):
    settings.SAR_REDACT_STAFF_NAMES = redact_staff
    team = world.team()
    worker = world.staff(team=team)
    worker.first_name, worker.last_name = "Priya", "Raghunathan"
    worker.save()
    child = world.person("Kayden", "Walsh")
    case = world.case(child, team, workers=(worker,))
    world.entry(case, "Priya Raghunathan visited Kayden.", author=worker)
    sar = services.open_sar(
        igo, requester_name="K", requester_contact="k", requester_kind="self", subject_ref=child.ref
    )
    services.verify_identity(igo, sar.pk, evidence="Passport")
    services.compile_records(igo, sar.pk)
    texts = list(Redaction.objects.filter(sar=sar).values_list("text", flat=True))
    assert any("Raghunathan" in t for t in texts) is redact_staff
    assert not any("Kayden" in t for t in texts)


def test_the_childs_expectations_exemption_is_for_a_parents_request_only(world, igo):
    """DPA 2018 Sch 3 para 10: what a child told us expecting it would not reach the parent is
    withheld from a parent's request; it is not a ground against the child's own request."""
    child, _mum, _case, (_e1, _e2, e3) = _sar_world(world)

    def ready(kind: str, **extra: object) -> int:
        sar = services.open_sar(
            igo,
            requester_name="Roxanne Pellow" if kind == "parent" else "Kayden Walsh",
            requester_contact="r@example.org",
            requester_kind=kind,
            received_on=dt.date(2026, 11, 2),
            **extra,
        )
        services.verify_identity(
            igo, sar.pk, evidence="Passport", received_on=dt.date(2026, 11, 3), subject_ref=child.ref
        )
        if kind == "parent":
            entitle(world, igo, sar.pk)  # parental responsibility shown and checked (ICO)
        services.compile_records(igo, sar.pk)
        return sar.pk

    own = ready("self")
    with pytest.raises(services.InvalidInput, match="only when a parent asks"):
        services.add_redaction(igo, own, entry_id=e3.pk, passage="football", reason="subject_expectation")
    parents = ready("parent", child_understands=False)
    (made,) = services.add_redaction(
        igo, parents, entry_id=e3.pk, passage="football", reason="subject_expectation"
    )
    assert made.get_reason_display().endswith("(DPA 2018 Sch 3 para 10)")
    assert "football" not in pdf_text(services.build_bundle(igo, parents))


def _verified_sar(igo, child, **intake):
    sar = services.open_sar(
        igo,
        requester_name="Roxanne Pellow",
        requester_contact="r@example.org",
        requester_kind=intake.pop("requester_kind", "self"),
        received_on=dt.date(2026, 11, 2),
        **intake,
    )
    services.verify_identity(
        igo, sar.pk, evidence="Passport", received_on=dt.date(2026, 11, 3), subject_ref=child.ref
    )
    return sar


def test_no_bundle_without_a_compile_and_none_with_records_written_since(world, igo):
    """Redactions are proposed and reviewed at the compile: a bundle skipping it, or holding records
    written after it, would go out unreviewed (DPA 2018 Sch 2 para 16; policy 3)."""
    child, _mum, case, _entries = _sar_world(world)
    sar = _verified_sar(igo, child)
    with pytest.raises(services.InvalidInput, match="compile the records first"):
        services.release_bundle(igo, sar.pk)
    services.compile_records(igo, sar.pk)
    world.entry(case, "Caller asked not to be named reported shouting.", confidential_source=True)
    with pytest.raises(services.InvalidInput, match="changed since they were compiled"):
        services.build_bundle(igo, sar.pk)
    services.compile_records(igo, sar.pk)
    assert "shouting" not in pdf_text(services.build_bundle(igo, sar.pk))


def test_an_entry_recorded_as_about_others_is_proposed_whole_even_when_a_name_is_found(world, igo):
    child, _mum, case, _entries = _sar_world(world)
    entry = world.entry(
        case, "Mandy Owens stays at the house and shouts at Roxanne Pellow.", third_party=True
    )
    sar = _verified_sar(igo, child)
    services.compile_records(igo, sar.pk)
    (proposal,) = Redaction.objects.filter(sar=sar, entry_id=entry.pk)
    assert (proposal.start, proposal.end) == (0, len(entry.text))


def test_a_child_who_understands_and_refuses_is_not_answered_through_the_parent(world, igo):
    child, *_ = _sar_world(world)
    sar = _verified_sar(igo, child, requester_kind="parent", child_understands=True, child_consents=False)
    entitle(world, igo, sar.pk)
    with pytest.raises(services.InvalidInput, match="respond to the child"):
        services.compile_records(igo, sar.pk)
    with pytest.raises(services.InvalidInput):
        services.release_bundle(igo, sar.pk)


def test_dates_in_the_future_and_overlong_text_are_refused(world, igo):
    from django.utils import timezone

    child, *_ = _sar_world(world)
    sar = services.open_sar(
        igo,
        requester_name="K",
        requester_contact="k@example.org",
        requester_kind="self",
        received_on=dt.date(2026, 11, 2),
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(services.InvalidInput, match="today or in the past"):
        services.verify_identity(
            igo, sar.pk, evidence="Passport", received_on=tomorrow, subject_ref=child.ref
        )
    with pytest.raises(services.InvalidInput, match="today or in the past"):
        services.sar_clarification(igo, sar.pk, requested_on=tomorrow)
    req = services.log_request(igo, requester_name="A", requester_contact="a", channel="email", wording="x")
    with pytest.raises(services.InvalidInput, match="2000 characters or fewer"):
        services.add_search(igo, req.pk, place="Finance share", hours=Decimal("1"), found="x" * 2001)
    with pytest.raises(services.InvalidInput, match="5000 characters or fewer"):
        services.add_exemption(
            igo, req.pk, code="FOIA:s43", why_applies="P", prejudice="x" * 5001, public_interest="B"
        )


def test_a_parent_is_not_a_third_party_to_themselves(world, igo):
    """ICO right of access: what is about the requester is theirs; only others are withheld."""
    child, _mum, _case, (e1, _e2, _e3) = _sar_world(world)
    sar = _verified_sar(igo, child, requester_kind="parent", child_understands=False)  # Roxanne Pellow
    entitle(world, igo, sar.pk)
    services.compile_records(igo, sar.pk)
    assert not Redaction.objects.filter(sar=sar, entry_id=e1.pk).exists()
    own = _verified_sar(igo, child)  # the child's own request: Roxanne is a third party to them
    own.requester_name = "Kayden Walsh"
    own.save(update_fields=["requester_name"])
    services.compile_records(igo, own.pk)
    assert Redaction.objects.filter(sar=own, entry_id=e1.pk).exists()
