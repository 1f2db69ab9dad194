"""Secrets at rest: nothing in the database lets someone download a release. The link's token
and the one-time code are kept only as digests keyed by DISCRETION_LINK_KEY (held outside the
database), so a copy of the database can neither rebuild a link nor test a guessed code; the
delivery worker rebuilds the link with the key when it sends the e-mail."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse

from discretion.audit.models import AuditEvent
from discretion.disclosures import links
from discretion.disclosures import services as disclosures
from discretion.disclosures.models import Channel, OutboxMessage, SecureLink
from discretion.disclosures.services import Recipient, disclose
from tests.requests.helpers import PDF

pytestmark = pytest.mark.django_db


def _release(world: Any, *, content: bytes = PDF, name: str = "bundle.pdf") -> disclosures.Release:
    return disclose(
        world.staff(),
        recipient=Recipient(name="Dr Amara Okafor", organisation="Moorside Surgery", address="gp@nhs.net"),
        channel=Channel.SECURE_LINK,
        content=content,
        content_name=name,
        source="test",
        message_subject="Information from Children's Services",
        message_body="Your documents are ready.",
    )


def _every_stored_text() -> str:
    """Every text value of every row of every table Django knows, sessions decoded."""
    chunks: list[str] = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            chunks.extend(json.dumps(v) if not isinstance(v, str) else v for v in row if v)
    for session in Session.objects.all():
        chunks.append(json.dumps(SessionStore().decode(session.session_data)))
    return "\n".join(chunks)


def _unkeyed_digests(secret: str) -> set[str]:
    # What an attacker with only a database copy could compute and look for.
    return {hashlib.sha256(secret.encode()).hexdigest(), hashlib.sha512(secret.encode()).hexdigest()}


def test_no_table_holds_the_token_or_the_code_or_an_unkeyed_digest_of_either(world, settings):
    release = _release(world)
    stored = _every_stored_text()
    assert release.link_token and release.link_token not in stored
    for digest in _unkeyed_digests(release.link_token) | _unkeyed_digests(release.link_code):
        assert digest not in stored
    link = SecureLink.objects.get()
    # One salt per link: two links with the same code have different code digests.
    other = _release(world)
    assert SecureLink.objects.exclude(pk=link.pk).get().salt != link.salt
    assert other.link_token != release.link_token


def test_without_the_key_a_database_copy_cannot_rebuild_the_link_or_test_a_code(world, client, settings):
    release = _release(world)
    url = reverse("disclosures:download", args=[release.link_token])
    # Another key (an attacker holding only the database): the stored digests match nothing.
    settings.DISCRETION_LINK_KEY = "not-the-councils-key"
    refused = client.post(url, {"code": release.link_code})
    assert refused.status_code == 400 and b"not valid" in refused.content
    settings.DISCRETION_LINK_KEY = "the-councils-key"
    release = _release(world)
    url = reverse("disclosures:download", args=[release.link_token])
    assert client.post(url, {"code": release.link_code}).status_code == 200


def test_the_pages_that_show_the_code_once_do_not_leave_it_readable_in_the_session(world, client):
    from discretion.requests import services
    from tests.requests.helpers import council, log

    c = council(world)
    req = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    for kind in services.open_tasks(req):
        services.complete_task(c.worker, req.pk, kind, note="Done", outcome="told")
    services.select_entries(c.worker, req.pk, {c.visit.pk: "Needed for the enquiry"})
    client.force_login(c.worker)
    response = client.post(
        reverse("requests:release", args=[req.pk]), {"channel": "secure_link", "address": "dr@nhs.example"}
    )
    assert response.status_code == 302
    (link,) = SecureLink.objects.all()
    # Between the release and the page that shows the code, the session is in the database.
    for session in Session.objects.all():
        decoded = json.dumps(SessionStore().decode(session.session_data))
        for value in [v for v in decoded.split('"') if v.isdigit() and len(v) == 6]:
            assert not links.code_matches(link, value)
        assert "download/" not in decoded
    shown = client.get(response["Location"]).content.decode()
    import re

    code = re.search(r'id="code"><strong>(\d{6})</strong>', shown)
    assert code and links.code_matches(link, code.group(1))
    # Shown once: gone from the session afterwards.
    assert 'id="code"' not in client.get(response["Location"]).content.decode()


# --- what the recipient is served ------------------------------------------------------------


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("message.txt", "Subject: x\n\nHello")
    return buffer.getvalue()


ARMOURED = b"-----BEGIN PGP MESSAGE-----\n\nwcBMA0\n-----END PGP MESSAGE-----\n"


@pytest.mark.parametrize(
    ("name", "content", "expected_type", "expected_name"),
    [
        ("message.txt", b"Subject: x\n\nHello", "text/plain; charset=utf-8", "message.txt"),
        ("message.zip", _zip(), "application/zip", "message.zip"),
        ("message.txt.asc", ARMOURED, "application/pgp-encrypted", "message.txt.asc"),
        ("research-4.csv", b"age_band,count\n5-9,7\n", "text/csv; charset=utf-8", "research-4.csv"),
        ("SAR-2026-0001-bundle.pdf", PDF, "application/pdf", "SAR-2026-0001-bundle.pdf"),
        # A name that claims PDF over content that is not: never served as a PDF.
        ("bundle.pdf", b"<html><script>alert(1)</script>", "application/octet-stream", "bundle.pdf.bin"),
        # Nothing is ever served as HTML, and the name cannot break out of the header.
        (
            '../../x"\r\nSet-Cookie: a=b.html',
            b"<html>",
            "application/octet-stream",
            "x_Set-Cookie_a_b.html.bin",
        ),
    ],
)
def test_each_file_is_served_with_its_own_type_as_an_attachment(
    world, client, name, content, expected_type, expected_name
):
    release = _release(world, content=content, name=name)
    assert OutboxMessage.objects.get(pk=release.message.pk).payload_type == expected_type.split(";")[0]
    response = client.post(
        reverse("disclosures:download", args=[release.link_token]), {"code": release.link_code}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == expected_type
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response.content == content


def test_the_print_queue_serves_letters_with_their_recorded_type(world, client):
    igo = world.staff("information_governance")
    release = disclose(
        igo,
        recipient=Recipient(name="Ms A Parent", address="1 Mill Lane, Chorley"),
        channel=Channel.POST,
        content=PDF,
        content_name="letter.pdf",
        source="test",
    )
    client.force_login(igo)
    response = client.get(reverse("disclosures:print-letter", args=[release.message.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_download_page_itself_leaks_no_referrer_and_is_not_cached(world, client):
    release = _release(world)
    page = client.get(reverse("disclosures:download", args=[release.link_token]))
    assert page["Referrer-Policy"] == "no-referrer" and page["Cache-Control"] == "no-store"


# --- every refusal is audited and limited ------------------------------------------------


def _refusals() -> list[dict[str, Any]]:
    return [
        {"reason": e.reason, **json.loads(e.details)}
        for e in AuditEvent.objects.filter(action="disclosure.download_refused").order_by("seq")
    ]


def test_an_unknown_link_is_refused_and_audited_without_the_token(world, client):
    guess = "A" * 43
    response = client.post(reverse("disclosures:download", args=[guess]), {"code": "123456"})
    assert response.status_code == 400 and b"not valid" in response.content
    [refusal] = _refusals()
    assert refusal["reason"] == "This link is not valid." and guess not in json.dumps(refusal)


def test_a_withdrawn_link_is_refused_and_audited(world, client):
    release = _release(world)
    SecureLink.objects.update(revoked=True)
    response = client.post(
        reverse("disclosures:download", args=[release.link_token]), {"code": release.link_code}
    )
    assert response.status_code == 400 and b"withdrawn" in response.content
    assert [r["reason"] for r in _refusals()] == ["This link has been withdrawn."]


def test_every_kind_of_refusal_is_audited_with_its_reason(world, client):
    import datetime as dt

    from django.utils import timezone

    release = _release(world)
    url = reverse("disclosures:download", args=[release.link_token])
    wrong = "000000" if release.link_code != "000000" else "111111"
    assert client.post(url, {"code": wrong}).status_code == 400
    SecureLink.objects.update(failed_codes=5)
    assert client.post(url, {"code": release.link_code}).status_code == 400
    SecureLink.objects.update(failed_codes=0, downloads=3)
    assert client.post(url, {"code": release.link_code}).status_code == 400
    SecureLink.objects.update(downloads=0, expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.post(url, {"code": release.link_code}).status_code == 400
    reasons = [r["reason"] for r in _refusals()]
    assert len(reasons) == 4
    for reason, word in zip(reasons, ["not correct", "locked", "maximum", "expired"], strict=True):
        assert word in reason
    assert all(r["link"] == SecureLink.objects.get().pk for r in _refusals())


def test_refusals_from_one_address_are_limited_even_for_the_right_code(world, client, settings):
    settings.DISCRETION_DOWNLOAD_REFUSALS = 4
    settings.DISCRETION_DOWNLOAD_REFUSAL_MINUTES = 15
    release = _release(world)
    url = reverse("disclosures:download", args=[release.link_token])
    for n in range(4):
        client.post(
            reverse("disclosures:download", args=[f"guess{n}"]), {"code": "1"}, REMOTE_ADDR="203.0.113.9"
        )
    limited = client.post(url, {"code": release.link_code}, REMOTE_ADDR="203.0.113.9")
    assert limited.status_code == 429
    assert b"Too many attempts" in limited.content
    assert _refusals()[-1]["reason"].startswith("Too many attempts")
    assert SecureLink.objects.get().downloads == 0 and SecureLink.objects.get().failed_codes == 0
    # Another address is not limited; the limit ends after its window.
    assert client.post(url, {"code": release.link_code}, REMOTE_ADDR="198.51.100.4").status_code == 200
    settings.DISCRETION_DOWNLOAD_REFUSAL_MINUTES = 0  # (the audit log is append-only: shrink the window)
    assert client.post(url, {"code": release.link_code}, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_log_lines_about_the_download_page_never_carry_the_token():
    from discretion.disclosures.log_redaction import RedactDownloadTokens

    token = "q" * 43
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Bad Request", f"/disclosures/download/{token}/"),
        None,
    )
    assert RedactDownloadTokens().filter(record)
    assert token not in record.getMessage() and "/disclosures/download/" in record.getMessage()
    handlers = [
        h
        for h in (*logging.getLogger().handlers, *logging.getLogger("django.server").handlers)
        if type(h) is logging.StreamHandler  # the configured console handlers, not pytest's
    ]
    assert len(handlers) == 2 and all(
        any(isinstance(f, RedactDownloadTokens) for f in h.filters) for h in handlers
    )
