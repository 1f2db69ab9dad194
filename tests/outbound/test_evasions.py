"""Red-team probe 13: a child's details hidden from the finder by invisible characters, look-alike
letters or full-width forms are still found on the compose page and by the outbound service."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from discretion.disclosures.models import Disclosure, OutboxMessage
from discretion.outbound import services

from .conftest import CASE_UPDATE
from .test_views import compose_url, form

ZWSP, SOFT_HYPHEN = "\u200b", "\u00ad"
EVASIONS = {
    "zero-width space": CASE_UPDATE.replace("Kayden Walsh", f"Kay{ZWSP}den Wal{ZWSP}sh").replace(
        "3/4/15", f"3/{ZWSP}4/15"
    ),
    "soft hyphen": CASE_UPDATE.replace("Kayden Walsh", f"Kay{SOFT_HYPHEN}den Walsh"),
    "Cyrillic look-alikes": CASE_UPDATE.replace("Kayden Walsh", "K\u0430yd\u0435n W\u0430lsh"),
    "full width": CASE_UPDATE.replace("Kayden Walsh", "Ｋａｙｄｅｎ Ｗａｌｓｈ"),
}


@pytest.mark.parametrize("body", EVASIONS.values(), ids=EVASIONS.keys())
def test_a_masked_name_to_gmail_is_still_blocked(scene: Any, body: str) -> None:
    with pytest.raises(services.Blocked) as blocked:
        services.send_message(scene.worker, to="friend@gmail.com", subject="fyi", body=body)
    assert "a child's name in the message" in str(blocked.value)
    assert OutboxMessage.objects.count() == 0 and Disclosure.objects.count() == 0


@pytest.mark.parametrize("body", EVASIONS.values(), ids=EVASIONS.keys())
def test_the_compose_page_finds_and_marks_the_masked_name(client: Client, scene: Any, body: str) -> None:
    client.force_login(scene.worker)
    checked = client.post(compose_url(scene), form(body))
    page = checked.content.decode()
    assert checked.status_code == 200 and "A child&#x27;s name" in page
    masked = next(line for line in body.splitlines() if "Following" in line)
    written = masked.split("Following today's review, ")[1].split(" (DOB")[0]
    assert f"<mark>{written}</mark>" in page  # marked as written, the hidden characters included
    sent = client.post(compose_url(scene), form(body, action="send"))
    assert sent.status_code == 400 and b"secure download link" in sent.content
    assert OutboxMessage.objects.count() == 0
