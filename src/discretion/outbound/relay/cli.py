"""`discretion smtp-relay`: run the smart host until stopped (SIGTERM or Ctrl-C)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from discretion.bootstrap import setup_django
from discretion.cli_support import EXIT_OK, UsageError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "smtp-relay",
        help="Run the smart host: check every outgoing message, then relay, release or refuse it.",
        description=(
            "Listen for SMTP (STARTTLS required) from the council's mail servers; check every part of every "
            "message for personal data; relay it to the next hop, turn it into a registered secure release "
            "by the council's rule, or refuse it with a bounce. Queued on disk until the next hop accepts. "
            "Settings: docs/smtp-relay.md."
        ),
    )
    parser.add_argument("--listen", metavar="HOST", help="address to listen on (DISCRETION_RELAY_LISTEN)")
    parser.add_argument(
        "--port", type=int, metavar="N", help="port (DISCRETION_RELAY_PORT; 0: any free port)"
    )
    parser.add_argument("--spool", type=Path, metavar="DIR", help="queue directory (DISCRETION_RELAY_SPOOL)")
    parser.add_argument("--next-hop", metavar="HOST:PORT", help="where to relay (DISCRETION_RELAY_NEXT_HOP)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from discretion.outbound.relay.forward import TLS_MODES, NextHop
    from discretion.outbound.relay.server import Relay, config_from_settings

    overrides: dict[str, Any] = {"listen": args.listen, "port": args.port, "spool": args.spool}
    if args.next_hop:
        host, _, port = args.next_hop.rpartition(":")
        if not host or not port.isdigit():
            raise UsageError("--next-hop: give HOST:PORT")
        overrides["next_hop"] = None
    config = config_from_settings(**overrides)
    if args.next_hop:
        from dataclasses import replace

        config = replace(
            config, next_hop=NextHop(host, int(port), config.next_hop.tls, config.next_hop.timeout)
        )
    if config.next_hop.tls not in TLS_MODES:
        raise UsageError(f"DISCRETION_RELAY_NEXT_HOP_TLS must be one of {', '.join(TLS_MODES)}")
    if not config.tls_cert or not Path(config.tls_cert).is_file():
        raise UsageError("set DISCRETION_RELAY_TLS_CERT (and _KEY) to a certificate: STARTTLS is required")
    relay = Relay(config)
    relay.recover()
    try:
        port = relay.start()
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot listen on {config.listen}:{config.port}: {exc}") from None
    relay.start_worker()
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    sys.stdout.write(
        f"discretion smtp-relay: listening on {config.listen}:{port}, relaying to "
        f"{config.next_hop.host}:{config.next_hop.port}, queue {config.spool}\n"
    )
    sys.stdout.flush()
    stopped.wait()
    relay.stop()
    return EXIT_OK
