"""Red-team probe 13 at the smart host: a case note whose child's name and date of birth are hidden
by invisible characters or look-alike letters is still refused (no lawful basis cited)."""

from __future__ import annotations

import pytest

from discretion.disclosures.models import Disclosure
from tests.requests.helpers import council

from .conftest import mail, send
from .test_relay import details, drain

pytestmark = pytest.mark.django_db
ZWSP = "\u200b"
EVASIONS = {
    "zero-width space": f"Kay{ZWSP}den Wal{ZWSP}sh (DOB 03/0{ZWSP}4/2015) was upset at school today.",
    "soft hyphen": "Kay\u00adden Walsh (DOB 03/04/2015) was upset at school today.",
    "Cyrillic look-alikes": "K\u0430yd\u0435n W\u0430lsh (DOB 03/04/2015) was upset at school today.",
    "full width": "Ｋａｙｄｅｎ Ｗａｌｓｈ (DOB ０３/０４/２０１５) was upset at school today.",
}


@pytest.mark.parametrize("body", EVASIONS.values(), ids=EVASIONS.keys())
def test_a_masked_case_note_is_refused_by_the_smart_host(world, relay, next_hop, cert, body: str) -> None:
    inbox, _ = next_hop
    c = council(world)
    c.worker.email = "worker@council.example"
    c.worker.save()
    send(relay.port, cert, mail("worker@council.example", "gp@surgery.example", "Update", body))
    drain(relay)
    [bounce] = inbox.received  # the sender is told; nothing reached the surgery
    assert bounce.message["To"] == "worker@council.example"
    assert len(details("relay.refused")) == 1
    assert not Disclosure.objects.exists()
