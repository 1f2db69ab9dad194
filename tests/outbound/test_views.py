from __future__ import annotations

import contextlib
from typing import Any

from django.test import Client
from django.urls import reverse

from discretion.disclosures.models import Channel, Disclosure, OutboxMessage

from .conftest import CASE_UPDATE, NEWSLETTER, answerable


def compose_url(scene: Any) -> str:
    return reverse("outbound:compose", args=[scene.case.ref])


def form(
    body: str, *, to: str = "nan.walsh@gmail.com", action: str = "check", request: int | None = None
) -> dict[str, str]:
    return {
        "request": str(request or ""),
        "to": to,
        "recipient_name": "Mrs Walsh",
        "recipient_organisation": "",
        "purpose": "family update",
        "subject": "Update",
        "body": body,
        "action": action,
    }


def test_compose_page_reads_the_case_through_access(client: Client, scene: Any, audit_actions: Any) -> None:
    client.force_login(scene.worker)
    response = client.get(compose_url(scene))
    assert response.status_code == 200
    assert b"Write to someone outside the council" in response.content
    assert b'hx-post="' in response.content
    assert audit_actions(action="case.read") == ["case.read"]

    client.force_login(scene.other)
    assert client.get(compose_url(scene)).status_code == 403


def test_check_button_shows_findings_without_javascript(client: Client, scene: Any) -> None:
    client.force_login(scene.worker)
    response = client.post(compose_url(scene), form(CASE_UPDATE))

    assert response.status_code == 200
    page = response.content.decode()
    assert "What was found" in page and "PERSON" in page and "DOB" in page
    assert "<mark>Kayden Walsh</mark>" in page
    assert "Send by secure download link with a one-time code" in page
    assert "Sarah Hughes</mark>" not in page  # the worker's own signature
    assert OutboxMessage.objects.count() == 0


def test_live_check_returns_only_the_findings_panel(client: Client, scene: Any) -> None:
    client.force_login(scene.worker)
    response = client.post(
        reverse("outbound:check", args=[scene.case.ref]), form(NEWSLETTER), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="findings"')
    assert "No personal data about service users was found" in page


def test_send_is_blocked_and_send_anyway_refused(client: Client, scene: Any, audit_actions: Any) -> None:
    client.force_login(scene.worker)
    request_id = answerable(scene, "nan.walsh@gmail.com")
    blocked = client.post(compose_url(scene), form(CASE_UPDATE, action="send", request=request_id))
    assert blocked.status_code == 400
    assert b"There is a problem" in blocked.content and b"secure download link" in blocked.content

    anyway = client.post(compose_url(scene), form(CASE_UPDATE, action="send_anyway", request=request_id))
    assert anyway.status_code == 400
    assert b"cannot be sent by ordinary e-mail, even on request" in anyway.content

    assert OutboxMessage.objects.count() == 0 and Disclosure.objects.count() == 0
    assert [a for a in audit_actions() if a.startswith("outbound.")] == [
        "outbound.blocked",
        "outbound.override_refused",
    ]


def test_send_by_secure_link_shows_the_code_once(client: Client, scene: Any) -> None:
    client.force_login(scene.worker)
    # Without a request to answer, personal data does not leave, whatever the route.
    refused = client.post(compose_url(scene), form(CASE_UPDATE, action="secure_link"))
    assert refused.status_code == 400 and b"only as the answer to a request" in refused.content
    request_id = answerable(scene, "nan.walsh@gmail.com")
    page = client.get(compose_url(scene)).content.decode()
    assert f'<option value="{request_id}">Request {request_id} from Ms Patel</option>' in page
    response = client.post(compose_url(scene), form(CASE_UPDATE, action="secure_link", request=request_id))
    sent_url = reverse("outbound:sent", args=[scene.case.ref])
    assert response.status_code == 302 and response["Location"] == sent_url

    disclosure = Disclosure.objects.get()
    assert disclosure.channel == Channel.SECURE_LINK and disclosure.source_id == str(request_id)
    assert disclosure.purpose == "family update" and disclosure.recipient_name == "Mrs Walsh"
    page = client.get(sent_url)
    assert b"Tell the recipient their one-time code" in page.content
    assert client.get(sent_url).status_code == 302  # shown only once


def test_newsletter_is_sent_as_ordinary_email(client: Client, scene: Any) -> None:
    client.force_login(scene.worker)
    response = client.post(compose_url(scene), form(NEWSLETTER, to="carers@example.org", action="send"))
    assert response.status_code == 302
    (message,) = OutboxMessage.objects.all()
    assert message.disclosure is None and message.recipient_address == "carers@example.org"


def test_bad_input_shows_the_error_summary(client: Client, scene: Any) -> None:
    client.force_login(scene.worker)
    response = client.post(compose_url(scene), {**form("", to=""), "subject": "", "action": "send"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "Enter the recipient&#x27;s e-mail address" in page and "Enter a message" in page


def test_live_check_is_only_for_someone_who_may_work_on_the_case(
    client: Client, scene: Any, audit_actions: Any
) -> None:
    """The findings say who in the text is on the council's records: not for anyone else to probe."""
    client.force_login(scene.other)
    url = reverse("outbound:check", args=[scene.case.ref])
    response = client.post(url, form(CASE_UPDATE), headers={"HX-Request": "true"})
    assert response.status_code == 403 and "Kayden" not in response.content.decode()
    assert audit_actions(actor_id=scene.other.pk)[-1:] == ["access.refused"]
    missing = client.post(reverse("outbound:check", args=["NOSUCH"]), form(CASE_UPDATE))
    assert missing.status_code == 404 and "<mark>" not in missing.content.decode()


def test_a_volunteer_on_the_compose_page_is_refused_and_their_supervisor_told(
    client: Client, scene: Any, world: Any
) -> None:
    from discretion.records import sharing
    from discretion.staff.models import Alert

    volunteer = world.staff(employment_type="volunteer", responsible=scene.worker, team=scene.team)
    sharing.share_case(scene.worker, ref=scene.case.ref, supervisee_username=volunteer.username)
    client.force_login(volunteer)
    assert client.get(compose_url(scene)).status_code == 403
    response = client.post(compose_url(scene), form(CASE_UPDATE, action="secure_link"))
    assert response.status_code == 403
    assert b"cannot write to people outside the council" in response.content
    assert Disclosure.objects.count() == 0
    # The service refuses too, whatever the front (test_services), and tells their supervisor.
    from discretion.outbound import services

    with contextlib.suppress(services.Blocked):
        services.send_message(volunteer, to="nan.walsh@gmail.com", subject="x", body=CASE_UPDATE)
    assert Alert.objects.get(kind="supervised_release").recipient == scene.worker
