"""The smart host's throughput: messages per second through `discretion smtp-relay` with its checks, and
through the same relay with the checks off, in the same run (issue 14). Writes bench/results/relay.json.

Real parts on loopback: smtplib sends over STARTTLS (one connection, many messages) to the relay, whose
worker checks each message against a small synthetic council (seeded, SQLite) and hands it over STARTTLS
to an aiosmtpd next hop. A message counts as through when the next hop has it, or, refused, its bounce.
The same messages go through both runs: the project's labelled corpus (about two in three carry a
child's data; from a member of staff without a lawful basis, those are bounced).

Run: .venv/bin/python bench/bench_relay.py [--messages N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import os
import platform
import smtplib
import ssl
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
os.environ["DISCRETION_VAR"] = tempfile.mkdtemp(prefix="discretion-bench-relay-")
os.environ.setdefault("DISCRETION_AUDIT_CHECKPOINT", str(Path(tempfile.mkdtemp()) / "checkpoint.json"))
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from discretion import seed  # noqa: E402
from discretion.outbound.relay.forward import NextHop  # noqa: E402
from discretion.outbound.relay.server import Config, Relay  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def certificate(directory: Path) -> tuple[Path, Path]:
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


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.target = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
            if self.count >= self.target:
                self.done.set()
        return "250 OK"


class AnyPort(Controller):
    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def messages(count: int, sender: str) -> list[EmailMessage]:
    rows = [json.loads(line) for line in (ROOT / "tests/data/outbound_corpus.jsonl").read_text().splitlines()]
    out = []
    for n in range(count):
        row = rows[n % len(rows)]
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = sender, f"partner{n}@agency.example", f"Note {n}"
        message.set_content(row["text"])
        out.append(message)
    return out


def run(checks: bool, batch: list[EmailMessage], cert: tuple[Path, Path], spool: Path) -> dict[str, object]:
    counter = Counter()
    counter.target = len(batch)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*cert)
    hop = AnyPort(counter, hostname="127.0.0.1", port=0, tls_context=context)
    hop.start()
    relay = Relay(
        Config(
            spool=spool,
            next_hop=NextHop("127.0.0.1", int(hop.port), tls="required", timeout=30),
            tls_cert=str(cert[0]),
            tls_key=str(cert[1]),
            port=0,
            checks=checks,
        )
    )
    port = relay.start()
    relay.start_worker()
    client = ssl.create_default_context(cafile=str(cert[0]))
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.starttls(context=client)
        for message in batch:
            smtp.send_message(message)
    finished = counter.done.wait(timeout=600)
    seconds = time.perf_counter() - start
    relay.stop()
    hop.stop()
    return {
        "checks": checks,
        "messages": len(batch),
        "through": counter.count,
        "complete": finished,
        "seconds": round(seconds, 2),
        "messages_per_second": round(counter.count / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
    with transaction.atomic():
        seed.build("small", 1)
    workdir = Path(tempfile.mkdtemp(prefix="discretion-relay-"))
    cert = certificate(workdir)
    settings.DISCRETION_SMTP_CAFILE = str(cert[0])
    settings.DISCRETION_COUNCIL_DOMAINS = ["council.example"]
    batch = messages(args.messages, "sarah.hughes@council.example")
    run(True, batch[:20], cert, workdir / "warm")  # warm the finder's index and the code paths
    off = run(False, batch, cert, workdir / "off")
    on = run(True, batch, cert, workdir / "on")
    report = {
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "database": "sqlite (WAL), small seeded council",
        },
        "checks_off": off,
        "checks_on": on,
        "checks_on_over_off": round(float(on["messages_per_second"]) / float(off["messages_per_second"]), 2),  # type: ignore[arg-type]
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "relay.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
