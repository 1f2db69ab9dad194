"""Notifications: the people a request needs are told, in the app and by an e-mail that carries only a
link (policy 1.1), sent through the outbound gateway's plain route after the finder's check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from discretion.audit.models import AuditEvent
from discretion.disclosures.models import OutboxMessage
from discretion.notifications import services as notifications
from discretion.notifications.models import Notification
from discretion.outbound import services as outbound
from discretion.requests import services
from tests.requests.helpers import council, log, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(world: Any, settings: Any) -> Any:
    settings.SITE_URL = "https://discretion.council.example"
    c = council(world)
    for member in (c.manager, c.worker, c.igo, c.legal, c.press):
        member.email = f"{member.username}@council.example"
        member.save()
    return c


def _mine(member: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member).order_by("id"))


def test_a_referral_tells_the_manager_and_every_igo_in_the_app_and_by_email_para_1_5(c: Any) -> None:
    req = log(c, "police", channel="phone", purpose="missing_child")
    (told,) = _mine(c.manager)
    assert told.kind == "referred" and told.urgent
    assert (
        told.text
        == f"Urgent (a missing child): Request {req.pk} waits for your decision: Police, finding a missing child."
    )
    assert told.link == reverse("requests:detail", args=[req.pk]) and told.triggered_by == c.worker
    assert [n.kind for n in _mine(c.igo)] == ["referred"]  # the police route names both (policy 1.5)
    assert _mine(c.worker) == [] and _mine(c.legal) == []  # never the handler, nor anyone else

    email = told.email
    assert email is not None and email.channel == "email" and email.disclosure is None
    assert email.recipient_address == c.manager.email
    assert email.subject == "Discretion: A request is waiting for your decision (urgent)"
    assert f"https://discretion.council.example/notifications/{told.pk}/" in email.body
    # Nothing of the case: no child, no requester, no request number, no purpose.
    for secret in ("Kayden", "Walsh", "A Requester", "missing", "Police", str(c.child.ref)):
        assert secret not in email.body and secret not in email.subject
    # The gateway queued it as the system, after its check, naming who caused it.
    event = AuditEvent.objects.get(action="outbound.notice_queued", object_id=str(email.pk))
    assert event.actor_id is None and f'"triggered_by":{c.worker.pk}' in event.details


def test_a_notice_the_finder_flags_is_never_sent_and_is_audited(c: Any) -> None:
    with pytest.raises(outbound.Blocked):
        outbound.send_notice(
            to=c.manager.email,
            subject="A request",
            body=f"About {c.child.given_names} {c.child.family_name}, born 3 April 2015.",
            about="test",
            triggered_by=c.worker,
        )
    assert not OutboxMessage.objects.exists()
    blocked = AuditEvent.objects.get(action="outbound.notice_blocked")
    assert blocked.actor_id is None and "Kayden" not in blocked.details


def test_no_email_address_or_email_turned_off_means_the_app_only(c: Any, settings: Any) -> None:
    c.manager.email = ""
    c.manager.save()
    log(c, "police", channel="phone", purpose="missing_child")
    assert _mine(c.manager)[0].email is None
    settings.NOTIFY_BY_EMAIL = False
    log(c, "police", channel="phone", purpose="missing_child")
    assert all(n.email is None for n in _mine(c.igo)[1:])


def test_approval_tells_the_handler_and_takes_them_to_choose_what_to_release(c: Any) -> None:
    req = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    req = verify(c, req)
    assert _mine(c.worker) == []
    police = log(c, "police", channel="phone", purpose="missing_child")
    verify(c, police)
    services.decide_referral(c.manager, police.pk, approve=True, reasoning="Missing overnight.")
    (approved,) = _mine(c.worker)
    assert approved.kind == "approved" and approved.triggered_by == c.manager
    assert approved.link == reverse("requests:entries", args=[police.pk])
    assert "Choose what to release" in approved.text and c.manager.display_name in approved.text


def test_refusal_tells_the_handler(c: Any) -> None:
    req = log(c, "police", channel="phone", purpose="criminal_investigation")
    services.decide_referral(c.manager, req.pk, approve=False, reasoning="Not necessary.")
    (refused,) = _mine(c.worker)
    assert refused.kind == "refused" and refused.link == reverse("requests:detail", args=[req.pk])


def test_release_tells_whoever_approved_it(c: Any) -> None:
    req = log(c, "police", channel="phone", purpose="missing_child")
    services.decide_referral(c.manager, req.pk, approve=True, reasoning="Missing overnight.")
    verify(c, req)
    services.complete_task(
        c.worker, req.pk, "inform_subject", note="", outcome="not_possible", reason="He is missing."
    )
    services.select_entries(c.worker, req.pk, {c.visit.pk: "Places he goes"})
    services.release_request(c.worker, req.pk, channel="post", address="1 High St")
    assert [n.kind for n in _mine(c.manager)] == ["referred", "released"]


def test_a_document_to_check_tells_legal_services_for_a_court_order(c: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from discretion.requests import documents
    from tests.requests.helpers import PDF

    req = log(c, "solicitor", channel="letter", purpose="legal_proceedings")
    documents.add_document(
        c.worker, req.pk, "court_order", SimpleUploadedFile("o.pdf", PDF), name="o.pdf",
        content_type="application/pdf", size=len(PDF),
    )  # fmt: skip
    kinds = [n.kind for n in _mine(c.legal)]
    assert "document_to_check" in kinds and not [n for n in _mine(c.igo) if n.kind == "document_to_check"]


def test_record_access_asked_and_agreed(c: Any, world: Any) -> None:
    other = world.person("Mia", "Roberts")
    world.case(other, world.team())
    req = services.log_request(
        c.worker,
        requester=services.RequesterDetails(name="Ms Head", category="other_agency", works_with_child=True),
        channel="secure_email",
        person_ids=[c.child.pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
        summary="Attendance concerns",
    )
    # The handler is allocated here, so no agreement is needed; move the child to a case they are not on.
    from discretion.staff.models import Allocation

    Allocation.objects.filter(staff=c.worker).update(end_on=dt.date(2025, 1, 7))
    verify(c, req)
    services.complete_task(c.worker, req.pk, "inform_subject", note="Told.", outcome="told")
    services.ask_for_record_access(c.worker, req.pk, reason="To choose what the school needs")
    assert [n.kind for n in _mine(c.manager)] == ["record_access_asked"]
    services.decide_record_access(c.manager, req.pk, approve=True, reasoning="Fine")
    decided = _mine(c.worker)[-1]
    assert decided.kind == "record_access_decided" and decided.link == reverse(
        "requests:entries", args=[req.pk]
    )


def test_the_list_page_opening_and_marking_read(c: Any, client: Any, audit_actions: Any) -> None:
    req = log(c, "police", channel="phone", purpose="missing_child")
    (told,) = _mine(c.manager)
    client.force_login(c.manager)
    page = client.get(reverse("notifications:list")).content.decode()
    assert f"Request {req.pk} waits for your decision" in page and "1 unread." in page
    # Someone else's notification: the dull answer, the refusal audited, nothing marked.
    client.force_login(c.worker)
    assert client.get(reverse("notifications:open", args=[told.pk])).status_code == 404
    assert "notification.open.refused" in audit_actions(actor_id=c.worker.pk)
    told.refresh_from_db()
    assert told.read_at is None
    client.force_login(c.manager)
    response = client.get(reverse("notifications:open", args=[told.pk]))
    assert response.status_code == 302 and response["Location"] == told.link
    told.refresh_from_db()
    assert told.read_at is not None


def test_opening_the_request_reads_its_notifications(c: Any, client: Any) -> None:
    req = log(c, "police", channel="phone", purpose="missing_child")
    client.force_login(c.manager)
    assert notifications.unread_count(c.manager) == 1
    client.get(reverse("requests:detail", args=[req.pk]))
    assert notifications.unread_count(c.manager) == 0


def test_the_api_lists_and_marks_read_only_your_own(c: Any, client: Any) -> None:
    log(c, "police", channel="phone", purpose="missing_child")
    (told,) = _mine(c.manager)
    client.force_login(c.manager)
    listed = client.get("/api/notifications/").json()
    assert listed["unread"] == 1 and listed["notifications"][0]["id"] == told.pk
    client.force_login(c.worker)
    assert client.post(f"/api/notifications/{told.pk}/read").status_code == 404
    client.force_login(c.manager)
    assert client.post(f"/api/notifications/{told.pk}/read").json()["read_at"] is not None
    assert client.post("/api/notifications/read-all").json() == {"marked": 0}
