"""The register and the outbox stay consistent whatever fails: both or neither (DESIGN "One door out")."""

from __future__ import annotations

import pytest

from discretion.disclosures import services as disclosures
from discretion.disclosures.models import Disclosure, OutboxMessage, OutboxStatus, SecureLink
from discretion.requests import services
from discretion.requests.models import Request

from .helpers import council, log

pytestmark = pytest.mark.django_db


def _ready(world):
    c = council(world)
    req = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    for kind in services.open_tasks(req):
        services.complete_task(c.worker, req.pk, kind, note="Done", outcome="told")
    services.select_entries(c.worker, req.pk, {c.visit.pk: "Needed for the enquiry"})
    return c, Request.objects.get(pk=req.pk)


def _consistent() -> None:
    assert Disclosure.objects.filter(outbox__isnull=True).count() == 0
    assert OutboxMessage.objects.filter(disclosure__isnull=True).count() == 0


@pytest.mark.parametrize("failing", ["outbox", "link", "audit"])
def test_a_crash_between_register_and_outbox_leaves_neither(world, monkeypatch, failing: str) -> None:
    c, req = _ready(world)
    boom = RuntimeError("process died")
    if failing == "outbox":
        monkeypatch.setattr(OutboxMessage.objects, "create", lambda **kw: (_ for _ in ()).throw(boom))
    elif failing == "link":
        monkeypatch.setattr(SecureLink.objects, "create", lambda **kw: (_ for _ in ()).throw(boom))
    else:
        real = disclosures.audit.record

        def record(actor_id, action, **kw):
            if action == "disclosure.released":
                raise boom
            return real(actor_id, action, **kw)

        monkeypatch.setattr(disclosures.audit, "record", record)
    with pytest.raises(RuntimeError):
        services.release_request(c.worker, req.pk, channel="secure_link", address="dr@nhs.example")
    assert Disclosure.objects.count() == 0 and OutboxMessage.objects.count() == 0
    assert SecureLink.objects.count() == 0
    req.refresh_from_db()
    assert req.state == "preparing" and req.disclosure_id is None
    monkeypatch.undo()
    release = services.release_request(c.worker, req.pk, channel="secure_link", address="dr@nhs.example")
    assert release.disclosure.outbox == release.message
    _consistent()


def test_a_failing_send_keeps_the_register_and_retries(world) -> None:
    c, req = _ready(world)
    release = services.release_request(c.worker, req.pk, channel="post", address="1 Court St")

    def broken(message: OutboxMessage) -> None:
        raise OSError("printer offline")

    assert disclosures.deliver_pending(broken) == (0, 1)
    message = OutboxMessage.objects.get(pk=release.message.pk)
    assert message.status == OutboxStatus.FAILED and "printer offline" in message.last_error
    assert Disclosure.objects.filter(pk=release.disclosure.pk).exists()
    _consistent()
    sent: list[int] = []
    assert disclosures.deliver_pending(lambda m: sent.append(m.pk)) == (1, 0)
    assert sent == [message.pk]
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT
    assert disclosures.deliver_pending(lambda m: sent.append(m.pk)) == (0, 0)


def test_release_twice_is_refused(world) -> None:
    c, req = _ready(world)
    services.release_request(c.worker, req.pk, channel="post", address="1 Court St")
    with pytest.raises(services.NotPermitted):
        services.release_request(c.worker, req.pk, channel="post", address="1 Court St")
    assert Disclosure.objects.count() == 1
