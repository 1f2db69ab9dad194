"""Links made before keyed links (a clear token in the outbox body, an unsalted SHA-256 of the
code) are withdrawn by the migration, and the clear link leaves every body."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("disclosures", "0003_outbox_posted")]
AFTER = [("disclosures", "0004_keyed_links_and_payload_type")]


def test_legacy_links_are_withdrawn_and_their_clear_tokens_removed():
    executor = MigrationExecutor(connection)
    try:
        _check_withdrawal(executor)
    finally:
        # Leave the database fully migrated for the tests that follow.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _check_withdrawal(executor: MigrationExecutor) -> None:
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OutboxMessage, SecureLink = (
        old.get_model("disclosures", "OutboxMessage"),
        old.get_model("disclosures", "SecureLink"),
    )
    token = "Zm9vYmFyYmF6cXV4LWxlZ2FjeS10b2tlbi0wMTIzNDU2"
    queued = OutboxMessage.objects.create(
        channel="secure_link",
        recipient_address="gp@nhs.net",
        body=f"Ready.\n\nDownload: https://discretion.example/disclosures/download/{token}/\n",
        payload=b"%PDF-1.7 x",
        payload_name="bundle.pdf",
    )
    SecureLink.objects.create(
        message=queued,
        token_sha256=hashlib.sha256(token.encode()).hexdigest(),
        code_sha256=hashlib.sha256(b"123456").hexdigest(),
        expires_at=timezone.now(),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    message = new.get_model("disclosures", "OutboxMessage").objects.get(pk=queued.pk)
    link = new.get_model("disclosures", "SecureLink").objects.get()
    assert token not in message.body and "[withdrawn link]" in message.body
    assert (message.status, message.attempts) == ("failed", 10) and "release again" in message.last_error
    assert message.payload_type == "application/pdf"
    assert (
        link.revoked
        and link.code_digest == ""
        and hashlib.sha256(token.encode()).hexdigest() != link.token_digest
    )
