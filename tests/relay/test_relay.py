"""The smart host (issue 14): a real SMTP client sends through the relay to a real next hop on loopback."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import select
import signal
import smtplib
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from discretion.audit.models import AuditEvent
from discretion.disclosures.links import code_matches
from discretion.disclosures.models import Channel, Disclosure, SecureLink
from discretion.outbound.relay.server import Relay
from discretion.outbound.relay.spool import Entry, Spool
from discretion.requests.models import Request
from tests.conftest import approved_request
from tests.requests.helpers import council

from .conftest import client_context, mail, make_relay, send

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CASE_NOTE = "Kayden Walsh (DOB 03/04/2015) was upset at school today; mum has been told."
LATER = dt.timedelta(minutes=5)


def drain(relay: Relay, now: dt.datetime | None = None) -> None:
    """Work the queue until nothing due is left (a refusal queues a bounce, taken on the next pass)."""
    for _ in range(10):
        if not relay.process_due(now):
            return
    raise AssertionError("the queue did not settle")


def details(action: str) -> list[dict[str, Any]]:
    """The events' details, less the channel (every one of them "smtp": the smart host did it)."""
    found = [
        json.loads(d)
        for d in AuditEvent.objects.filter(action=action).order_by("seq").values_list("details", flat=True)
    ]
    assert all(d.pop("channel") == "smtp" for d in found)
    return found


def mailbox(world: Any, email: str, **kw: Any) -> Any:
    member = world.staff(**kw)
    member.email = email
    member.save()
    return member


def test_a_clean_message_is_relayed_over_tls_with_a_trace_header(world, relay, next_hop, cert) -> None:
    inbox, _ = next_hop
    reply = send(
        relay.port, cert, mail("sarah@council.example", "head@school.example", "Rota", "June rota attached.")
    )
    assert reply.startswith("2.0.0 Queued as ")
    assert len(relay.spool) == 1  # on disk before the client heard "queued"
    drain(relay)
    [got] = inbox.received
    assert (got.mail_from, got.rcpt_tos) == ("sarah@council.example", ["head@school.example"])
    assert "by relay.council.example (Discretion) with ESMTPS id" in str(got.message["Received"])
    assert got.message.get_content().strip() == "June rota attached."
    assert len(relay.spool) == 0
    assert [d["verdict"] for d in details("relay.checked")] == ["allow"]
    assert details("relay.relayed") == [{"kind": "message", "attempts": 1, "domains": ["school.example"]}]


def test_mail_is_refused_before_starttls_from_unknown_hosts_and_over_the_size_limit(
    world, relay, next_hop, cert, tmp_path
) -> None:
    _, hop_port = next_hop
    with smtplib.SMTP("127.0.0.1", relay.port, timeout=10) as smtp:
        smtp.ehlo()
        code, text = smtp.mail("sarah@council.example")
        assert code == 530 and b"STARTTLS" in text
    elsewhere = make_relay(tmp_path / "other", cert, hop_port, allowed_networks=("10.0.0.0/8",))
    port = elsewhere.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.ehlo()
            smtp.starttls(context=client_context(cert))
            smtp.ehlo()
            code, text = smtp.mail("sarah@council.example")
            assert code == 550 and b"Relaying denied" in text
    finally:
        elsewhere.stop()
    small = make_relay(tmp_path / "small", cert, hop_port, max_bytes=2000)
    port = small.start()
    try:
        big = mail("sarah@council.example", "a@b.example", "Big", ("x" * 70 + "\n") * 80)
        with (
            smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp,
            pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as refused,
        ):
            smtp.starttls(context=client_context(cert))
            smtp.sendmail("sarah@council.example", ["a@b.example"], bytes(big))
        assert refused.value.smtp_code == 552
    finally:
        small.stop()
    assert len(small.spool) == 0 and len(elsewhere.spool) == 0


