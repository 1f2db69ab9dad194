from __future__ import annotations

import json
from typing import Any

from django.test import Client

from discretion.audit.models import AuditEvent
from discretion.disclosures.models import OutboxMessage

from .conftest import CASE_UPDATE, NEWSLETTER, make_token

URL = "/api/outbound/check"


def post(client: Client, token: str | None, payload: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_mail_server_gets_a_verdict(client: Client, scene: Any, world: Any) -> None:
    token = make_token(world.staff("administrator", username="mailserver"))
    message = {"from": "sarah.hughes@council.example", "subject": "Update", "body": CASE_UPDATE}

    blocked = post(client, token, {**message, "to": ["nan.walsh@gmail.com"]})
    assert blocked.status_code == 200
    out = blocked.json()
    assert out["verdict"] == "block" and out["contains_personal_data"] is True
    assert {"part": "body", "label": "PERSON"}.items() <= out["findings"][0].items()
    assert "text" not in out["findings"][0] and "Kayden" not in json.dumps(out)
    assert "secure download link" in out["reason"]

    secure = post(client, token, {**message, "to": ["duty@lancashire.gov.uk"]}).json()
    assert secure["verdict"] == "secure_only" and secure["secure_routes"][0] == "secure_email"

    allowed = post(client, token, {**message, "body": NEWSLETTER, "to": ["a@gmail.com"]}).json()
    assert allowed == {
        "verdict": "allow",
        "contains_personal_data": False,
        "findings": [],
        "reason": allowed["reason"],
        "secure_routes": [],
        # Sarah has never written to a@gmail.com: her mail program asks her (outbound/recipients.py).
        "prompts": [
            {
                "key": "new_recipient:a@gmail.com",
                "kind": "new_recipient",
                "text": "You have not written to a@gmail.com before. Is it right?",
                "answered": False,
            }
        ],
    }

    assert OutboxMessage.objects.count() == 0  # a check releases nothing
    assert AuditEvent.objects.filter(action="outbound.checked").count() == 3


def test_bad_input_is_a_4xx(client: Client, scene: Any, world: Any) -> None:
    token = make_token(world.staff("administrator"))
    assert post(client, token, "{not json").status_code in (400, 422)
    missing = post(client, token, {"from": "a@council.example", "body": "x"})
    assert missing.status_code == 422 and "to" in missing.json()["detail"]
    bad = post(client, token, {"to": ["nobody"], "body": "x"})
    assert bad.status_code == 422 and "correct format" in bad.json()["detail"]
    assert post(client, token, {"to": "a@b.example", "body": "x"}).status_code == 422


def test_only_a_service_account_token_may_check(client: Client, scene: Any) -> None:
    payload = {"to": ["a@gmail.com"], "body": CASE_UPDATE}
    assert post(client, None, payload).status_code == 401
    client.force_login(scene.worker)  # a session is not a service account
    assert post(client, None, payload).status_code == 401
    assert post(client, make_token(scene.worker), payload).status_code == 403


def test_the_mail_server_may_send_the_raw_message_encodings_and_attachments_included(
    client: Client, scene: Any, world: Any
) -> None:
    """What an encoded subject, a base64 body or an attachment carries is checked like plain text."""
    import base64
    from email.message import EmailMessage

    token = make_token(world.staff("administrator", username="mailserver"))
    email = EmailMessage()
    email["From"], email["To"] = "sarah.hughes@council.example", "nan.walsh@gmail.com"
    email["Subject"] = "SUBJECT"
    email.set_content("See the attached notes.", cte="base64")
    email.add_attachment(b"Kayden Walsh DOB 3/4/15", maintype="text", subtype="plain", filename="notes.txt")
    encoded = "=?utf-8?b?" + base64.b64encode("Kayden Walsh – plan".encode()).decode() + "?="  # RFC 2047
    raw = email.as_string().replace("Subject: SUBJECT", f"Subject: {encoded}", 1)
    assert "Kayden Walsh" not in raw.split("\n\n", 1)[0]  # the header really is encoded
    out = post(client, token, {"to": ["nan.walsh@gmail.com"], "raw": raw}).json()
    assert out["verdict"] == "block"
    assert {f["part"].split(":")[0] for f in out["findings"]} == {"subject", "attachment"}
    plain = post(
        client,
        token,
        {
            "to": ["a@gmail.com"],
            "subject": "Notes",
            "body": "See attached.",
            "attachments": [
                {
                    "name": "notes.txt",
                    "content_type": "text/plain",
                    "content_base64": base64.b64encode(b"Kayden Walsh DOB 3/4/15").decode(),
                }
            ],
        },
    ).json()
    assert plain["verdict"] == "block"
    bad = post(
        client, token, {"to": ["a@gmail.com"], "attachments": [{"name": "x.txt", "content_base64": "%%%"}]}
    )
    assert bad.status_code == 422 and "not valid base64" in bad.json()["detail"]
