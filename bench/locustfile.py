"""Locust users for bench/bench_load.py: social workers signing in and working their own caseload.

Each simulated user is a distinct member of staff, signed in through the real pages (password,
then the authenticator-app code) by bench_load.py before the timed run, who loops over their own
cases: the caseload list, a child's person record, the case, an entry, and a search for
a name from their caseload. No think time: each user sends its next request as soon as the last
one answered, so throughput is what the server can do.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from pathlib import Path

from locust import FastHttpUser, task

# Each user is one signed-in member of staff: bench_load.py signs every account in through the real
# pages (password, then the authenticator code) before the timed run and passes the session
# cookies and the caseload each sign-in landed on.
SESSIONS = (
    json.loads(Path(os.environ["BENCH_SESSIONS"]).read_text()) if "BENCH_SESSIONS" in os.environ else []
)
_next_user = itertools.count()
_lock = threading.Lock()

CASES = re.compile(r'href="/cases/([^/"]+)/"')
PEOPLE = re.compile(r'href="/people/([^/"]+)/">([^<]+)<')
ENTRIES = re.compile(r'href="/entries/(\d+)/"')


class SocialWorker(FastHttpUser):
    def on_start(self) -> None:
        with _lock:
            session = SESSIONS[next(_next_user) % len(SESSIONS)]
        self.username = session["username"]
        self.cookie = "; ".join(f"{k}={v}" for k, v in session["cookies"].items())
        self.cases = CASES.findall(session["home"])
        self.people = PEOPLE.findall(session["home"])
        if not self.cases:
            raise RuntimeError(f"{self.username} has no caseload")
        self.entries: list[str] = []
        self.rng = random.Random(self.username)

    def get(self, path: str, name: str, **kwargs: object) -> str:
        with self.client.get(
            path, name=name, headers={"Cookie": self.cookie}, catch_response=True, **kwargs
        ) as r:  # type: ignore[arg-type]
            if r.status_code != 200 or 'name="password"' in (r.text or ""):
                r.failure(f"status {r.status_code}, or sent back to sign in")
            return r.text or ""

    @task(1)
    def my_cases(self) -> None:
        self.get("/", name="my cases")

    @task(3)
    def person(self) -> None:
        ref, _name = self.rng.choice(self.people)
        self.get(f"/people/{ref}/", name="person")

    @task(3)
    def case(self) -> None:
        page = self.get(f"/cases/{self.rng.choice(self.cases)}/", name="case")
        self.entries = ENTRIES.findall(page) or self.entries

    @task(2)
    def entry(self) -> None:
        if self.entries:
            self.get(f"/entries/{self.rng.choice(self.entries)}/", name="entry")

    @task(1)
    def search(self) -> None:
        _ref, name = self.rng.choice(self.people)
        self.get("/people/", name="search", params={"q": name})