def test_personal_data_from_a_mailbox_no_one_owns_is_refused_with_a_plain_english_bounce(
    world, relay, next_hop, cert
) -> None:
    inbox, _ = next_hop
    c = council(world)
    send(relay.port, cert, mail("team.inbox@council.example", "gp@surgery.example", "Update", CASE_NOTE))
    drain(relay)
    [bounce] = inbox.received
    assert (
        bounce.rcpt_tos == ["team.inbox@council.example"] and bounce.mail_from == "no-reply@council.example"
    )
    text = bounce.message.get_body(("plain",)).get_content()
    assert bounce.message["Subject"] == "Not sent: Update"
    assert "not one member of staff's" in text and "a child's name in the message" in text
    assert "a child's date of birth in the message" in text and "Kayden" not in text  # never the text found
    assert not inbox.to("gp@surgery.example")
    [refused] = details("relay.refused")
    assert refused["refusal"] == "unknown_sender" and refused["verdict"] == "block"
    event = AuditEvent.objects.get(action="relay.refused")
    assert event.person_id == c.child.pk and "Kayden" not in event.details


def test_a_volunteer_never_sends_personal_data_outside(world, relay, next_hop, cert) -> None:
    inbox, _ = next_hop
    c = council(world)
    mailbox(world, "amy@council.example", employment_type="volunteer", responsible=c.worker)
    send(relay.port, cert, mail("amy@council.example", "gp@surgery.example", "Update", CASE_NOTE))
    drain(relay)
    [bounce] = inbox.received
    assert "Volunteers and work-experience students" in bounce.message.get_body(("plain",)).get_content()
    assert details("relay.refused")[0]["refusal"] == "supervised_sender"


def test_staff_without_a_lawful_basis_are_told_how_to_cite_one(world, relay, next_hop, cert) -> None:
    inbox, _ = next_hop
    c = council(world)
    c.worker.email = "worker@council.example"
    c.worker.save()
    send(relay.port, cert, mail("worker@council.example", "gp@surgery.example", "Update", CASE_NOTE))
    drain(relay)
    [bounce] = inbox.received
    text = " ".join(bounce.message.get_body(("plain",)).get_content().split())
    assert "like [request 123], and send again; or send it from Discretion instead" in text
    assert not Disclosure.objects.exists()


def test_inside_the_council_personal_data_is_relayed_as_it_is(world, relay, next_hop, cert) -> None:
    inbox, _ = next_hop
    council(world)
    send(relay.port, cert, mail("worker@council.example", "manager@council.example", "Update", CASE_NOTE))
    drain(relay)
    [got] = inbox.received
    assert got.rcpt_tos == ["manager@council.example"] and "Kayden Walsh" in got.message.get_content()
    assert not Disclosure.objects.exists()


def test_citing_an_approved_request_releases_by_secure_link_and_registers_it(
    world, relay, next_hop, cert
) -> None:
    inbox, _ = next_hop
    c = council(world)
    # The lawful basis: an approved request from the person written to (the answer goes only to them).
    req = Request.objects.get(pk=approved_request(world, c.worker, c.child, "officer@agency.example"))
    c.worker.email = "worker@council.example"
    c.worker.save()
    message = mail(
        "worker@council.example", "officer@agency.example", f"Kayden [request {req.pk}]", CASE_NOTE
    )
    message["Cc"] = "manager@council.example"
    send(relay.port, cert, message)
    drain(relay)

    [disclosure] = Disclosure.objects.filter(source="smtp_relay")
    assert disclosure.channel == Channel.SECURE_LINK and disclosure.released_by == c.worker
    assert disclosure.recipient_address == "officer@agency.example" and disclosure.legal_basis
    assert list(disclosure.people.values_list("pk", flat=True)) == [c.child.pk]
    req.refresh_from_db()
    assert req.state == "released" and req.disclosure_id == disclosure.pk
    # The outside recipient gets only a link; the colleague inside the council gets the message.
    [link_mail] = inbox.to("officer@agency.example")
    assert "/download/" in link_mail.message.get_content() and "Kayden" not in link_mail.message.get_content()
    [inside] = inbox.to("manager@council.example")
    assert "Kayden Walsh" in inside.message.get_content()
    # The sender gets the one-time code, to give by phone; it opens this release.
    [notice] = inbox.to("worker@council.example")
    code = notice.message.get_content().split("One-time code: ")[1][:6]
    assert code_matches(SecureLink.objects.get(message__disclosure=disclosure), code)
    [released] = details("relay.released")
    assert released["request"] == req.pk and released["releases"] == [["agency.example", "secure_link"]]
    assert AuditEvent.objects.filter(action="disclosure.released", object_id=str(disclosure.pk)).exists()
    relay.spool.recover(lambda _: True)
    drain(relay)  # nothing is released twice
    assert Disclosure.objects.filter(source="smtp_relay").count() == 1


