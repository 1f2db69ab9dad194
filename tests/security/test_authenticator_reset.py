"""Authenticator reset by information governance or an administrator, audited with its reason;
any other deletion of an authenticator (the Django admin) is audited too."""

from __future__ import annotations

import json

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from discretion.audit.models import AuditEvent
from discretion.staff import security
from tests.security.conftest import add_device, fully_signed_in

pytestmark = pytest.mark.django_db


def _details(event: AuditEvent) -> dict:
    return json.loads(event.details or "{}")


@pytest.mark.parametrize("role", ["information_governance", "administrator"])
def test_igo_or_administrator_resets_and_it_is_audited_with_the_reason(world, role):
    actor = world.staff(role)
    worker = world.staff()
    first, second = add_device(worker), add_device(worker)
    other = add_device(world.staff())

    removed = security.reset_authenticator(actor, worker.pk, reason="  Lost work phone; identity checked  ")

    assert removed == 2
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    [event] = AuditEvent.objects.filter(action="auth.otp_device_reset")
    assert (event.actor_id, event.object_id) == (actor.pk, str(worker.pk))
    assert event.reason == "Lost work phone; identity checked"
    assert _details(event)["devices"] == [first.pk, second.pk]
    # One reset event, not one deletion event per device.
    assert not AuditEvent.objects.filter(action="auth.otp_device_deleted").exists()


@pytest.mark.parametrize("role", ["practitioner", "team_manager", "legal_services", "research_governance"])
def test_other_roles_cannot_reset(world, role):
    worker = world.staff()
    add_device(worker)
    with pytest.raises(security.NotAllowed):
        security.reset_authenticator(world.staff(role), worker.pk, reason="Asked to")
    assert TOTPDevice.objects.filter(user=worker).exists()
    assert not AuditEvent.objects.filter(action="auth.otp_device_reset").exists()


def test_nobody_resets_their_own_authenticator(world):
    igo = world.staff("information_governance")
    add_device(igo)
    with pytest.raises(security.NotAllowed, match="your own account"):
        security.reset_authenticator(igo, igo.pk, reason="New phone")
    assert TOTPDevice.objects.filter(user=igo).exists()


def test_a_reason_is_required(world):
    worker = world.staff()
    add_device(worker)
    with pytest.raises(security.InvalidCode, match="Enter the reason"):
        security.reset_authenticator(world.staff("administrator"), worker.pk, reason="   ")
    assert TOTPDevice.objects.filter(user=worker).exists()


def test_the_page_resets_then_the_person_must_set_up_again(client, world):
    igo = world.staff("information_governance")
    worker = world.staff(username="sam.hughes")
    worker_client = type(client)()
    fully_signed_in(worker_client, worker)
    assert worker_client.get("/").status_code == 200

    fully_signed_in(client, igo)
    url = f"/staff/{worker.pk}/reset-authenticator/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Reset authenticator" in page.content.decode()
    assert "sam.hughes" in page.content.decode()

    response = client.post(url, {"reason": "Lost phone, called back on HR number"})
    assert response.status_code == 302
    assert response["Location"] == url + "?done=1"
    assert "has been reset" in client.get(response["Location"]).content.decode()
    assert not TOTPDevice.objects.filter(user=worker).exists()
    event = AuditEvent.objects.get(action="auth.otp_device_reset")
    assert event.actor_id == igo.pk and event.reason == "Lost phone, called back on HR number"

    # Their session no longer counts as past the second step; the next step is set-up.
    assert worker_client.get("/")["Location"] == "/sign-in/two-factor/?next=%2F"
    assert worker_client.get("/sign-in/two-factor/?next=/")["Location"].startswith(
        "/sign-in/two-factor/set-up/"
    )


def test_the_page_without_a_reason_is_a_400_with_the_error(client, world):
    igo = world.staff("information_governance")
    worker = world.staff()
    add_device(worker)
    fully_signed_in(client, igo)
    response = client.post(f"/staff/{worker.pk}/reset-authenticator/", {"reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the reason for resetting the authenticator" in page
    assert TOTPDevice.objects.filter(user=worker).exists()


def test_the_page_refuses_other_roles_and_self(client, world):
    manager = world.staff("team_manager")
    worker = world.staff()
    add_device(worker)
    fully_signed_in(client, manager)
    assert client.get(f"/staff/{worker.pk}/reset-authenticator/").status_code == 403
    assert client.post(f"/staff/{worker.pk}/reset-authenticator/", {"reason": "x"}).status_code == 403

    admin_client = type(client)()
    admin = world.staff("administrator")
    fully_signed_in(admin_client, admin)
    own = admin_client.post(f"/staff/{admin.pk}/reset-authenticator/", {"reason": "New phone"})
    assert own.status_code == 403
    assert "your own account" in own.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert admin_client.get("/staff/999999/reset-authenticator/").status_code == 404


def test_the_django_admin_has_no_authenticator_pages_the_reset_page_is_the_way(client, world):
    admin = world.staff("administrator")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    worker = world.staff()
    device = add_device(worker)
    fully_signed_in(client, admin)

    # Secrets and QR codes are not in the admin, and a device is not deleted there.
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404
    assert client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}).status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    response = client.post(f"/staff/{worker.pk}/reset-authenticator/", {"reason": "Lost phone"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=worker).exists()
    [event] = AuditEvent.objects.filter(action="auth.otp_device_reset")
    assert (event.actor_id, event.object_id) == (admin.pk, str(worker.pk))


def test_deleting_a_device_elsewhere_is_audited_without_an_actor(world):
    worker = world.staff()
    device = add_device(worker)
    device.delete()
    [event] = AuditEvent.objects.filter(action="auth.otp_device_deleted")
    assert event.actor_id is None and event.object_id == str(worker.pk)
    assert _details(event)["via"] == "other"
