"""The smart host: an SMTP server (aiosmtpd, STARTTLS) that queues each message on disk, and a worker that
checks it and relays, releases or refuses it (outbound/relay/rules.py), retrying the next hop with backoff
until it accepts.

- Only hosts on DISCRETION_RELAY_ALLOWED_NETWORKS may send through it (no open relay); STARTTLS is
  required before MAIL; a message over DISCRETION_MAX_MESSAGE_BYTES is refused at DATA (552).
- "250 queued" is said only once the message is on disk (spool.py): a crash loses nothing acknowledged.
- The worker takes each queued message in turn: checked once, then handed to the next hop; a temporary
  failure waits 1, 2, 4 … 60 minutes; after DISCRETION_RELAY_GIVE_UP_HOURS the sender gets a bounce.
  A permanent refusal by the next hop bounces to the sender too. The relay's own bounces and notices
  are never bounced in turn.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import logging
import ssl
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.db import DatabaseError, close_old_connections, transaction

from discretion.audit import services as audit
from discretion.audit.context import AuditContext, reset_context, set_context
from discretion.disclosures.services import refuse_supervised_release
from discretion.outbound.relay import messages, rules
from discretion.outbound.relay.forward import NextHop, hand_over
from discretion.outbound.relay.spool import Entry, Spool, new_id
from discretion.outbound.services import domain_of

log = logging.getLogger(__name__)
MAX_RECIPIENTS = 100


@dataclass(frozen=True)
class Config:
    spool: Path
    next_hop: NextHop
    tls_cert: str = ""
    tls_key: str = ""
    listen: str = "127.0.0.1"
    port: int = 2525
    require_tls: bool = True
    allowed_networks: tuple[str, ...] = ("127.0.0.1/32", "::1/128")
    max_bytes: int = 25 * 1024 * 1024
    give_up: dt.timedelta = dt.timedelta(hours=72)
    hostname: str = "discretion-relay"
    checks: bool = True  # off only for the benchmark's baseline: the same relay without the guard
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "networks", tuple(ipaddress.ip_network(n, strict=False) for n in self.allowed_networks)
        )

    def allows(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in net for net in self.networks)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(3600, 60 * 2 ** max(0, attempts - 1)))


class _Controller(Controller):
    """aiosmtpd's controller, on port 0 if asked: the system picks a free port, read back after binding."""

    def _trigger_server(self) -> None:
        server: Any = self.server
        if self.port == 0 and server is not None:
            self.port = server.sockets[0].getsockname()[1]
        trigger: Any = super()._trigger_server
        trigger()


class _Handler:
    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        if not self.relay.config.allows(str(session.peer[0])):
            return "550 5.7.1 Relaying denied: this host may not send through Discretion"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return f"452 4.5.3 No more than {MAX_RECIPIENTS} recipients a message"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        if not isinstance(content, bytes):
            content = str(content).encode("utf-8", errors="replace")
        entry_id = new_id()
        tls = "ESMTPS" if session.ssl else "ESMTP"
        received = (
            f"Received: from {session.host_name} ([{session.peer[0]}])\r\n"
            f"\tby {self.relay.config.hostname} (Discretion) with {tls} id {entry_id};\r\n"
            f"\t{formatdate(localtime=True)}\r\n"
        ).encode()
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(
                None,
                lambda: self.relay.spool.accept(
                    envelope.mail_from or "",
                    list(envelope.rcpt_tos),
                    received + content,
                    peer=str(session.peer[0]),
                    entry_id=entry_id,
                ),
            )
        except OSError:
            log.exception("relay: could not queue a message")
            return "451 4.3.0 Could not queue the message; try again later"
        self.relay.wake.set()
        return f"250 2.0.0 Queued as {entry_id}"