def _docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def test_personal_data_in_a_word_file_inside_a_zip_is_found(world, relay, next_hop, cert) -> None:
    inbox, _ = next_hop
    council(world)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("notes/visit.docx", _docx("Visit to Kayden Walsh, DOB 03/04/2015."))
    message = mail("team@council.example", "gp@surgery.example", "=?utf-8?b?UmVwb3J0cw==?=", "Attached.")
    message.add_attachment(outer.getvalue(), maintype="application", subtype="zip", filename="reports.zip")
    send(relay.port, cert, message)
    drain(relay)
    [bounce] = inbox.received
    text = bounce.message.get_body(("plain",)).get_content()
    assert "a child's name in the attachment reports.zip (notes/visit.docx)" in text
    assert not inbox.to("gp@surgery.example")


def test_an_attachment_that_cannot_be_read_is_treated_as_personal_data(world, relay, next_hop, cert) -> None:
    inbox, _ = next_hop
    message = mail("team@council.example", "gp@surgery.example", "Scan", "See the scan.")
    message.add_attachment(
        b"\xff\xd8\xff\xe0 not really a jpeg", maintype="image", subtype="jpeg", filename="scan.jpg"
    )
    send(relay.port, cert, message)
    drain(relay)
    [bounce] = inbox.received
    assert (
        "the attachment scan.jpg, which could not be read"
        in bounce.message.get_body(("plain",)).get_content()
    )


def test_a_look_alike_domain_is_refused(world, relay, next_hop, cert, settings) -> None:
    inbox, _ = next_hop
    settings.DISCRETION_KNOWN_DOMAINS = ["lancashire-council.gov.uk"]
    c = council(world)
    req = Request.objects.get(pk=approved_request(world, c.worker, c.child, "sw@lancashire-counci1.gov.uk"))
    c.worker.email = "worker@council.example"
    c.worker.save()
    send(
        relay.port,
        cert,
        mail("worker@council.example", "sw@lancashire-counci1.gov.uk", f"[request {req.pk}]", CASE_NOTE),
    )
    drain(relay)
    [bounce] = inbox.received
    text = " ".join(bounce.message.get_body(("plain",)).get_content().split())
    assert "lancashire-counci1.gov.uk looks like an address the council knows" in text
    assert details("relay.refused")[0]["refusal"] == "lookalike_domain" and not Disclosure.objects.exists()


def test_the_next_hop_refuses_then_accepts_and_the_message_arrives_once(world, relay, next_hop, cert) -> None:
    inbox, _ = next_hop
    inbox.refuse = 2
    send(relay.port, cert, mail("sarah@council.example", "head@school.example", "Rota", "June rota."))
    now = dt.datetime.now(dt.UTC)
    drain(relay, now)
    [waiting] = relay.spool.entries()
    assert waiting.attempts == 1 and waiting.stage == "send" and "451" in waiting.last_error
    assert relay.process_due(now) == 0  # not due again yet: backoff
    drain(relay, now + LATER)
    assert inbox.received == [] and next(relay.spool.entries()).attempts == 2
    drain(relay, now + 3 * LATER)
    assert [a.rcpt_tos for a in inbox.received] == [["head@school.example"]]
    assert len(relay.spool) == 0
    assert [d["attempts"] for d in details("relay.deferred")] == [1, 2]


def test_a_permanent_refusal_and_giving_up_both_bounce_to_the_sender(world, relay, next_hop, cert) -> None:
    inbox, _ = next_hop
    inbox.refuse, inbox.answer = 1, "550 5.1.1 No such user here"
    send(relay.port, cert, mail("sarah@council.example", "nobody@school.example", "Rota", "June rota."))
    drain(relay)
    [bounce] = inbox.received
    assert bounce.message["Subject"] == "Undeliverable: Rota"
    assert "550 5.1.1" in bounce.message.get_body(("plain",)).get_content()
    inbox.received.clear()
    inbox.always_refuse, inbox.answer = "head@school.example", "451 4.3.0 Busy"
    send(relay.port, cert, mail("sarah@council.example", "head@school.example", "Rota 2", "July rota."))
    now = dt.datetime.now(dt.UTC)
    drain(relay, now)
    assert inbox.received == [] and len(relay.spool) == 1
    drain(relay, now + dt.timedelta(hours=73))
    [gave_up] = inbox.received
    assert gave_up.message["Subject"] == "Undeliverable: Rota 2" and gave_up.rcpt_tos == [
        "sarah@council.example"
    ]
    assert len(relay.spool) == 0


