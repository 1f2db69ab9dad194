"""Reads of a person behind a subject-access case go through `access` (audited), not a foreign key."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from discretion.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_verifying_identity_reads_the_subject_named_at_opening_through_access(world: Any) -> None:
    igo = world.staff("information_governance")
    child = world.person()
    client = Client()
    client.force_login(igo)
    opened = client.post(
        "/api/information-rights/sar",
        {
            "requester_name": "Kayden Walsh",
            "requester_contact": "k@example.org",
            "requester_kind": "self",
            "subject_ref": child.ref,
        },
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    sar_id = opened.json()["id"]
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    verified = client.post(
        f"/api/information-rights/sar/{sar_id}/verify",
        {"evidence": "Passport seen"},
        content_type="application/json",
    )

    assert verified.status_code == 200, verified.content
    assert verified.json()["subject"] == child.ref
    reads = AuditEvent.objects.filter(id__gt=before, action="person.read", person_id=child.pk)
    assert reads.filter(actor_id=igo.pk).exists()
