"""A scratch PostgreSQL cluster of the tests' own (initdb on a free port), for what needs a
second server whatever engine the suite runs on: the checkpoint witness and the restore drill."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bindir() -> Path:
    return sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ScratchCluster:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="discretion-scratch-pg-"))
        self.port = _free_port()
        self.run_as: list[str] = []
        if os.getuid() == 0:
            if subprocess.run(["id", "postgres"], capture_output=True, check=False).returncode:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            shutil.chown(self.dir, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        bindir = _bindir()
        self._pg_ctl = [*self.run_as, str(bindir / "pg_ctl"), "-D", str(self.dir / "data")]
        subprocess.run(
            [*self.run_as, str(bindir / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres",
             "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            [*self._pg_ctl, "-l", str(self.dir / "log"), "-w", "-o",
             f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
             " -c synchronous_commit=off -c full_page_writes=off -c max_connections=30",
             "start"],
            check=True, capture_output=True,
        )  # fmt: skip

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self._pg_ctl, "-m", "immediate", "stop"], check=False, capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def scratch_postgres() -> Iterator[ScratchCluster]:
    cluster = ScratchCluster()
    try:
        yield cluster
    finally:
        cluster.stop()
