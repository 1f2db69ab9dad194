"""The delivery worker rebuilds a secure link from its salt with DISCRETION_LINK_KEY: the
database holds no usable link, yet the recipient's e-mail carries one."""

from __future__ import annotations

from typing import Any

import pytest

from discretion.disclosures.delivery import send_outbox_message
from discretion.disclosures.models import Channel, OutboxMessage, OutboxStatus
from discretion.disclosures.services import Recipient, Release, deliver_pending, disclose
from tests.requests.helpers import PDF

from .conftest import Server

pytestmark = pytest.mark.django_db


def _release(world: Any) -> Release:
    return disclose(
        world.staff(),
        recipient=Recipient(name="Dr Amara Okafor", organisation="Moorside Surgery", address="gp@nhs.net"),
        channel=Channel.SECURE_LINK,
        content=PDF,
        content_name="bundle.pdf",
        source="test",
        message_subject="Information from Children's Services",
        message_body="Your documents are ready.",
    )


def test_the_worker_rebuilds_the_link_with_the_key_and_the_recipient_gets_it(
    world: Any, settings: Any, plain_server: Server
) -> None:
    settings.DISCRETION_SMTP_PORT = plain_server.port
    release = _release(world)
    message = OutboxMessage.objects.get(pk=release.message.pk)
    assert release.link_token not in message.body

    assert deliver_pending(send_outbox_message) == (1, 0)

    (got,) = plain_server.inbox.received
    text = got.message.get_content()
    assert f"https://discretion.council.example/disclosures/download/{release.link_token}/" in text
    assert "Your documents are ready." in text and release.link_code not in text
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and release.link_token not in message.body


def test_after_the_key_changes_a_queued_link_is_not_sent(
    world: Any, settings: Any, plain_server: Server
) -> None:
    settings.DISCRETION_SMTP_PORT = plain_server.port
    release = _release(world)
    settings.DISCRETION_LINK_KEY = "a-rotated-key"

    assert deliver_pending(send_outbox_message) == (0, 1)

    assert plain_server.inbox.received == []
    assert "DISCRETION_LINK_KEY" in OutboxMessage.objects.get(pk=release.message.pk).last_error
