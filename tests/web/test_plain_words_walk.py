"""No codes or developer words on any page: every role walks the demo council (its own pages, then
every link on them, a few hundred pages in all) and no page's visible text holds a stored code
(`missing_child`, `PERSON`), a rule id (`1.5-police`), a protocol's words (`tls required`), character
offsets, or a time in UTC or ISO form."""

from __future__ import annotations

import html
import re
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import demo_world

pytestmark = pytest.mark.django_db

# What a member of the public or of staff should never read.
FORBIDDEN = [
    ("a stored code", re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")),
    ("a finder's label", re.compile(r"\bPERSON\b|\b[A-Z]+(?:_[A-Z]+)+\b")),
    ("a rule id", re.compile(r"\b\d\.\d-[a-z][a-z-]+")),
    ("a protocol's words", re.compile(r"\btls\b|\bstarttls\b", re.IGNORECASE)),
    ("character offsets", re.compile(r"\boffsets?\b|\bchars? \d+|\bcharacters \d+\s*(?:to|-|–)\s*\d+", re.I)),
    ("UTC", re.compile(r"\bUTC\b|\+00:?00\b|\b\d{4}-\d{2}-\d{2}T\d{2}:")),
]
SKIP = ("/sign-out/", "/admin/", "/api/", "/static/", "/notifications/read-all/", "/health/")
PER_ROLE = 90


def visible_text(page: str) -> str:
    """What a person reads (or hears): the title, the body's text, and the words in alt, title and
    aria-label attributes; never markup, ids or form values."""
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    title = " ".join(re.findall(r"(?is)<title>(.*?)</title>", page))
    body = re.sub(r"(?is)^.*?<body[^>]*>", " ", page)
    spoken = re.findall(r'\s(?:alt|title|aria-label)="([^"]*)"', body)
    text = re.sub(r"(?s)<[^>]*>", " ", body)
    return html.unescape(" ".join([title, text, *spoken]))


def _links(page: str) -> list[str]:
    links = []
    for href in re.findall(r'<a\b[^>]*\shref="([^"#]+)', page):
        href = html.unescape(href)
        parts = urlsplit(href)
        if parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP) or re.search(r"\.[a-z0-9]{2,4}$|/image$", parts.path):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _walk(client: Any, start: list[str], limit: int) -> dict[str, str]:
    """Breadth first from the role's own pages; HTML pages only, GET only."""
    seen: dict[str, str] = {}
    queue = deque(start)
    asked: set[str] = set(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        response = client.get(url, follow=True)
        if "text/html" not in response.get("Content-Type", "") or response.status_code >= 500:
            assert response.status_code < 500, url
            continue
        page = response.content.decode()
        seen[url] = page
        for link in _links(page):
            if link not in asked:
                asked.add(link)
                queue.append(link)
    return seen


def test_no_page_of_the_demo_council_shows_a_code_or_a_developer_word(client: Any) -> None:
    world = demo_world.build()
    problems: list[str] = []
    walked: set[str] = set()
    for username, start in demo_world.pages(world).items():
        client.logout()
        if username:
            client.force_login(world["staff"][username])
        for url, page in _walk(client, start, PER_ROLE).items():
            walked.add(url)
            text = visible_text(page)
            for what, pattern in FORBIDDEN:
                for match in pattern.finditer(text):
                    around = text[max(0, match.start() - 40) : match.end() + 40]
                    problems.append(
                        f"{username or 'signed out'} {url}: {what} {match.group()!r} in …{' '.join(around.split())}…"
                    )
    assert len(walked) >= 200, f"only {len(walked)} pages walked"
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_walk_sees_what_a_person_reads() -> None:
    """The check can fail: a code in the text is found, one in an attribute or a script is not."""
    page = (
        "<html><head><title>Request 4</title><script>var missing_child = 1;</script></head><body>"
        '<p class="x_y" data-rule="1.5-police">Finding a missing_child</p><img alt="PERSON found"></body></html>'
    )
    text = visible_text(page)
    found = [what for what, pattern in FORBIDDEN if pattern.search(text)]
    assert found == ["a stored code", "a finder's label"]
    assert "1.5-police" not in text and "var" not in text
