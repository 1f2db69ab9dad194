"""`discretion daily` tells the handler and their manager of a case near or past its due date: in
the app, and by an e-mail through the outbox that carries only a link (policy 1.1)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from discretion.cli import main
from discretion.information_rights import services as ir
from discretion.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_case_past_its_due_date_is_told_once_a_day_by_a_link_only_email(
    world: Any, settings: Any, plain_server: Any, capsys: Any
) -> None:
    settings.DISCRETION_SMTP_PORT = plain_server.port
    settings.SITE_URL = "https://discretion.council.example"
    team = world.team("Information Governance")
    manager = world.manager_of(team)
    igo = world.staff("information_governance", team=team)
    for member in (igo, manager):
        member.email = f"{member.username}@council.example"
        member.save()
    foi = ir.log_request(
        igo,
        requester_name="Ms Curious",
        requester_contact="curious@example.org",
        channel="email",
        wording="How many children were placed out of area in 2025?",
        received_on=dt.date.today() - dt.timedelta(days=45),
        received_on_reason="Found in a shared mailbox",
    )
    ir.assign(igo, foi.pk, service_area="Children's Services", handler_id=igo.pk)

    assert main(["daily"]) == 0
    jobs = json.loads(capsys.readouterr().out)["jobs"]
    assert jobs["deadline_reminders"]["notifications"] == 2  # the handler and their manager

    told = Notification.objects.get(recipient=igo)
    assert told.kind == "due_soon" and told.urgent and told.triggered_by is None
    assert told.text.startswith(f"{foi.ref} is overdue: it was due on ")
    assert told.link == f"/information-rights/requests/{foi.pk}/"
    received = {r.rcpt_tos[0]: r.message for r in plain_server.inbox.received}
    email = received[igo.email]
    body = email.get_content()
    assert email["Subject"] == "Discretion: A case is due soon (urgent)"
    assert f"https://discretion.council.example/notifications/{told.pk}/" in body
    for secret in ("Ms Curious", "curious@example.org", "placed out of area", foi.ref):
        assert secret not in body

    assert main(["daily"]) == 0  # the same day again: nobody is told twice
    assert json.loads(capsys.readouterr().out)["jobs"]["deadline_reminders"]["notifications"] == 0
    assert Notification.objects.count() == 2
