"""Commercial records (policy 1.3): a permission and a remit; in doubt, the manager decides."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from discretion import access
from discretion.research import commercial
from discretion.research.models import CommercialRecord, QueryStatus


@pytest.fixture
def scene(world):
    team = world.team("Commissioning")
    other = world.team("Fostering")
    manager = world.manager_of(team)
    buyer = world.staff(team=team)
    colleague = world.staff(team=team)
    fostering_buyer = world.staff(team=other)
    volunteer = world.staff(team=team, employment_type="volunteer", responsible=buyer)
    permission = Permission.objects.get(codename="view_commercial_records")
    for member in (buyer, fostering_buyer, volunteer):
        member.user_permissions.add(permission)
    contract = CommercialRecord.objects.create(
        title="Residential placements framework",
        kind="contract",
        counterparty="Pennine Care Homes Ltd",
        team=team,
        text="Weekly fee GBP 4,950",
        created_by=manager,
    )
    return locals()


def _fresh(staff):
    # Permissions are cached on the user object; a new request loads a fresh one.
    return type(staff).objects.get(pk=staff.pk)


def test_permission_within_remit_reads_and_is_audited(scene, audit_actions):
    record = commercial.get_record_for(_fresh(scene["buyer"]), scene["contract"].pk)
    assert record.text == "Weekly fee GBP 4,950"
    assert audit_actions(actor_id=scene["buyer"].pk) == ["commercial.read"]
    assert list(commercial.records_for(_fresh(scene["buyer"]))) == [scene["contract"]]


@pytest.mark.parametrize("who", ["colleague", "fostering_buyer", "volunteer"])
def test_outside_remit_is_refused_and_audited(scene, who, audit_actions):
    with pytest.raises(access.AccessDenied):
        commercial.get_record_for(_fresh(scene[who]), scene["contract"].pk)
    assert audit_actions(actor_id=scene[who].pk) == ["commercial.refused"]
    assert list(commercial.records_for(_fresh(scene[who]))) == []


def test_in_doubt_the_manager_decides(scene, audit_actions):
    colleague = _fresh(scene["colleague"])
    with pytest.raises(commercial.InvalidInput):
        commercial.ask_manager(colleague, scene["contract"].pk, reason=" ")
    query = commercial.ask_manager(colleague, scene["contract"].pk, reason="Covering the placements budget")
    assert query.manager == scene["manager"]
    with pytest.raises(access.NotFound):
        commercial.answer_query(_fresh(scene["buyer"]), query.pk, allow=True, answer="ok")
    commercial.answer_query(scene["manager"], query.pk, allow=True, answer="Within your cover this month")
    assert commercial.get_record_for(colleague, scene["contract"].pk).pk == scene["contract"].pk
    assert "commercial.allowed" in audit_actions(actor_id=scene["manager"].pk)
    with pytest.raises(commercial.InvalidInput):
        commercial.answer_query(scene["manager"], query.pk, allow=False, answer="changed")


def test_refused_question_keeps_it_closed(scene):
    colleague = _fresh(scene["colleague"])
    query = commercial.ask_manager(colleague, scene["contract"].pk, reason="Curious")
    commercial.answer_query(scene["manager"], query.pk, allow=False, answer="Not your remit")
    query.refresh_from_db()
    assert query.status == QueryStatus.REFUSED
    with pytest.raises(access.AccessDenied):
        commercial.get_record_for(colleague, scene["contract"].pk)


def test_pages_and_api(client, scene):
    client.force_login(scene["colleague"])
    refused = client.get(f"/research/commercial/{scene['contract'].pk}/")
    assert refused.status_code == 403 and b"Ask my manager" in refused.content
    empty = client.post(f"/research/commercial/{scene['contract'].pk}/", {"reason": ""})
    assert empty.status_code == 400 and b"Enter why you need this record" in empty.content
    asked = client.post(f"/research/commercial/{scene['contract'].pk}/", {"reason": "Budget cover"})
    assert asked.status_code == 302
    client.force_login(scene["manager"])
    listing = client.get("/research/commercial/")
    assert b"Budget cover" in listing.content
    query = scene["contract"].queries.get()
    assert (
        client.post(
            f"/research/commercial/questions/{query.pk}/", {"allow": "yes", "answer": "Fine"}
        ).status_code
        == 302
    )
    client.force_login(scene["colleague"])
    assert b"Weekly fee" in client.get(f"/research/commercial/{scene['contract'].pk}/").content
    assert (
        client.get(f"/api/research/commercial/{scene['contract'].pk}").json()["text"]
        == "Weekly fee GBP 4,950"
    )
    client.force_login(scene["fostering_buyer"])
    assert client.get(f"/api/research/commercial/{scene['contract'].pk}").status_code == 403
    assert client.get("/api/research/commercial").json() == []
