"""Locust users for bench/bench_load.py: social workers signing in and working their own caseload.

Each simulated user is a distinct member of staff (BENCH_USERNAMES, one per user, never shared)
who signs in through the real pages (password, then the authenticator-app code), then loops over
their own cases: the caseload list, a child's person record, the case, an entry, and a search for
a name from their caseload. No think time: each user sends its next request as soon as the last
one answered, so throughput is what the server can do.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import threading
import time

from locust import FastHttpUser, task

USERNAMES = os.environ.get("BENCH_USERNAMES", "").split(",")
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
TOTP_KEY = bytes.fromhex(os.environ.get("BENCH_TOTP_KEY_HEX", "00"))
_next_user = itertools.count()
_lock = threading.Lock()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASES = re.compile(r'href="/cases/([^/"]+)/"')
PEOPLE = re.compile(r'href="/people/([^/"]+)/">([^<]+)<')
ENTRIES = re.compile(r'href="/entries/(\d+)/"')


def totp(key: bytes, at: float | None = None) -> str:
    import hashlib
    import hmac
    import struct

    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class SocialWorker(FastHttpUser):
    def on_start(self) -> None:
        with _lock:
            self.username = USERNAMES[next(_next_user) % len(USERNAMES)]
        page = self.client.get("/sign-in/", name="sign-in").text
        token = CSRF.search(page).group(1)  # type: ignore[union-attr]
        page = self.client.post(
            "/sign-in/",
            data={"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD, "next": "/"},
            name="sign-in",
        ).text
        token = CSRF.search(page).group(1)  # type: ignore[union-attr]  # the two-factor page
        home = self.client.post(
            "/sign-in/two-factor/",
            data={"csrfmiddlewaretoken": token, "code": totp(TOTP_KEY), "next": "/"},
            name="two-factor",
        ).text
        self.cases = CASES.findall(home)
        self.people = PEOPLE.findall(home)
        if not self.cases:
            raise RuntimeError(f"{self.username} signed in to no caseload")
        self.entries: list[str] = []
        self.rng = random.Random(self.username)

    @task(1)
    def my_cases(self) -> None:
        self.client.get("/", name="my cases")

    @task(3)
    def person(self) -> None:
        ref, _name = self.rng.choice(self.people)
        self.client.get(f"/people/{ref}/", name="person")

    @task(3)
    def case(self) -> None:
        page = self.client.get(f"/cases/{self.rng.choice(self.cases)}/", name="case").text
        self.entries = ENTRIES.findall(page) or self.entries

    @task(2)
    def entry(self) -> None:
        if self.entries:
            self.client.get(f"/entries/{self.rng.choice(self.entries)}/", name="entry")

    @task(1)
    def search(self) -> None:
        _ref, name = self.rng.choice(self.people)
        self.client.get("/people/", params={"q": name}, name="search")
