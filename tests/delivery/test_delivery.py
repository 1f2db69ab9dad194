"""The outbox's actual send, against real SMTP servers on loopback (policy 1.1)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from discretion.audit.models import AuditEvent
from discretion.disclosures.delivery import PGP_ARMOUR, send_outbox_message
from discretion.disclosures.links import PLACEHOLDER
from discretion.disclosures.models import Channel, OutboxMessage, OutboxStatus
from discretion.disclosures.services import Recipient, Release, deliver_pending, disclose, sha256_hex
from discretion.outbound import services as outbound
from discretion.staff.models import Role
from tests.conftest import approved_request

from .conftest import Server, free_port

pytestmark = pytest.mark.django_db


def _release(world: Any, channel: str, *, address: str = "gp@nhs.net", body: str = "", **kw: Any) -> Release:
    return disclose(
        world.staff(),
        recipient=Recipient(name="Dr Amara Okafor", organisation="Moorside Surgery", address=address),
        channel=Channel(channel),
        content=kw.pop("content", b"%PDF-1.7 the released bundle"),
        content_name=kw.pop("content_name", "bundle.pdf"),
        source="test",
        message_subject=kw.pop("subject", "Information from Children's Services"),
        message_body=body,
    )


def _point_at(settings: Any, server: Server) -> None:
    settings.DISCRETION_SMTP_PORT = server.port


def _audits(action: str) -> list[dict[str, Any]]:
    return [
        json.loads(d)
        for d in AuditEvent.objects.filter(action=action).order_by("seq").values_list("details", flat=True)
    ]


def test_plain_email_arrives_and_is_audited_with_the_domain_only(settings, plain_server) -> None:
    _point_at(settings, plain_server)
    (message,) = outbound.queue_plain(
        None, to=["parent@gmail.com"], subject="Summer fete", body="Saturday 2pm."
    )

    assert deliver_pending(send_outbox_message) == (1, 0)

    (got,) = plain_server.inbox.received
    assert got.rcpt_tos == ["parent@gmail.com"] and got.mail_from == "no-reply@council.example"
    assert got.message["Subject"] == "Summer fete" and "Saturday 2pm." in got.message.get_content()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at is not None) == (OutboxStatus.SENT, 1, True)
    assert _audits("outbox.sent") == [{"channel": "email", "attempts": 1, "domain": "gmail.com"}]
    event = AuditEvent.objects.get(action="outbox.sent")
    assert event.object_type == "outbox" and event.object_id == str(message.pk)
    assert "parent@" not in event.details and "Saturday" not in event.details


def test_secure_email_to_a_server_without_starttls_fails_and_nothing_is_delivered(
    world, settings, plain_server
) -> None:
    _point_at(settings, plain_server)
    release = _release(world, "secure_email", body="Notes for the strategy meeting attached.")

    assert deliver_pending(send_outbox_message) == (0, 1)

    assert plain_server.inbox.received == []
    message = OutboxMessage.objects.get(pk=release.message.pk)
    assert message.status == OutboxStatus.FAILED and message.attempts == 1 and message.sent_at is None
    assert "STARTTLS" in message.last_error
    assert _audits("outbox.failed") == [
        {"channel": "secure_email", "attempts": 1, "domain": "nhs.net", "error": "DeliveryRefused"}
    ]
    assert not AuditEvent.objects.filter(action="outbox.sent").exists()


def test_secure_email_over_verified_starttls_arrives_with_the_registered_content(
    world, settings, tls_server
) -> None:
    _point_at(settings, tls_server)
    release = _release(world, "secure_email", body="Notes for the strategy meeting attached.")

    assert deliver_pending(send_outbox_message) == (1, 0)

    (got,) = tls_server.inbox.received
    assert got.tls, "the server must have seen the message over TLS"
    assert got.rcpt_tos == ["gp@nhs.net"]
    (attachment,) = list(got.message.iter_attachments())
    assert attachment.get_filename() == "bundle.pdf"
    # Exactly what the register hashed.
    assert sha256_hex(attachment.get_content()) == release.disclosure.content_sha256
    assert OutboxMessage.objects.get(pk=release.message.pk).status == OutboxStatus.SENT


def test_failed_secure_email_is_retried_and_sent_once_tls_is_available(
    world, settings, plain_server, tls_server
) -> None:
    _point_at(settings, plain_server)
    release = _release(world, "secure_email", body="Strategy meeting notes.")
    assert deliver_pending(send_outbox_message) == (0, 1)

    _point_at(settings, tls_server)
    assert deliver_pending(send_outbox_message) == (1, 0)
    assert deliver_pending(send_outbox_message) == (0, 0)  # sent once, not again

    message = OutboxMessage.objects.get(pk=release.message.pk)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert len(tls_server.inbox.received) == 1 and plain_server.inbox.received == []
    assert [d["attempts"] for d in _audits("outbox.failed")] == [1]
    assert [d["attempts"] for d in _audits("outbox.sent")] == [2]


def test_secure_email_fails_when_the_certificate_is_not_trusted(world, settings, tls_server) -> None:
    _point_at(settings, tls_server)
    settings.DISCRETION_SMTP_CAFILE = None  # the system store does not trust the self-signed certificate
    release = _release(world, "secure_email", body="Strategy meeting notes.")

    assert deliver_pending(send_outbox_message) == (0, 1)

    assert tls_server.inbox.received == []
    message = OutboxMessage.objects.get(pk=release.message.pk)
    assert message.status == OutboxStatus.FAILED and "certificate" in message.last_error.lower()
    assert _audits("outbox.failed")[0]["error"] == "SSLCertVerificationError"


def test_secure_email_is_refused_when_the_domain_left_the_secure_list(world, settings, tls_server) -> None:
    _point_at(settings, tls_server)
    release = _release(world, "secure_email", body="Strategy meeting notes.")
    settings.OUTBOUND_SECURE_DOMAINS = ["gov.uk"]

    assert deliver_pending(send_outbox_message) == (0, 1)

    assert tls_server.inbox.received == []
    assert (
        "no longer on the secure-domain list" in OutboxMessage.objects.get(pk=release.message.pk).last_error
    )


def test_secure_link_email_carries_the_absolute_link_but_never_the_code_or_the_content(
    world, settings, plain_server
) -> None:
    _point_at(settings, plain_server)
    child = world.person("Kayden Lee", "Walsh")
    sender = world.staff()
    sent = outbound.send_message(
        sender,
        to="nan.walsh@gmail.com",
        subject="Kayden's update",
        body="Kayden Walsh (DOB 3/4/15) is settled at his new placement.",
        route=outbound.Route.SECURE_LINK,
        request_id=approved_request(world, sender, child, "nan.walsh@gmail.com"),
    )
    (release,) = sent.releases

    assert deliver_pending(send_outbox_message) == (1, 0)

    (got,) = plain_server.inbox.received
    text = got.message.get_content()
    assert f"https://discretion.council.example/disclosures/download/{release.link_token}/" in text
    assert release.link_code not in text and release.link_code not in str(got.message["Subject"])
    assert "Kayden" not in text and "Kayden" not in str(got.message["Subject"])
    assert list(got.message.iter_attachments()) == []


def test_secure_link_without_its_download_link_is_not_sent(world, settings, plain_server) -> None:
    _point_at(settings, plain_server)
    release = _release(world, "secure_link", address="parent@gmail.com", body="Your documents are ready.")
    # disclose() always writes the link's place into the message; a message that lost it is refused.
    assert PLACEHOLDER in release.message.body and release.link_token not in release.message.body
    release.message.body = "Your documents are ready."
    release.message.save(update_fields=["body"])

    assert deliver_pending(send_outbox_message) == (0, 1)

    assert plain_server.inbox.received == []
    assert "download link" in OutboxMessage.objects.get(pk=release.message.pk).last_error


def test_secure_link_carrying_its_one_time_code_is_not_sent(world, settings, plain_server) -> None:
    _point_at(settings, plain_server)
    release = _release(world, "secure_link", address="parent@gmail.com", body="Ready.")
    message = release.message
    message.body = f"Ready: {PLACEHOLDER} code {release.link_code}"
    message.save()

    assert deliver_pending(send_outbox_message) == (0, 1)

    assert plain_server.inbox.received == []
    assert "one-time code" in OutboxMessage.objects.get(pk=message.pk).last_error


def test_encrypted_email_from_the_gateway_arrives_and_decrypts_and_clear_payload_is_refused(
    world, settings, plain_server
) -> None:
    import pgpy  # type: ignore[import-untyped]
    from pgpy.constants import HashAlgorithm, KeyFlags, PubKeyAlgorithm, SymmetricKeyAlgorithm

    _point_at(settings, plain_server)
    key = pgpy.PGPKey.new(PubKeyAlgorithm.RSAEncryptOrSign, 2048)
    key.add_uid(
        pgpy.PGPUID.new("School DSL", email="dsl@school.example"),
        usage={KeyFlags.EncryptCommunications},
        hashes=[HashAlgorithm.SHA256],
        ciphers=[SymmetricKeyAlgorithm.AES256],
    )
    outbound.register_recipient_key(
        world.staff(Role.IGO), address="dsl@school.example", public_key=str(key.pubkey)
    )
    child = world.person("Kayden Lee", "Walsh")
    sender = world.staff()
    sent = outbound.send_message(
        sender,
        to="dsl@school.example",
        subject="Update",
        body="Kayden Walsh (DOB 3/4/15) is settled at his new placement.",
        request_id=approved_request(world, sender, child, "dsl@school.example"),
    )
    assert sent.route is outbound.Route.ENCRYPTED_EMAIL
    clear = _release(world, "encrypted_email", body="Kayden Walsh DOB 3/4/15", content=b"Kayden Walsh")

    assert deliver_pending(send_outbox_message) == (1, 1)

    (got,) = plain_server.inbox.received
    raw = got.message.as_string()
    assert "Kayden" not in raw
    assert got.message.get_body(preferencelist=("plain",)).get_content().startswith(PGP_ARMOUR)
    (attachment,) = list(got.message.iter_attachments())
    assert attachment.get_content_type() == "application/pgp-encrypted"
    assert attachment.get_filename() == "message.txt.asc"
    plain = key.decrypt(pgpy.PGPMessage.from_blob(attachment.get_content())).message
    assert b"Kayden Walsh (DOB 3/4/15)" in (plain.encode() if isinstance(plain, str) else bytes(plain))
    assert "not OpenPGP-encrypted" in OutboxMessage.objects.get(pk=clear.message.pk).last_error


@pytest.mark.parametrize("channel", ["post", "internal", "in_person"])
def test_channels_without_e_mail_are_recorded_not_mailed(world, settings, plain_server, channel) -> None:
    _point_at(settings, plain_server)
    release = _release(world, channel, address="12 Mill Lane, Chorley PR7 1AB", body="Print and post.")

    assert deliver_pending(send_outbox_message) == (1, 0)

    assert plain_server.inbox.received == []
    assert OutboxMessage.objects.get(pk=release.message.pk).status == OutboxStatus.SENT
    (details,) = _audits("outbox.sent")
    assert details["channel"] == channel and details["domain"] == ""
    assert details["delivered_to"] == ("print_queue" if channel == "post" else "record")


def test_a_publication_on_the_disclosure_log_is_recorded_not_mailed(world, settings, plain_server) -> None:
    # An FOI answer published on the disclosure log: registered and queued like any release, never
    # e-mailed, even with an address-like recipient (policy 1.1).
    _point_at(settings, plain_server)
    release = disclose(
        world.staff("information_governance"),
        recipient=Recipient(name="The public (FOI disclosure log)", address="public@example.org"),
        channel=Channel.PUBLICATION,
        content=b"There were 412 children in care.",
        content_name="IR2026-00001-answer.txt",
        source="foi",
    )

    assert deliver_pending(send_outbox_message) == (1, 0)

    assert plain_server.inbox.received == []
    message = OutboxMessage.objects.get(pk=release.message.pk)
    assert (message.status, message.last_error) == (OutboxStatus.SENT, "")
    (details,) = _audits("outbox.sent")
    assert details["channel"] == "publication" and details["delivered_to"] == "disclosure_log"
    assert _audits("outbox.failed") == []


def test_an_unreachable_mail_server_fails_the_send(world, settings) -> None:
    settings.DISCRETION_SMTP_PORT = free_port()  # nothing listens there
    (message,) = outbound.queue_plain(None, to=["parent@gmail.com"], subject="Fete", body="Saturday.")

    assert deliver_pending(send_outbox_message) == (0, 1)

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.last_error
    assert _audits("outbox.failed")[0]["error"] == "ConnectionRefusedError"


def test_a_clean_message_keeps_its_attachments_on_the_plain_route(world, settings, plain_server) -> None:
    """Attachments the finder read and found clean travel with ordinary e-mail, not dropped."""
    _point_at(settings, plain_server)
    sender = world.staff()
    one = outbound.OutgoingAttachment("agenda.txt", b"Team meeting: rota and training.", "text/plain")
    two = outbound.OutgoingAttachment("notes.csv", b"item,owner\nrota,team\n", "text/csv")
    sent = outbound.send_message(
        sender, to="partner@gmail.com", subject="Agenda", body="Attached.", attachments=[one]
    )
    assert sent.route == outbound.Route.EMAIL
    outbound.send_message(
        sender, to="partner@gmail.com", subject="Both", body="Attached.", attachments=[one, two]
    )
    assert deliver_pending(send_outbox_message) == (2, 0)
    first, second = plain_server.inbox.received
    (attached,) = list(first.message.iter_attachments())
    assert (
        attached.get_filename() == "agenda.txt"
        and attached.get_content() == "Team meeting: rota and training."
    )
    (zipped,) = list(second.message.iter_attachments())
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(zipped.get_content())).namelist()
    assert zipped.get_filename() == "attachments.zip" and names == ["1-agenda.txt", "2-notes.csv"]