class Relay:
    """The smart host: `start()` listens, `start_worker()` works the queue (or call `process_due()`)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.spool = Spool(config.spool)
        self.wake = threading.Event()
        self._stop = threading.Event()
        self._controller: _Controller | None = None
        self._worker: threading.Thread | None = None

    # -- the SMTP side -----------------------------------------------------------------------------

    def tls_context(self) -> ssl.SSLContext | None:
        if not self.config.tls_cert:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.config.tls_cert, self.config.tls_key or None)
        return context

    def start(self) -> int:
        """Listen; returns the port (the system's choice when the config says 0)."""
        context = self.tls_context()
        if context is None and self.config.require_tls:
            raise ValueError("STARTTLS is required: set a certificate and key for the relay")
        self._controller = _Controller(
            _Handler(self),
            hostname=self.config.listen,
            port=self.config.port,
            server_hostname=self.config.hostname,
            tls_context=context,
            require_starttls=self.config.require_tls,
            data_size_limit=self.config.max_bytes,
            decode_data=False,
            enable_SMTPUTF8=True,
            ident="Discretion mail guard",
        )
        self._controller.start()
        return int(self._controller.port)

    def stop(self) -> None:
        self.stop_worker()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    # -- the worker --------------------------------------------------------------------------------

    def recover(self) -> int:
        """After a restart: settle what a crash left half-done (spool.recover)."""
        return self.spool.recover(lambda notice_id: rules.already_released(notice_id.removesuffix("-notice")))

    def start_worker(self) -> None:
        self._stop.clear()
        self._worker = threading.Thread(target=self._run, name="relay-worker", daemon=True)
        self._worker.start()

    def stop_worker(self) -> None:
        if self._worker is not None:
            self._stop.set()
            self.wake.set()
            self._worker.join()
            self._worker = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.wake.clear()
            try:
                self.process_due()
            except Exception:  # the worker must outlive one bad message or a database blip
                log.exception("relay: worker pass failed")
            finally:
                close_old_connections()
            self.wake.wait(timeout=self._next_wait())

    def _next_wait(self) -> float:
        now = dt.datetime.now(dt.UTC)
        waits = [
            (dt.datetime.fromisoformat(e.next_attempt_at) - now).total_seconds() if e.next_attempt_at else 0.0
            for e in self.spool.entries()
        ]
        return max(0.05, min(waits, default=30.0))

    def process_due(self, now: dt.datetime | None = None) -> int:
        """Take every queued message that is due once; returns how many were taken."""
        now = now or dt.datetime.now(dt.UTC)
        taken = 0
        for entry in list(self.spool.entries()):
            if not entry.due(now) or not self.spool.has(entry.id):
                continue
            taken += 1
            # Audit events say the smart host did it, for the host that sent the message.
            token = set_context(AuditContext(ip=entry.peer, channel="smtp"))
            try:
                if entry.stage == "check":
                    self._check(entry, now)
                else:
                    self._send(entry, now)
            except DatabaseError:
                log.exception("relay: database unavailable; message %s stays queued", entry.id)
                self.spool.update(entry, next_attempt_at=(now + backoff(entry.attempts + 1)).isoformat())
            finally:
                reset_context(token)
        return taken

    def _check(self, entry: Entry, now: dt.datetime) -> None:
        content = self.spool.content(entry)
        if not self.config.checks:
            self._send(self.spool.update(entry, stage="send"), now)
            return
        message, plan = rules.plan(entry.mail_from, entry.rcpt_tos, content)
        if plan.refusal is not None:
            rules.audit_plan(entry.id, entry.mail_from, plan)
            if plan.refusal is rules.Refusal.SUPERVISED and plan.actor is not None:
                # As on the page: audited, and shown to their responsible member of staff (policy 1.2).
                refuse_supervised_release(plan.actor, plan.person_ids, what="e-mail through the smart host")
            if entry.mail_from:
                self._queue_own(
                    f"{entry.id}-bounce",
                    entry.mail_from,
                    messages.bounce(entry.mail_from, message, entry.rcpt_tos, plan.reason, plan.check),
                    kind="bounce",
                )
            self.spool.remove(entry)
            return
        if plan.releases:
            self._release(entry, plan, message, content)
        else:
            rules.audit_plan(entry.id, entry.mail_from, plan)
        if plan.relay_to:
            self._send(self.spool.update(entry, stage="send", rcpt_tos=plan.relay_to), now)
        else:
            self.spool.remove(entry)

    def _release(self, entry: Entry, plan: rules.Plan, message: Any, content: bytes) -> None:
        """Register and queue the releases; the sender's notice (with the one-time codes) goes out only if
        that commits (spool pending/), and a crash after the commit never releases twice."""
        if rules.already_released(entry.id):
            return  # released before a crash; recover() settled its notice
        notice_id = f"{entry.id}-notice"
        try:
            with transaction.atomic():
                releases = rules.release(entry.id, plan, message, content)
                rules.audit_plan(entry.id, entry.mail_from, plan)
                assert plan.basis is not None
                notice = messages.notice(entry.mail_from, message, releases, plan.basis.request_id)
                self.spool.add_pending(self._own_entry(notice_id, entry.mail_from, "notice"), notice)
        except BaseException:
            self.spool.drop_pending(notice_id)
            raise
        self.spool.commit_pending(notice_id)
        self.wake.set()
        self._deliver_outbox()

    def _deliver_outbox(self) -> None:
        """Send the releases now rather than at the next `discretion deliver`; a failure stays queued."""
        from discretion.disclosures.delivery import send_outbox_message
        from discretion.disclosures.services import deliver_pending

        try:
            deliver_pending(send_outbox_message, limit=50)
        except Exception:
            log.exception("relay: outbox delivery failed; `discretion deliver` will retry")

    def _own_entry(self, entry_id: str, to: str, kind: str) -> Entry:
        # From the council's no-reply address; a bounce or notice of ours that cannot be delivered is
        # dropped (audited), never bounced: no loops.
        from django.conf import settings

        return Entry(
            id=entry_id,
            mail_from=str(getattr(settings, "DISCRETION_MAIL_FROM", "no-reply@council.example")),
            rcpt_tos=(to,),
            received_at=dt.datetime.now(dt.UTC).isoformat(),
            stage="send",
            kind=kind,
        )

    def _queue_own(self, entry_id: str, to: str, content: bytes, *, kind: str) -> None:
        if not self.spool.has(entry_id):
            self.spool.add(self._own_entry(entry_id, to, kind), content)

    def _send(self, entry: Entry, now: dt.datetime) -> None:
        content = self.spool.content(entry)
        handed = hand_over(self.config.next_hop, entry.mail_from, entry.rcpt_tos, content)
        details: dict[str, object] = {"kind": entry.kind, "attempts": entry.attempts + 1}
        if handed.accepted:
            audit.record(
                None,
                "relay.relayed",
                object_type="mail",
                object_id=entry.id,
                details={**details, "domains": sorted({domain_of(r) for r in handed.accepted})},
            )
        if handed.refused:
            self._undeliverable(entry, content, handed.refused, details)
        if handed.deferred:
            if now - entry.received() > self.config.give_up:
                self._undeliverable(entry, content, handed.deferred, details)
            else:
                audit.record(
                    None,
                    "relay.deferred",
                    object_type="mail",
                    object_id=entry.id,
                    details={**details, "domains": sorted({domain_of(r) for r in handed.deferred})},
                )
                self.spool.update(
                    entry,
                    rcpt_tos=tuple(handed.deferred),
                    attempts=entry.attempts + 1,
                    next_attempt_at=(now + backoff(entry.attempts + 1)).isoformat(),
                    last_error="; ".join(sorted(set(handed.deferred.values())))[:500],
                )
                return
        self.spool.remove(entry)

    def _undeliverable(
        self, entry: Entry, content: bytes, refused: dict[str, str], details: dict[str, object]
    ) -> None:
        audit.record(
            None,
            "relay.bounced",
            object_type="mail",
            object_id=entry.id,
            details={**details, "domains": sorted({domain_of(r) for r in refused})},
        )
        if entry.mail_from and entry.kind == "message":
            from email import message_from_bytes, policy

            original = message_from_bytes(content, policy=policy.default)
            self._queue_own(
                f"{entry.id}-undeliverable",
                entry.mail_from,
                messages.undeliverable(entry.mail_from, original, refused),
                kind="bounce",
            )


def config_from_settings(**overrides: Any) -> Config:
    """The relay's configuration from Django settings (docs/smtp-relay.md), with command-line overrides."""
    import socket

    from django.conf import settings

    host, _, port = str(settings.DISCRETION_RELAY_NEXT_HOP).rpartition(":")
    values: dict[str, Any] = {
        "spool": Path(settings.DISCRETION_RELAY_SPOOL),
        "next_hop": NextHop(
            host or str(settings.DISCRETION_RELAY_NEXT_HOP),
            int(port) if port.isdigit() else 25,
            tls=str(settings.DISCRETION_RELAY_NEXT_HOP_TLS),
            timeout=float(settings.DISCRETION_SMTP_TIMEOUT),
        ),
        "tls_cert": str(settings.DISCRETION_RELAY_TLS_CERT),
        "tls_key": str(settings.DISCRETION_RELAY_TLS_KEY),
        "listen": str(settings.DISCRETION_RELAY_LISTEN),
        "port": int(settings.DISCRETION_RELAY_PORT),
        "allowed_networks": tuple(settings.DISCRETION_RELAY_ALLOWED_NETWORKS),
        "max_bytes": rules.max_message_bytes(),
        "give_up": dt.timedelta(hours=float(settings.DISCRETION_RELAY_GIVE_UP_HOURS)),
        "hostname": socket.getfqdn(),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Config(**values)
