from __future__ import annotations

from typing import Any

import pytest

from discretion import access
from discretion.audit.models import AuditEvent
from discretion.disclosures.links import PLACEHOLDER
from discretion.disclosures.models import Channel, Disclosure, OutboxMessage, SecureLink
from discretion.outbound import services
from discretion.outbound.models import RecipientKey
from discretion.outbound.services import OutgoingAttachment, Route

from .conftest import CASE_UPDATE, NEWSLETTER, answerable


def test_newsletter_goes_as_ordinary_email_without_a_disclosure(scene: Any, audit_actions: Any) -> None:
    sent = services.send_message(
        scene.worker, to="parent@gmail.com", subject="Summer newsletter", body=NEWSLETTER
    )

    assert sent.route is Route.EMAIL
    assert not sent.check.contains_personal_data
    (message,) = OutboxMessage.objects.all()
    assert (message.channel, message.recipient_address, message.disclosure) == (
        "email",
        "parent@gmail.com",
        None,
    )
    assert message.body == NEWSLETTER
    assert Disclosure.objects.count() == 0
    assert audit_actions(action__startswith="outbound.") == ["outbound.sent"]


def test_case_update_naming_a_known_child_to_gmail_is_blocked(scene: Any, audit_actions: Any) -> None:
    with pytest.raises(services.Blocked) as blocked:
        services.send_message(
            scene.worker,
            to="nan.walsh@gmail.com",
            subject="Kayden",
            body=CASE_UPDATE,
            case_id=scene.case.pk,
            request_id=answerable(scene, "nan.walsh@gmail.com"),
        )

    message = str(blocked.value)
    assert "name of a known service user in the body" in message
    assert "date of birth" in message
    assert "secure download link" in message
    assert blocked.value.check.verdict is services.Verdict.BLOCK
    assert OutboxMessage.objects.count() == 0 and Disclosure.objects.count() == 0
    event = AuditEvent.objects.get(action="outbound.blocked")
    assert event.person_id == scene.child.pk
    assert "Kayden" not in event.details and "3/4/15" not in event.details  # labels and positions only
    assert '"label": "PERSON"' in event.details or '"label":"PERSON"' in event.details


@pytest.mark.parametrize("attempt", [{"override": True}, {"route": "email"}])
def test_send_anyway_is_refused_and_audited(scene: Any, audit_actions: Any, attempt: dict[str, Any]) -> None:
    with pytest.raises(services.Blocked, match="cannot be sent by ordinary e-mail"):
        services.send_message(
            scene.worker,
            to="nan.walsh@gmail.com",
            subject="Update",
            body=CASE_UPDATE,
            request_id=answerable(scene, "nan.walsh@gmail.com"),
            **attempt,
        )

    assert OutboxMessage.objects.count() == 0
    assert audit_actions(action__startswith="outbound.") == ["outbound.override_refused"]


def test_same_update_by_secure_link_is_registered_and_queued(scene: Any, audit_actions: Any) -> None:
    sent = services.send_message(
        scene.worker,
        to="nan.walsh@gmail.com",
        subject="Kayden's update",
        body=CASE_UPDATE,
        route=Route.SECURE_LINK,
        case_id=scene.case.pk,
        purpose="family update",
        request_id=(request_id := answerable(scene, "nan.walsh@gmail.com")),
    )

    assert sent.route is Route.SECURE_LINK
    (release,) = sent.releases
    disclosure = Disclosure.objects.get()
    assert disclosure.channel == Channel.SECURE_LINK and disclosure.source == "request"
    assert disclosure.source_id == str(request_id) and "2.2-safeguarding" in disclosure.rules
    from discretion.requests.models import Request

    answered = Request.objects.get(pk=request_id)
    assert answered.state == "released" and answered.disclosure == disclosure
    assert list(disclosure.people.values_list("pk", flat=True)) == [scene.child.pk]
    assert disclosure.outbox.pk == release.message.pk
    # The e-mail itself carries the link, not the personal data; the code goes separately.
    assert "Kayden" not in release.message.body and "Kayden" not in release.message.subject
    # The link's place only: the worker writes the link in when it sends (disclosures/links.py).
    assert PLACEHOLDER in release.message.body and release.link_token not in release.message.body
    assert release.link_code.isdigit() and len(release.link_code) == 6
    assert release.link_code not in release.message.body
    assert SecureLink.objects.filter(message=release.message).exists()
    assert b"Kayden Walsh" in bytes(release.message.payload)
    assert audit_actions(action__in=["disclosure.released", "outbound.sent"]) == [
        "disclosure.released",
        "outbound.sent",
    ]


