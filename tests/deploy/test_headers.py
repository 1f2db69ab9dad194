"""Security headers on every response: a strict Content-Security-Policy (so no page may carry an
inline script or style), Permissions-Policy, and no-store on pages and API answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "discretion"

pytestmark = pytest.mark.django_db


def test_pages_and_api_answers_carry_the_headers(client: Client, world):
    staff = world.staff()
    client.force_login(staff)
    for path in ("/sign-in/", "/", "/api/records/people?q=Walsh", "/no-such-page/"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert response.headers["Cache-Control"] == "no-store", path


def test_no_template_has_an_inline_script_or_style():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not inline_script.search(text), template
        assert ' style="' not in text and "<style" not in text, template
        assert not re.search(r"\son[a-z]+=", text), template  # onclick= and the like


def test_api_docs_are_for_signed_in_staff_and_served_from_our_own_static_files(client: Client, world):
    anonymous = client.get("/api/docs")
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous.headers["Location"]
    assert client.get("/api/openapi.json").status_code == 302
    client.force_login(world.staff())
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui-init.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
