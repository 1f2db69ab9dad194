"""Real SMTP servers on loopback (aiosmtpd): one plain, one offering STARTTLS with a self-signed
certificate made here; the client trusts it through DISCRETION_SMTP_CAFILE."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool


@dataclass
class Inbox:
    """An aiosmtpd handler keeping what arrived and whether the session was under TLS."""

    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, session.ssl is not None)
        )
        return "250 Message accepted"


@dataclass
class Server:
    port: int
    inbox: Inbox


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("smtp-tls"))


def _serve(**parameters: Any) -> Iterator[Server]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **parameters)
    controller.start()
    try:
        yield Server(port, inbox)
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def _plain_server() -> Iterator[Server]:
    yield from _serve()


@pytest.fixture(scope="session")
def _tls_server(certificate: tuple[Path, Path]) -> Iterator[Server]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    yield from _serve(tls_context=context, require_starttls=False)


@pytest.fixture
def plain_server(_plain_server: Server) -> Server:
    _plain_server.inbox.received.clear()
    return _plain_server


@pytest.fixture
def tls_server(_tls_server: Server) -> Server:
    _tls_server.inbox.received.clear()
    return _tls_server


@pytest.fixture(autouse=True)
def _mail_settings(settings: Any, certificate: tuple[Path, Path]) -> None:
    settings.DISCRETION_SMTP_HOST = "127.0.0.1"
    settings.DISCRETION_SMTP_PORT = 1  # each test points at the server it means
    settings.DISCRETION_SMTP_CAFILE = str(certificate[0])
    settings.DISCRETION_SMTP_TIMEOUT = 10
    settings.DISCRETION_MAIL_FROM = "no-reply@council.example"
    settings.SITE_URL = "https://discretion.council.example"