def test_secure_link_register_entry_and_outbox_are_one_transaction(scene: Any, monkeypatch: Any) -> None:
    real = services.audit.record

    def failing(actor_id: Any, action: str, **kwargs: Any) -> Any:
        if action == "outbound.sent":
            raise RuntimeError("crash after disclose")
        return real(actor_id, action, **kwargs)

    request_id = answerable(scene, "nan.walsh@gmail.com")
    monkeypatch.setattr(services.audit, "record", failing)
    with pytest.raises(RuntimeError):
        services.send_message(
            scene.worker,
            to="nan.walsh@gmail.com",
            subject="Update",
            body=CASE_UPDATE,
            route=Route.SECURE_LINK,
            request_id=request_id,
        )
    assert Disclosure.objects.count() == 0 and OutboxMessage.objects.count() == 0
    from discretion.requests.models import Request

    assert Request.objects.get(pk=request_id).state == "approved"


@pytest.mark.parametrize("address", ["duty.team@lancashire.gov.uk", "gp.surgery@nhs.net"])
def test_personal_data_to_a_secure_domain_goes_by_secure_email(scene: Any, address: str) -> None:
    sent = services.send_message(
        scene.worker, to=address, subject="Update", body=CASE_UPDATE, request_id=answerable(scene, address)
    )

    assert sent.route is Route.SECURE_EMAIL
    disclosure = Disclosure.objects.get()
    assert (disclosure.channel, disclosure.recipient_address) == (Channel.SECURE_EMAIL, address)
    assert disclosure.outbox.body == CASE_UPDATE
    assert list(disclosure.people.all()) == [scene.child]


def test_secure_email_to_an_ordinary_domain_is_blocked(scene: Any, audit_actions: Any) -> None:
    with pytest.raises(services.Blocked, match=r"gmail\.com is not one"):
        services.send_message(
            scene.worker,
            to="nan@gmail.com",
            subject="Update",
            body=CASE_UPDATE,
            route=Route.SECURE_EMAIL,
            request_id=answerable(scene, "nan@gmail.com"),
        )
    assert audit_actions(action__startswith="outbound.") == ["outbound.blocked"]


def test_secure_domains_match_subdomains_only(settings: Any) -> None:
    assert services.is_secure_domain("a@gov.uk")
    assert services.is_secure_domain("a@lancashire.gov.uk")
    assert services.is_secure_domain("a@x.gcsx.gov.uk")
    assert not services.is_secure_domain("a@evilgov.uk")
    assert not services.is_secure_domain("a@gov.uk.example.com")
    settings.OUTBOUND_SECURE_DOMAINS = ["cjsm.net"]
    assert not services.is_secure_domain("a@lancashire.gov.uk")


def test_staff_signature_and_council_details_are_not_flagged(scene: Any, world: Any) -> None:
    world.person("Mia", "Hughes")  # a service user who shares the worker's family name
    check = services.check_message(to=("a@gmail.com",), subject="Newsletter", body=NEWSLETTER)

    assert check.findings == ()
    assert check.verdict is services.Verdict.ALLOW


def test_text_attachment_is_scanned_and_unreadable_one_counts_as_personal(scene: Any) -> None:
    notes = OutgoingAttachment("notes.txt", b"Seen Kayden Walsh at home.", "text/plain")
    check = services.check_message(
        to=("a@gmail.com",), subject="Notes", body="Please see attached.", attachments=[notes]
    )
    assert [(f.part, f.label) for f in check.findings] == [("attachment:0", "PERSON")]

    scan = OutgoingAttachment("scan.pdf", b"%PDF-1.7 \x00\x01", "application/pdf")
    check = services.check_message(to=("a@gmail.com",), subject="Form", body="Attached.", attachments=[scan])
    assert check.unscanned == ("scan.pdf",) and check.verdict is services.Verdict.BLOCK


