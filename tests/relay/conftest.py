"""The smart host against real SMTP on loopback: smtplib as the sending mail server, the relay itself
(aiosmtpd, STARTTLS with a throw-away certificate), and an aiosmtpd next hop that can be told to refuse."""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from discretion.outbound.relay.forward import NextHop
from discretion.outbound.relay.server import Config, Relay
from tests.delivery.conftest import self_signed


@dataclass
class Arrived:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class NextHopInbox:
    """The council's next hop: keeps what arrives; refuses the next `refuse` messages with `answer`."""

    received: list[Arrived] = field(default_factory=list)
    refuse: int = 0
    answer: str = "451 4.3.0 Try again later"
    always_refuse: str = ""  # a recipient whose mail is always refused (with `answer`)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.always_refuse and self.always_refuse in envelope.rcpt_tos:
            return self.answer
        if self.refuse:
            self.refuse -= 1
            return self.answer
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Arrived(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[Arrived]:
        return [a for a in self.received if address in a.rcpt_tos]


class _AnyPortController(Controller):
    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture(scope="session")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("relay-tls"))


@pytest.fixture
def next_hop(cert: tuple[Path, Path]) -> Iterator[tuple[NextHopInbox, int]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*cert)
    inbox = NextHopInbox()
    controller = _AnyPortController(inbox, hostname="127.0.0.1", port=0, tls_context=context)
    controller.start()
    try:
        yield inbox, int(controller.port)
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _relay_settings(settings: Any, cert: tuple[Path, Path]) -> None:
    settings.DISCRETION_SMTP_CAFILE = str(cert[0])  # trust the throw-away certificate
    settings.DISCRETION_MAIL_FROM = "no-reply@council.example"
    settings.DISCRETION_COUNCIL_DOMAINS = ["council.example"]
    settings.DISCRETION_RELAY_PERSONAL_DATA = "secure_link"
    settings.SITE_URL = "https://discretion.council.example"
    settings.COUNCIL_PHONES = ["01772 123456"]
    settings.COUNCIL_ADDRESSES = ["County Hall, Fishergate, Preston PR1 8XJ"]


def make_relay(spool: Path, cert: tuple[Path, Path], hop_port: int, **changes: Any) -> Relay:
    config = Config(
        spool=spool,
        next_hop=NextHop("127.0.0.1", hop_port, tls="required", timeout=10),
        tls_cert=str(cert[0]),
        tls_key=str(cert[1]),
        port=0,
        hostname="relay.council.example",
        **changes,
    )
    return Relay(config)


@pytest.fixture
def relay(
    tmp_path: Path, cert: tuple[Path, Path], next_hop: tuple[NextHopInbox, int], settings: Any
) -> Iterator[Relay]:
    _, hop_port = next_hop
    settings.DISCRETION_SMTP_HOST, settings.DISCRETION_SMTP_PORT = "127.0.0.1", hop_port  # the outbox's sends
    the_relay = make_relay(tmp_path / "spool", cert, hop_port)
    the_relay.port = the_relay.start()  # type: ignore[attr-defined]
    try:
        yield the_relay
    finally:
        the_relay.stop()


def client_context(cert: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert[0]))


def send(port: int, cert: tuple[Path, Path], message: EmailMessage, *, starttls: bool = True) -> str:
    """A real SMTP client: EHLO, STARTTLS, MAIL, RCPT, DATA. Returns the relay's reply to DATA."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.ehlo("exchange.council.example")
        if starttls:
            smtp.starttls(context=client_context(cert))
            smtp.ehlo("exchange.council.example")
        recipients = [
            a.strip() for field_ in ("To", "Cc") for a in str(message.get(field_, "")).split(",") if a.strip()
        ]
        smtp.mail(str(message["From"]))
        for r in recipients:
            smtp.rcpt(r)
        code, reply = smtp.data(message.as_bytes(policy=policy.SMTP))
        assert code == 250, reply
        return reply.decode()


def mail(frm: str, to: str, subject: str, body: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = frm, to, subject
    message["Date"] = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message