def test_a_restarted_relay_delivers_what_the_stopped_one_accepted_exactly_once(
    world, next_hop, cert, tmp_path, settings
) -> None:
    inbox, hop_port = next_hop
    first = make_relay(tmp_path / "spool", cert, hop_port)
    port = first.start()
    send(port, cert, mail("sarah@council.example", "head@school.example", "Rota", "June rota."))
    first.stop()  # stopped before the worker ran: the message is only on disk
    # What a crash mid-write leaves: a half-written file and a message whose state never landed.
    (tmp_path / "spool" / "tmp" / "half.eml.1234").write_bytes(b"From: x")
    (tmp_path / "spool" / "queue" / "00000000000000000000000000.eml").write_bytes(b"Subject: lost\r\n\r\nx")
    second = make_relay(tmp_path / "spool", cert, hop_port)
    assert second.recover() == 2
    drain(second)
    third = make_relay(tmp_path / "spool", cert, hop_port)
    third.recover()
    drain(third)
    assert [a.message["Subject"] for a in inbox.received] == ["Rota"]


def test_a_notice_left_pending_by_a_crash_goes_out_only_if_its_release_committed(tmp_path) -> None:
    spool = Spool(tmp_path)
    for entry_id in ("a-notice", "b-notice"):
        spool.add_pending(
            Entry(entry_id, "", ("sw@council.example",), "2026-12-03T09:00:00+00:00", stage="send"), b"x"
        )
    spool.recover(lambda notice_id: notice_id == "a-notice")
    assert [e.id for e in spool.entries()] == ["a-notice"] and not list(spool.pending.iterdir())


def test_the_smtp_relay_command_listens_queues_and_loses_nothing_when_killed(
    world, next_hop, cert, tmp_path, settings
) -> None:
    inbox, hop_port = next_hop
    env = {
        **os.environ,
        "DISCRETION_RELAY_TLS_CERT": str(cert[0]),
        "DISCRETION_RELAY_TLS_KEY": str(cert[1]),
        "DISCRETION_RELAY_PORT": "0",
        "DISCRETION_RELAY_SPOOL": str(tmp_path / "spool"),
        "DISCRETION_RELAY_NEXT_HOP": f"127.0.0.1:{hop_port}",
        "DISCRETION_SMTP_CAFILE": str(cert[0]),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",  # no tables: the worker cannot check yet
    }
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/discretion"), "smtp-relay"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, proc.stderr.read() if proc.stderr else ""
        line = proc.stdout.readline()
        assert "listening on 127.0.0.1:" in line, line
        port = int(line.split("listening on 127.0.0.1:")[1].split(",")[0])
        send(port, cert, mail("sarah@council.example", "head@school.example", "Rota", "June rota."))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    restarted = make_relay(tmp_path / "spool", cert, hop_port)
    restarted.recover()
    drain(restarted)
    assert [a.rcpt_tos for a in inbox.received] == [["head@school.example"]]


def test_the_smtp_relay_command_needs_a_certificate(tmp_path) -> None:
    env = {**os.environ, "DISCRETION_RELAY_TLS_CERT": "", "DISCRETION_RELAY_SPOOL": str(tmp_path / "s")}
    proc = subprocess.run(
        [sys.executable, "-m", "discretion.cli", "smtp-relay"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "STARTTLS is required" in proc.stderr and proc.stderr.count("\n") == 1


def test_base64_and_quoted_printable_parts_are_read(world, relay, next_hop, cert) -> None:
    inbox, _ = next_hop
    council(world)
    raw = (
        "From: team@council.example\r\nTo: gp@surgery.example\r\nSubject: Notes\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="b"\r\n\r\n--b\r\n'
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(b"All well at the review.").decode()
        + "\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        "<p>Kayden=20Walsh (DOB 03/04/2015) was upset.</p>\r\n--b--\r\n"
    )
    with smtplib.SMTP("127.0.0.1", relay.port, timeout=10) as smtp:
        smtp.starttls(context=client_context(cert))
        smtp.sendmail("team@council.example", ["gp@surgery.example"], raw.encode())
    drain(relay)
    [bounce] = inbox.received
    assert "a child's name in the message" in bounce.message.get_body(("plain",)).get_content()