def test_sender_must_be_able_to_open_the_case(scene: Any, audit_actions: Any) -> None:
    with pytest.raises(access.AccessDenied):
        services.send_message(
            scene.other, to="school@example.org", subject="Hi", body="Hello", case_id=scene.case.pk
        )
    assert OutboxMessage.objects.count() == 0
    assert audit_actions() == ["access.refused"]


@pytest.mark.parametrize(
    ("to", "message"), [("", "Enter the recipient's e-mail address"), ("not-an-address", "correct format")]
)
def test_bad_recipients_are_rejected(scene: Any, to: str, message: str) -> None:
    with pytest.raises(services.InvalidInput, match=message):
        services.send_message(scene.worker, to=to, subject="Hi", body="Hello")


@pytest.fixture(scope="module")
def pgp_key() -> Any:
    import pgpy
    from pgpy.constants import (
        CompressionAlgorithm,
        HashAlgorithm,
        KeyFlags,
        PubKeyAlgorithm,
        SymmetricKeyAlgorithm,
    )

    key = pgpy.PGPKey.new(PubKeyAlgorithm.RSAEncryptOrSign, 2048)
    key.add_uid(
        pgpy.PGPUID.new("School DSL", email="dsl@school.example"),
        usage={KeyFlags.EncryptCommunications, KeyFlags.EncryptStorage},
        hashes=[HashAlgorithm.SHA256],
        ciphers=[SymmetricKeyAlgorithm.AES256],
        compression=[CompressionAlgorithm.Uncompressed],
    )
    return key


def test_encrypted_to_a_registered_key(scene: Any, pgp_key: Any, audit_actions: Any) -> None:
    with pytest.raises(access.NotPermitted):
        services.register_recipient_key(
            scene.worker, address="dsl@school.example", public_key=str(pgp_key.pubkey)
        )
    with pytest.raises(services.InvalidInput, match="PUBLIC key"):
        services.register_recipient_key(scene.igo, address="dsl@school.example", public_key=str(pgp_key))
    key = services.register_recipient_key(
        scene.igo, address="DSL@school.example", public_key=str(pgp_key.pubkey)
    )
    assert key.address == "dsl@school.example"

    sent = services.send_message(
        scene.worker,
        to="dsl@school.example",
        subject="Kayden Walsh",
        body=CASE_UPDATE,
        request_id=answerable(scene, "dsl@school.example"),
    )

    assert sent.route is Route.ENCRYPTED_EMAIL
    disclosure = Disclosure.objects.get()
    assert disclosure.channel == Channel.ENCRYPTED_EMAIL
    message = disclosure.outbox
    assert "Kayden" not in message.subject and "Kayden" not in message.body
    assert message.body.startswith("-----BEGIN PGP MESSAGE-----")
    import pgpy

    plain = pgp_key.decrypt(pgpy.PGPMessage.from_blob(message.body)).message
    plain = plain.encode() if isinstance(plain, str) else bytes(plain)
    assert b"Kayden Walsh (DOB 3/4/15)" in plain
    assert "outbound.key_registered" in audit_actions()
    event = AuditEvent.objects.get(action="outbound.sent")
    assert key.fingerprint in event.details


def test_a_key_that_cannot_encrypt_is_refused_at_registration(scene: Any) -> None:
    import pgpy
    from pgpy.constants import HashAlgorithm, KeyFlags, PubKeyAlgorithm

    signing = pgpy.PGPKey.new(PubKeyAlgorithm.RSAEncryptOrSign, 2048)
    signing.add_uid(
        pgpy.PGPUID.new("Signer", email="signer@school.example"),
        usage={KeyFlags.Sign},
        hashes=[HashAlgorithm.SHA256],
    )
    with pytest.raises(services.InvalidInput, match="cannot be used to encrypt"):
        services.register_recipient_key(
            scene.igo, address="signer@school.example", public_key=str(signing.pubkey)
        )
    assert not RecipientKey.objects.exists()


