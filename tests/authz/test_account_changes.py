"""Red-team probe 8 (issue 11): an administrator made herself an information governance officer in
the Django admin and read any child; or reset someone's second factor, set their password and became
them. Each test replays the attack and asserts it now fails, is audited and alerts information
governance (staff/accounts.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from discretion.access import flush_pending_refusals
from discretion.audit.models import AuditEvent
from discretion.staff import accounts
from discretion.staff.models import AccountChange, Alert, Staff

pytestmark = pytest.mark.django_db


def _client(staff: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    return client


def _admin(world: Any) -> Any:
    admin = world.staff("administrator")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return admin


def _form(staff: Any, **changes: str) -> dict[str, str]:
    form = {
        "username": staff.username,
        "first_name": staff.first_name,
        "last_name": staff.last_name,
        "email": staff.email,
        "role": staff.role,
        "employment_type": staff.employment_type,
        "team": str(staff.team_id or ""),
        "responsible_staff": str(staff.responsible_staff_id or ""),
        "end_on": "",
        "is_active": "on" if staff.is_active else "",
        "is_staff": "on" if staff.is_staff else "",
        "is_superuser": "on" if staff.is_superuser else "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v != "" or k in ("team", "responsible_staff", "end_on", "email")}


def test_an_administrator_cannot_make_herself_an_igo_and_read_a_child(world: Any) -> None:
    team = world.team()
    jordan = world.person("Jordan", "Blackwood")
    world.case(jordan, team)
    world.staff("information_governance")
    admin = _admin(world)
    client = _client(admin)
    r = client.post(f"/admin/staff/staff/{admin.pk}/change/", _form(admin, role="information_governance"))
    assert r.status_code == 200 and b"You cannot change your own role" in r.content
    assert Staff.objects.get(pk=admin.pk).role == "administrator"
    assert client.get(f"/people/{jordan.ref}/").status_code == 404
    refused = AuditEvent.objects.get(action="staff.account_change.refused", actor_id=admin.pk)
    assert '"role"' in refused.details
    alert = Alert.objects.get(kind="account_change", subject_staff=admin)
    assert "own account" in alert.summary
    assert not AuditEvent.objects.filter(action="admin.changed", actor_id=admin.pk).exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"is_superuser": ""},
        {"is_active": ""},
        {"employment_type": "agency"},
    ],
)
def test_nobody_changes_their_own_access_flags(world: Any, changes: dict[str, str]) -> None:
    admin = _admin(world)
    r = _client(admin).post(f"/admin/staff/staff/{admin.pk}/change/", _form(admin, **changes))
    assert r.status_code == 200 and b"You cannot change your own" in r.content
    fresh = Staff.objects.get(pk=admin.pk)
    assert fresh.is_superuser and fresh.is_active and fresh.employment_type == "employee"


def test_her_own_name_she_may_still_change(world: Any) -> None:
    admin = _admin(world)
    r = _client(admin).post(f"/admin/staff/staff/{admin.pk}/change/", _form(admin, first_name="Alexandra"))
    assert r.status_code == 302
    assert Staff.objects.get(pk=admin.pk).first_name == "Alexandra"


def test_nobody_makes_themselves_a_teams_manager(world: Any) -> None:
    team = world.team("Preston Safeguarding")
    admin = _admin(world)
    r = _client(admin).post(f"/admin/staff/team/{team.pk}/change/", {"name": team.name, "manager": admin.pk})
    assert r.status_code == 200 and b"You cannot change your own" in r.content
    team.refresh_from_db()
    assert team.manager_id != admin.pk


def test_a_role_with_record_access_waits_for_a_second_igo(world: Any) -> None:
    team = world.team()
    jordan = world.person("Jordan", "Blackwood")
    world.case(jordan, team)
    gareth = world.staff("information_governance")
    tom = world.staff("press_office")
    admin = _admin(world)
    r = _client(admin).post(f"/admin/staff/staff/{tom.pk}/change/", _form(tom, role="information_governance"))
    assert r.status_code == 302, r.content[:2000]
    assert Staff.objects.get(pk=tom.pk).role == "press_office"  # not yet
    assert _client(tom).get(f"/people/{jordan.ref}/").status_code == 404
    change = AccountChange.objects.get(staff=tom, state="pending")
    assert change.requested_by_id == admin.pk
    assert change.changes == {"role": ["press_office", "information_governance"]}
    assert AuditEvent.objects.filter(action="staff.account_change.requested", actor_id=admin.pk).exists()
    alert = Alert.objects.get(kind="account_change", subject_staff=admin)
    assert tom.display_name in alert.summary
    # The admin's audit event names only what took effect (the held role is not in it).
    changed = AuditEvent.objects.get(action="admin.changed", actor_id=admin.pk)
    assert '"role"' not in changed.details

    # Information governance sees it, and a second officer confirms it.
    igo = _client(gareth)
    listing = igo.get("/staff/account-changes/")
    assert listing.status_code == 200 and tom.username.encode() in listing.content
    assert b"Staff access" in igo.get("/").content  # waiting, in the navigation
    page = igo.get(f"/staff/account-changes/{change.pk}/")
    assert page.status_code == 200 and b"Information Governance Officer" in page.content
    r = igo.post(f"/staff/account-changes/{change.pk}/", {"decision": "confirm", "note": "New IGO post"})
    assert r.status_code == 302
    assert Staff.objects.get(pk=tom.pk).role == "information_governance"
    assert AccountChange.objects.get(pk=change.pk).state == "confirmed"
    assert AuditEvent.objects.filter(action="staff.account_change.confirmed", actor_id=gareth.pk).exists()
    assert _client(Staff.objects.get(pk=tom.pk)).get(f"/people/{jordan.ref}/").status_code == 200


def test_the_officer_who_made_a_change_cannot_confirm_it(world: Any) -> None:
    gareth = world.staff("information_governance")
    tom = world.staff("press_office")
    change = accounts.hold_change(gareth, tom, {"role": ["press_office", "practitioner"]})
    with pytest.raises(accounts.NotPermitted, match="Another information governance officer"):
        accounts.decide_change(gareth, change.pk, confirm=True, note="Fine")
    flush_pending_refusals()  # as the web middleware, the API and the CLI do after each call
    assert AuditEvent.objects.filter(
        action="staff.account_change.decide.refused", actor_id=gareth.pk
    ).exists()
    # Nor may the account's owner, nor anyone but information governance.
    for who in (tom, world.staff("administrator"), world.staff("team_manager")):
        with pytest.raises((accounts.NotPermitted, accounts.NotFound)):
            accounts.decide_change(who, change.pk, confirm=True, note="Fine")
    flush_pending_refusals()
    assert Staff.objects.get(pk=tom.pk).role == "press_office"
    # A second officer refuses it: nothing changes.
    other = world.staff("information_governance")
    accounts.decide_change(other, change.pk, confirm=False, note="No such post")
    assert Staff.objects.get(pk=tom.pk).role == "press_office"
    assert AccountChange.objects.get(pk=change.pk).state == "refused"


def test_taking_access_away_is_at_once(world: Any) -> None:
    gareth = world.staff("information_governance")
    admin = _admin(world)
    r = _client(admin).post(f"/admin/staff/staff/{gareth.pk}/change/", _form(gareth, role="press_office"))
    assert r.status_code == 302
    assert Staff.objects.get(pk=gareth.pk).role == "press_office"
    assert not AccountChange.objects.exists()


def test_a_new_account_with_record_access_starts_switched_off(world: Any) -> None:
    admin = _admin(world)
    r = _client(admin).post(
        "/admin/staff/staff/add/",
        {
            "username": "new.igo",
            "usable_password": "true",
            "password1": "Long-Enough-Pass-99",
            "password2": "Long-Enough-Pass-99",
            "first_name": "New",
            "last_name": "Officer",
            "email": "",
            "role": "information_governance",
            "employment_type": "employee",
            "team": "",
            "responsible_staff": "",
            "end_on": "",
        },
    )
    assert r.status_code == 302, r.content[:3000]
    new = Staff.objects.get(username="new.igo")
    assert new.is_active is False
    assert AccountChange.objects.get(staff=new).changes == {"is_active": [False, True]}
    # Nor can she switch it on herself in the admin while it waits.
    r = _client(admin).post(f"/admin/staff/staff/{new.pk}/change/", _form(new, is_active="on"))
    assert r.status_code == 200 and b"already waiting" in r.content
    assert Staff.objects.get(pk=new.pk).is_active is False


def test_second_factor_reset_and_password_set_by_one_person_alerts_igo(world: Any, settings: Any) -> None:
    from tests.security.conftest import add_device, fully_signed_in

    settings.DISCRETION_REQUIRE_2FA = True
    sarah = world.staff("practitioner", username="sarah.hughes")
    add_device(sarah)
    admin = _admin(world)
    boss = Client(raise_request_exception=False)
    fully_signed_in(boss, admin)
    assert boss.post(f"/staff/{sarah.pk}/reset-authenticator/", {"reason": "Lost phone"}).status_code == 302
    assert not Alert.objects.filter(kind="account_takeover").exists()  # a reset alone is ordinary
    r = boss.post(
        f"/admin/staff/staff/{sarah.pk}/password/",
        {"password1": "Admin-Knows-It-99", "password2": "Admin-Knows-It-99", "usable_password": "true"},
    )
    assert r.status_code == 302
    alert = Alert.objects.get(kind="account_takeover", subject_staff=admin)
    assert sarah.display_name in alert.summary
    settings.DISCRETION_REQUIRE_2FA = False
    igo = world.staff("information_governance")
    assert _client(igo).get("/staff/alerts/").content.count(b"Second factor reset") == 1


def test_password_first_then_reset_alerts_too(world: Any) -> None:
    from discretion.staff import security

    sarah = world.staff("practitioner")
    admin = _admin(world)
    r = _client(admin).post(
        f"/admin/staff/staff/{sarah.pk}/password/",
        {"password1": "Admin-Knows-It-99", "password2": "Admin-Knows-It-99", "usable_password": "true"},
    )
    assert r.status_code == 302
    assert not Alert.objects.filter(kind="account_takeover").exists()
    security.reset_authenticator(admin, sarah.pk, reason="Lost phone")
    assert Alert.objects.filter(kind="account_takeover", subject_staff=admin).count() == 1
