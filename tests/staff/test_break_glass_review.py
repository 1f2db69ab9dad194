"""A break-glass alert shows the reason given and what was opened; the manager who reviews it reads
that part of the audit trail, for their own team only, and their look is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from discretion import access
from discretion.audit.models import AuditEvent
from discretion.staff.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world: Any) -> dict[str, Any]:
    home_team, other_team = world.team("Chorley Safeguarding"), world.team("Burnley Children in Need")
    case_manager = world.manager_of(home_team)
    world.manager_of(other_team)
    child = world.person("Kayden", "Walsh")
    case = world.case(child, home_team, workers=(world.staff(team=home_team),))
    entry = world.entry(case, "Home visit.", title="Visit")
    duty = world.staff(team=other_team)
    own_child = world.person("Mia", "Roberts")
    own_case = world.case(own_child, other_team, workers=(duty,))
    access.break_glass(duty, case.pk, "Police called out of hours: child missing")
    access.get_person_for(duty, child.pk)
    access.get_case_for(duty, case.pk)
    access.get_entry_for(duty, entry.pk)
    access.get_case_for(duty, own_case.pk)  # their own work in that hour is not part of the alert
    return {
        "case_manager": case_manager,
        "duty": duty,
        "case": case,
        "child": child,
        "entry": entry,
        "own_case": own_case,
        "alert": Alert.objects.get(kind="break_glass"),
        "stranger": world.manager_of(world.team("Preston")),
        "igo": world.staff("information_governance"),
    }


def test_the_case_manager_sees_the_reason_and_what_was_opened(scene: Any, client: Any) -> None:
    client.force_login(scene["case_manager"])
    page = client.get(reverse("staff:alert", args=[scene["alert"].pk])).content.decode()
    assert "Police called out of hours: child missing" in page.split('id="reason-given"')[1].split("</dd>")[0]
    assert scene["case"].ref in page.split('id="case-opened"')[1].split("</dd>")[0]
    trail = page.split('id="trail"')[1].split("</table>")[0]
    assert "Opened the case with break-glass access" in trail
    assert "Read a person&#x27;s record" in trail and scene["child"].ref in trail
    assert "Read the case" in trail and "Read an entry" in trail and f"entry {scene['entry'].pk}" in trail
    assert scene["own_case"].ref not in trail
    assert "UTC" not in page and "+00:00" not in page
    read = AuditEvent.objects.get(action="audit.break_glass_trail_read")
    assert read.actor_id == scene["case_manager"].pk and read.person_id == scene["child"].pk


def test_a_manager_of_another_team_cannot_read_it(scene: Any, client: Any) -> None:
    client.force_login(scene["stranger"])
    assert client.get(reverse("staff:alert", args=[scene["alert"].pk])).status_code == 404
    with pytest.raises(access.NotFound):
        access.break_glass_trail(scene["stranger"], scene["alert"].pk)
    assert AuditEvent.objects.filter(
        action="audit.break_glass_trail.refused", actor_id=scene["stranger"].pk
    ).exists()
    assert not AuditEvent.objects.filter(action="audit.break_glass_trail_read").exists()


def test_information_governance_reads_it_and_nobody_reads_their_own(scene: Any) -> None:
    trail = access.break_glass_trail(scene["igo"], scene["alert"].pk)
    assert trail.grant.reason.startswith("Police called") and len(trail.rows) == 4
    with pytest.raises(access.NotFound):
        access.break_glass_trail(scene["duty"], scene["alert"].pk)