# --- the lawful basis (issue "Close every door", findings 2 and 3) ---------------------------


def test_personal_data_by_secure_link_without_a_request_is_refused_and_audited(
    scene: Any, audit_actions: Any
) -> None:
    with pytest.raises(services.Blocked, match="only as the answer to a request"):
        services.send_message(
            scene.worker,
            to="anyone@example.org",
            subject="Update",
            body=CASE_UPDATE,
            route=Route.SECURE_LINK,
            case_id=scene.case.pk,
        )
    assert Disclosure.objects.count() == 0 and OutboxMessage.objects.count() == 0
    event = AuditEvent.objects.get(action="outbound.no_lawful_basis")
    assert event.person_id == scene.child.pk and event.actor_id == scene.worker.pk


def test_a_request_answers_only_its_requester_about_its_subjects(scene: Any, world: Any) -> None:
    request_id = answerable(scene, "ms.patel@school.example")
    with pytest.raises(services.Blocked, match="the answer goes only to them"):
        services.send_message(
            scene.worker,
            to="someone.else@school.example",
            subject="Update",
            body=CASE_UPDATE,
            route=Route.SECURE_LINK,
            request_id=request_id,
        )
    from discretion.records.models import CaseMember

    sibling = world.person("Maisie", "Pemberton-Walsh", dob=None)
    CaseMember.objects.create(case=scene.case, person=sibling)
    from discretion.outbound import subjects

    subjects.reset_index()
    with pytest.raises(services.Blocked, match=r"people request .* is not about"):
        services.send_message(
            scene.worker,
            to="ms.patel@school.example",
            subject="Update",
            body=CASE_UPDATE + "\nAlso Maisie Pemberton-Walsh was seen.",
            route=Route.SECURE_LINK,
            request_id=request_id,
        )
    with pytest.raises(services.Blocked, match="Only the member of staff handling"):  # not theirs
        services.send_message(
            scene.other,
            to="ms.patel@school.example",
            subject="Update",
            body=CASE_UPDATE,
            route=Route.SECURE_LINK,
            request_id=request_id,
        )
    assert Disclosure.objects.count() == 0


def test_a_volunteer_can_never_send_personal_data_out(scene: Any, world: Any, audit_actions: Any) -> None:
    from discretion.staff.models import Alert

    volunteer = world.staff(employment_type="volunteer", responsible=scene.worker, team=scene.team)
    request_id = answerable(scene, "ms.patel@school.example")
    for route in (Route.SECURE_LINK, Route.SECURE_EMAIL, None):
        with pytest.raises(services.Blocked, match="Volunteers and work-experience students cannot"):
            services.send_message(
                volunteer,
                to="ms.patel@school.example",
                subject="Update",
                body=CASE_UPDATE,
                route=route,
                request_id=request_id,
            )
    assert Disclosure.objects.count() == 0 and OutboxMessage.objects.count() == 0
    access.flush_pending_refusals()
    assert audit_actions(actor_id=volunteer.pk).count("disclosure.release.refused") == 3
    alert = Alert.objects.filter(kind="supervised_release", subject_staff=volunteer).first()
    assert alert is not None and alert.recipient == scene.worker
    # A clean message is not a disclosure: it may go as ordinary e-mail.
    sent = services.send_message(volunteer, to="parent@gmail.com", subject="Newsletter", body=NEWSLETTER)
    assert sent.route is Route.EMAIL


def test_disclose_itself_refuses_a_volunteer(scene: Any, world: Any) -> None:
    from discretion.disclosures import services as disclosures

    volunteer = world.staff(employment_type="student", responsible=scene.worker, team=scene.team)
    with pytest.raises(access.NotPermitted):
        disclosures.disclose(
            volunteer,
            recipient=disclosures.Recipient(
                name="X", organisation="", category="external", address="x@y.org"
            ),
            channel=Channel.SECURE_LINK,
            content=b"Kayden Walsh",
            content_name="m.txt",
            source="outbound",
            person_ids=[scene.child.pk],
        )
    assert Disclosure.objects.count() == 0
