"""Pages through Django's test client: FOI answered, refused (s40(2)/s41), transferred to SAR; a SAR
from intake to bundle; the dashboard; the public disclosure log."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from discretion.information_rights.models import InfoRequest, Redaction, SarCase
from tests.information_rights.conftest import entitle, sign_off


def _log(client, **extra):
    data = {
        "regime": "foi",
        "requester_name": "Alex Reporter",
        "requester_contact": "alex@example.org",
        "channel": "email",
        "wording": "How many children were in care on 31 March 2026?",
        **extra,
    }
    response = client.post(reverse("information_rights:request-new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return InfoRequest.objects.latest("id")


def _date(name, iso):
    """The GOV.UK date input's three boxes for `name`, from an ISO date."""
    year, month, day = iso.split("-")
    return {f"{name}_day": str(int(day)), f"{name}_month": str(int(month)), f"{name}_year": year}


def _act(client, req, action, expected=302, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    response = client.post(reverse("information_rights:request-action", args=[req.pk, action]), data)
    assert response.status_code == expected, response.content.decode()[:3000]
    return response


def test_foi_answered_and_published(igo_client, world, audit_actions):
    req = _log(igo_client)
    assert req.received_on == timezone.localdate()
    _act(igo_client, req, "acknowledge")
    page = igo_client.get(reverse("information_rights:request", args=[req.pk])).content.decode()
    assert "We will reply by" in page
    # The due date explained as `discretion deadline --json` explains it.
    assert "How this date was worked out" in page and "20th working day" in page
    letter = igo_client.get(reverse("information_rights:request-letter", args=[req.pk, "acknowledgement"]))
    assert letter.status_code == 200 and req.ref.encode() in letter.content
    _act(igo_client, req, "assign", service_area="Children's Social Care")
    _act(igo_client, req, "search", place="Performance team returns", hours="1.5", found="SSDA903 return")
    _act(
        igo_client,
        req,
        "outcome",
        outcome="provided",
        response_text="There were 412 children in care.",
        publish="on",
    )
    req.refresh_from_db()
    assert req.outcome == "provided" and req.answered_in_time
    # Four eyes: the officer who recorded the answer cannot sign it off; another does, then it is sent.
    page = igo_client.get(reverse("information_rights:request", args=[req.pk])).content.decode()
    assert "Waiting for sign-off" in page and "Sign off the answer" not in page
    for gone in (
        "outcome",
        "acknowledge",
        "exemption",
        "extend",
    ):  # a closed case: only what still makes sense
        assert reverse("information_rights:request-action", args=[req.pk, gone]) not in page
    signer = world.staff("information_governance")
    igo_client.force_login(signer)
    _act(igo_client, req, "sign-off")
    page = igo_client.get(reverse("information_rights:request", args=[req.pk])).content.decode()
    assert "Send the letter by e-mail" in page and "Internal review asked for" in page
    _act(igo_client, req, "send-letter")
    from discretion.disclosures.models import OutboxMessage

    sent = OutboxMessage.objects.get(channel="email")
    assert sent.recipient_address == req.requester_contact and req.ref in sent.subject
    assert "412 children" in sent.body and signer.display_name in sent.body
    assert (
        settings.COUNCIL_IG_CONTACT["email"] in sent.body
        and settings.COUNCIL_IG_CONTACT["phone"] in sent.body
    )
    page = igo_client.get(reverse("information_rights:request", args=[req.pk])).content.decode()
    assert "Sent by e-mail" in page and "Send the letter by e-mail" not in page
    igo_client.logout()
    public = igo_client.get(reverse("information_rights:disclosure-log"))
    assert public.status_code == 200
    assert "412 children" in public.content.decode() and "Alex Reporter" not in public.content.decode()
    assert "ir.request.closed" in audit_actions()


def test_bad_input_shows_error_summary(igo_client):
    response = igo_client.post(
        reverse("information_rights:request-new"),
        {
            "regime": "foi",
            "channel": "email",
            "requester_name": "",
            "requester_contact": "x",
            "wording": "x",
            **_date("received_on", "2026-01-05"),
        },
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode() and "Error:" in response.content.decode()
    req = _log(igo_client)
    response = _act(igo_client, req, "outcome", expected=400, outcome="refused")
    assert "Record at least one exemption" in response.content.decode()
    assert 'href="#action-outcome"' in response.content.decode()  # the summary links to the form at fault
    response = _act(igo_client, req, "search", expected=400, place="", hours="1")
    assert 'href="#id_search-place"' in response.content.decode()  # ... or to the field at fault


def test_foi_refused_under_s40_2_and_s41(igo_client):
    req = _log(igo_client, wording="Who reported the family at 12 Acacia Road to children's services?")
    _act(
        igo_client,
        req,
        "exemption",
        code="FOIA:s40(2)",
        why_applies="The referrer's identity is a third party's personal data.",
    )
    _act(
        igo_client,
        req,
        "exemption",
        code="FOIA:s41",
        why_applies="The referral was given in confidence on the basis of anonymity.",
    )
    _act(igo_client, req, "outcome", outcome="refused")
    req.refresh_from_db()
    notice = req.refusal_notice
    assert "section 17" in notice
    assert "FOIA s40(2) – Personal data of third parties" in notice
    assert "FOIA s41 – Information provided in confidence" in notice
    assert "given in confidence on the basis of anonymity" in notice
    assert "absolute exemption" in notice
    assert "internal review" in notice and "Information Commissioner" in notice
    page = igo_client.get(reverse("information_rights:request", args=[req.pk])).content.decode()
    assert 'id="closing-letter"' in page and "section 17" in page


def test_qualified_exemption_needs_public_interest(igo_client):
    req = _log(igo_client)
    response = _act(
        igo_client,
        req,
        "exemption",
        expected=400,
        code="FOIA:s43",
        why_applies="Contract prices",
        prejudice="Supplier's position in retender",
    )
    assert "public-interest test" in response.content.decode()
    _act(
        igo_client,
        req,
        "exemption",
        code="FOIA:s43",
        why_applies="Contract prices",
        prejudice="Supplier's position in retender",
        public_interest="For: accountability. Against: competition.",
    )
    _act(igo_client, req, "outcome", outcome="partly_withheld", response_text="Total contract value £1.2m.")
    req.refresh_from_db()
    assert "For: accountability" in req.refusal_notice and "qualified exemption" in req.refusal_notice


def test_foi_transferred_to_subject_access(igo_client, audit_actions):
    req = _log(igo_client, wording="Please send me everything you hold about me from my time in care.")
    response = _act(igo_client, req, "transfer", requester_kind="care_leaver")
    sar = SarCase.objects.get(from_request=req)
    assert response["Location"] == reverse("information_rights:sar", args=[sar.pk])
    req.refresh_from_db()
    assert req.outcome == "transferred"
    assert "section 40(1)" in req.response_text and sar.ref in req.response_text
    assert sar.received_on == req.received_on and sar.requester_kind == "care_leaver"
    assert "ir.request.transferred" in audit_actions()


def test_practitioner_cannot_open_casework(client, world):
    client.force_login(world.staff())
    assert client.get(reverse("information_rights:dashboard")).status_code == 403
    assert client.get(reverse("information_rights:request-new")).status_code == 403  # not even the form
    response = client.post(
        reverse("information_rights:request-new"),
        {
            "regime": "foi",
            "requester_name": "A",
            "requester_contact": "a",
            "channel": "email",
            "wording": "x",
        },
    )
    assert response.status_code == 403


def test_sar_intake_to_bundle_without_redacted_text(igo_client, world, audit_actions):
    team = world.team()
    worker = world.staff(team=team)
    child = world.person("Kayden", "Walsh")
    dad = world.person("Darren", "Hollis", dob=dt.date(1985, 6, 1), child=False)
    case = world.case(child, team, members=(dad,), workers=(worker,))
    world.entry(case, "Darren Hollis was present at the visit. Kayden was happy.")
    world.entry(
        case,
        "Referral from a neighbour at 14 Elm Close who asked not to be named.",
        confidential_source=True,
        kind="referral",
    )
    kept = world.entry(case, "Kayden's school reports good attendance.")
    world.entry(case, "Sister's counselling notes mention anxiety.", third_party=True)
    response = igo_client.post(
        reverse("information_rights:sar-new"),
        {
            "requester_name": "Maria Walsh",
            "requester_contact": "m@example.org",
            "requester_kind": "parent",
            "child_understands": "yes",
            "child_consents": "yes",
        },
    )
    assert response.status_code == 302
    sar = SarCase.objects.latest("id")
    assert sar.child_understands is True and sar.child_consents is True
    r = igo_client.post(
        reverse("information_rights:sar-action", args=[sar.pk, "verify"]),
        {"verify-evidence": "Passport and birth certificate", "verify-subject_ref": child.ref},
    )
    assert r.status_code == 302
    entitle(
        world,
        igo_client.igo,
        sar.pk,
        understands=True,
        reason="Aged 11, mature, asked about his records himself",
        consents=True,
        child_view="Agreed with his social worker that his mother may see them",
    )
    r = igo_client.post(reverse("information_rights:sar-action", args=[sar.pk, "compile"]))
    assert r["Location"] == reverse("information_rights:sar-review", args=[sar.pk])
    review = igo_client.get(r["Location"])
    assert review.status_code == 200 and "Darren Hollis" in review.content.decode()
    r = igo_client.post(
        reverse("information_rights:sar-action", args=[sar.pk, "add-redaction"]),
        {
            "add-redaction-entry": kept.pk,
            "add-redaction-passage": "good attendance",
            "add-redaction-reason": "serious_harm",
        },
    )
    assert r.status_code == 302
    first = Redaction.objects.filter(sar=sar).first()
    r = igo_client.post(
        reverse("information_rights:sar-action", args=[sar.pk, "decide"]),
        {"decide-redaction": first.pk, "decide-decision": "accepted"},
    )
    assert r.status_code == 302
    assert igo_client.get(reverse("information_rights:sar-bundle", args=[sar.pk])).status_code == 405
    bundle = igo_client.post(reverse("information_rights:sar-bundle", args=[sar.pk]))
    assert bundle.status_code == 200 and bundle["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(bundle.content))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    raw = bundle.content
    for secret in ("Darren", "Hollis", "Elm Close", "neighbour", "good attendance", "counselling", "anxiety"):
        assert secret not in text
        assert secret.encode() not in raw
    assert (
        "Kayden" in text
        and "[redacted: third party]" in text
        and "[redacted]" in text
        and "confidential source" not in text
    )
    assert "Contents" in text and re.search(r"Page \d+", text)
    assert "rectification" in text and "erased" in text and "Information Commissioner" in text
    log = igo_client.get(reverse("information_rights:sar-redaction-log", args=[sar.pk])).content.decode()
    assert "serious_harm" in log and "accepted" in log
    sign_off(world, igo_client.igo, sar.pk)
    confirm = igo_client.get(reverse("information_rights:sar-release", args=[sar.pk]))
    assert confirm.status_code == 200 and "Check before you release" in confirm.content.decode()
    released = igo_client.post(reverse("information_rights:sar-release", args=[sar.pk]))
    assert released.status_code == 200 and "disclosure register" in released.content.decode()
    sar.refresh_from_db()
    assert sar.status == "released" and sar.disclosure_id
    actions = audit_actions()
    assert (
        actions.count("case.read") >= 1 and "ir.sar.compiled" in actions and "disclosure.released" in actions
    )


def test_dashboard_rag_chart_and_csv(igo_client):
    _log(igo_client)
    old = _log(igo_client, **_date("received_on", "2026-01-05"), received_on_reason="Found in post room")
    response = igo_client.get(reverse("information_rights:dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="compliance-chart"' in page and 'id="compliance-table"' in page
    assert 'data-rag="red"' in page and 'data-rag="green"' in page and "Overdue" in page
    csv_text = igo_client.get(reverse("information_rights:dashboard-csv")).content.decode()
    assert old.ref in csv_text and "working_days_left" in csv_text


def test_calendar_day_admin_screen(client, world):
    from django.contrib.auth import get_user_model

    from discretion.information_rights.services import load_overrides

    admin = get_user_model().objects.create_superuser("cal-admin", "a@example.org", "correct-horse-battery")
    from discretion.staff.models import Acknowledgement

    Acknowledgement.objects.create(staff=admin, policy=world.policy)
    client.force_login(admin)
    r = client.post(
        reverse("admin:information_rights_calendarday_add"),
        {
            "date": "2027-06-14",
            "name": "Proclaimed holiday",
            "change": "added",
            "scope": "all",
            "note": "Proclamation",
        },
    )
    assert r.status_code == 302
    assert load_overrides().added[dt.date(2027, 6, 14)] == "Proclaimed holiday"
    assert client.get(reverse("admin:information_rights_calendarday_changelist")).status_code == 200


def test_internal_review_through_pages(igo_client):
    req = _log(igo_client)
    _act(igo_client, req, "outcome", outcome="not_held")
    type(req).objects.filter(pk=req.pk).update(closed_on=dt.date(2026, 10, 30))  # answered earlier
    _act(igo_client, req, "review", **_date("received_on", "2026-11-02"), extended="on")
    review = req.reviews.get()
    # 40th working day after Mon 2 Nov 2026: St Andrew's Day (30 Nov), Christmas and the Boxing Day
    # substitute (Mon 28 Dec) do not count.
    assert review.due_on == dt.date(2026, 12, 31)
    _act(
        igo_client, req, "decide-review", review=review.pk, outcome="upheld", notes="Searches were adequate."
    )
    review.refresh_from_db()
    assert review.outcome == "upheld"
