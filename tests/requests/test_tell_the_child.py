"""Policy 2.3: the child is told "wherever possible". When it is not possible now (the child is
missing) or not safe, that outcome is recorded with the reason, the note stays in the history, and
the release is not held up by a task that cannot be done."""

from __future__ import annotations

from typing import Any

import pytest

from discretion.requests import services
from discretion.requests.models import RequestEvent

from .helpers import council, log, verify

pytestmark = pytest.mark.django_db


def _approved_police_request(c: Any) -> Any:
    req = log(c, "police", channel="phone", purpose="missing_child")
    services.decide_referral(c.manager, req.pk, approve=True, reasoning="Missing overnight.")
    return verify(c, req)


def test_not_possible_now_needs_a_reason_and_then_does_not_block_release(world: Any) -> None:
    c = council(world)
    req = _approved_police_request(c)
    assert "inform_subject" in services.open_tasks(req)
    with pytest.raises(services.InvalidInput, match="Enter why the child cannot be told now"):
        services.complete_task(c.worker, req.pk, "inform_subject", note="", outcome="not_possible")
    services.complete_task(
        c.worker, req.pk, "inform_subject", note="", outcome="not_possible", reason="He is missing."
    )
    req.refresh_from_db()
    assert "inform_subject" not in services.unmet_conditions(req)
    services.select_entries(c.worker, req.pk, {c.visit.pk: "Places he goes"})
    release = services.release_request(c.worker, req.pk, channel="post", address="1 High St")
    assert release.disclosure.pk
    (event,) = RequestEvent.objects.filter(request=req, action="task_done", note__startswith="Tell the child")
    assert "Not told: it is not possible now" in event.note and "He is missing." in event.note


def test_every_task_note_stays_in_the_history_with_the_call_back(world: Any) -> None:
    c = council(world)
    req = log(c, "police", channel="phone", purpose="missing_child")
    services.complete_task(
        c.worker, req.pk, "verify_entitlement", note="Rang back.", callback_number="01632 960000",
        number_source="Force switchboard",
    )  # fmt: skip
    (event,) = RequestEvent.objects.filter(request=req, action="task_done")
    assert event.note == (
        "Check the requester is entitled to the information: Rang back. "
        "Called back on 01632 960000, a number from Force switchboard."
    )


def test_the_api_records_the_reason(world: Any, client: Any) -> None:
    c = council(world)
    req = _approved_police_request(c)
    client.force_login(c.worker)
    bad = client.post(
        f"/api/requests/{req.pk}/tasks",
        {"kind": "inform_subject", "outcome": "risk"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "Enter why the child cannot be told now"
    ok = client.post(
        f"/api/requests/{req.pk}/tasks",
        {
            "kind": "inform_subject",
            "outcome": "risk",
            "reason": "Telling him would alert the person he is with.",
        },
        content_type="application/json",
    )
    assert ok.status_code == 200 and "inform_subject" not in ok.json()["unmet_conditions"]
