"""Hardening H1: identifiers written in an entry's free text (an NHS number, an NI number, a phone
number, an e-mail address, a home address) are masked by the access module for those working under
supervision, on the entry page and the case page alike; the stored entry and everyone else's view
are untouched, and the read is audited as ever."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from discretion import access
from discretion.audit.models import AuditEvent
from discretion.records import sharing
from discretion.records.models import Address, Entry

pytestmark = pytest.mark.django_db

NOTE = (
    "GP letter for NHS 943 476 5919 received. Mum (NI JK 12 34 56 C) rang from 07700 900123 and "
    "asked us to write to mum.walsh@mailbox.example or to 12 Mill Lane, Chorley PR7 1AB."
)
IN_FULL = [
    "943 476 5919",
    "JK 12 34 56 C",
    "07700 900123",
    "mum.walsh@mailbox.example",
    "12 Mill Lane",
    "PR7 1AB",
]


@pytest.fixture
def scene(world: Any) -> dict[str, Any]:
    team = world.team()
    sarah = world.staff(team=team)
    kayden = world.person("Kayden", "Walsh", nhs_number="9434765919")
    Address.objects.create(person=kayden, line1="12 Mill Lane", town="Chorley", postcode="PR7 1AB")
    case = world.case(kayden, team, workers=(sarah,))
    entry = world.entry(case, NOTE, title="Letter from 07700 900123")
    amy = world.staff(employment_type="volunteer", responsible=sarah, team=team)
    sharing.share_case(sarah, ref=case.ref, supervisee_username=amy.username)
    return {"sarah": sarah, "amy": amy, "case": case, "entry": entry}


def _page(staff: Any, url: str) -> str:
    client = Client()
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_volunteer_sees_no_identifier_in_full_on_the_entry_or_the_case(scene: Any) -> None:
    for url in (f"/entries/{scene['entry'].pk}/", f"/cases/{scene['case'].ref}/"):
        page = _page(scene["amy"], url)
        for value in IN_FULL:
            assert value not in page, (url, value)
    page = _page(scene["amy"], f"/entries/{scene['entry'].pk}/")
    assert "919" in page and "[e-mail address withheld]" in page and "[address withheld]" in page


def test_the_service_returns_masked_copies_and_audits_the_read(scene: Any) -> None:
    entry, _ = access.get_entry_for(scene["amy"], scene["entry"].pk)
    assert all(value not in entry.text for value in IN_FULL) and "900123" not in entry.title
    assert Entry.objects.get(pk=scene["entry"].pk).text == NOTE  # the record itself is untouched
    event = AuditEvent.objects.filter(action="entry.read", actor_id=scene["amy"].pk).get()
    assert json.loads(event.details)["identifiers_masked"] >= 6
    view = access.get_case_for(scene["amy"], ref=scene["case"].ref)
    assert all(value not in e.text for e in view.entries for value in IN_FULL)


def test_the_allocated_worker_still_reads_the_entry_in_full(scene: Any) -> None:
    entry, _ = access.get_entry_for(scene["sarah"], scene["entry"].pk)
    assert entry.text == NOTE
    page = _page(scene["sarah"], f"/entries/{scene['entry'].pk}/")
    assert "943 476 5919" in page and "12 Mill Lane" in page
