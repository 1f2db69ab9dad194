"""The Django admin holds configuration only (teams, staff accounts and roles, groups, the policy
text, calendar days, recipients' keys, commercial records), never personal data, alerts, tokens or
authenticator secrets; and every write made in it is audited in the hash chain, naming the fields
changed and never their values. UK GDPR Art 5(1)(f), Art 32; policy 1.2."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from discretion.audit.models import AuditEvent
from tests.security.conftest import fully_signed_in

pytestmark = pytest.mark.django_db

# What the admin may hold: configuration. Everything else stays out of it.
CONFIGURATION = {
    "auth.group",
    "staff.staff",
    "staff.team",
    "staff.policyversion",
    "information_rights.calendarday",
    "outbound.recipientkey",
    "research.commercialrecord",
}
NEVER = {
    "records.person",
    "records.case",
    "records.entry",
    "records.attachment",
    "records.breakglass",
    "requests.request",
    "requests.requestevent",
    "requests.decisionrecord",
    "requests.approval",
    "requests.task",
    "requests.recordaccess",
    "requests.requestdocument",
    "information_rights.inforequest",
    "information_rights.sarcase",
    "disclosures.disclosure",
    "disclosures.outboxmessage",
    "disclosures.securelink",
    "staff.alert",
    "staff.apitoken",
    "staff.absence",
    "staff.induction",
    "staff.allocation",
    "staff.caseshare",
    "research.researchrequest",
    "research.extract",
    "otp_totp.totpdevice",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_database.dbtaskresult",
    "audit.auditevent",
}


def _label(model: Any) -> str:
    return model._meta.label_lower


def test_the_admin_registers_configuration_only():
    registered = {_label(m) for m in admin.site._registry}
    assert registered == CONFIGURATION
    assert not registered & NEVER


@pytest.fixture
def council(world, settings) -> dict[str, Any]:
    """The project's own synthetic council, and one of everything personal or secret beside it."""
    from discretion import seed
    from discretion.disclosures.models import Channel
    from discretion.disclosures.services import Recipient, disclose
    from discretion.information_rights import services as information_rights
    from discretion.records.models import Entry, Person
    from discretion.requests import services as requests
    from discretion.research import services as research
    from discretion.staff import tokens
    from discretion.staff.models import Absence, Acknowledgement, Alert, Induction, PolicyVersion, Staff

    seed.build("small", 5)
    admin_user = Staff.objects.get(username="admin.jones")
    igo = Staff.objects.get(username="gareth.morgan")
    worker = Staff.objects.get(username="sarah.hughes")
    for member in (admin_user, igo, worker):
        Acknowledgement.objects.get_or_create(staff=member, policy=PolicyVersion.current())
    staff_names = {s.get_full_name() for s in Staff.objects.all()}
    people = [
        f"{p.given_names} {p.family_name}"
        for p in Person.objects.order_by("pk")[:60]
        if f"{p.given_names} {p.family_name}" not in staff_names
    ]
    notes = [e.text[:40] for e in Entry.objects.order_by("pk")[:20]]

    requests.log_request(
        worker,
        requester=requests.RequesterDetails(name="Imogen Fairweather-Stroud", category="other_agency"),
        channel="email",
        summary="Wants the school reports of the Okonkwo-Baxter twins",
    )
    release = disclose(
        igo,
        recipient=Recipient(
            name="Dr Persephone Quillfeather", organisation="Moorside Surgery", address="pq@nhs.net"
        ),
        channel=Channel.SECURE_LINK,
        content=b"%PDF-1.7 released",
        content_name="bundle.pdf",
        source="test",
        message_subject="Documents about Tobias Wrenfield-Ayre",
        message_body="Tobias Wrenfield-Ayre's plan is attached.",
    )
    information_rights.open_sar(
        igo,
        requester_name="Marguerite Thistlewood",
        requester_contact="m.t@example.com",
        requester_kind="self",
    )
    information_rights.log_request(
        igo,
        requester_name="Bartholomew Quince",
        requester_contact="bq@example.com",
        channel="email",
        wording="All letters about Ezekiel Pennywhistle",
    )
    research.submit_request(
        worker,
        research.Submission(
            title="Outcomes for the Larkspur siblings",
            purpose="Service evaluation",
            lawful_basis="UK GDPR Art 6(1)(e)",
            fields=["district"],
            retention="12 months",
            audience="Two analysts",
            requester_name="Dr Octavia Brambleworth",
        ),
    )
    Alert.objects.create(
        kind="bulk_reading",
        subject_staff=admin_user,
        recipient=igo,
        summary="Read 412 records of Hollis Vantongeren",
    )
    Absence.objects.create(
        staff=worker, start_on=dt.date(2026, 1, 5), end_on=dt.date(2026, 1, 9), recorded_by=igo
    )
    Induction.objects.create(
        staff=worker,
        discussed_by=igo,
        discussed_on=dt.date(2026, 1, 2),
        notes="Discussed Rosalind Featherstonehaugh",
    )
    device = TOTPDevice.objects.create(user=igo, name="Authenticator app", confirmed=True)
    api_token = tokens.issue_api_token(worker, name="mail server")
    from discretion.staff.models import ApiToken

    secrets = [
        release.link_token,
        *[link.code_digest for link in release.message.links.all()],
        *[link.salt for link in release.message.links.all()],
        *_device_secrets(device),
        "otpauth://",
        api_token,
        ApiToken.objects.get().token_digest,
    ]
    personal = [
        *people,
        *notes,
        "Imogen Fairweather-Stroud",
        "Okonkwo-Baxter",
        "Persephone Quillfeather",
        "Tobias Wrenfield-Ayre",
        "Marguerite Thistlewood",
        "Bartholomew Quince",
        "Ezekiel Pennywhistle",
        "Larkspur",
        "Octavia Brambleworth",
        "Hollis Vantongeren",
        "Rosalind Featherstonehaugh",
    ]
    return {"admin": admin_user, "worker": worker, "secrets": secrets, "personal": personal}


def _device_secrets(device: Any) -> list[str]:
    secret = base64.b32encode(device.bin_key).decode()
    return [
        device.key,
        secret,
        secret.rstrip("="),
        " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    ]


def _admin_urls(objects_per_model: int = 3) -> list[str]:
    """Every admin page: the index, each app, and every URL of every registered model admin,
    for a few objects of each."""
    urls = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:jsi18n")]
    urls += sorted({reverse("admin:app_list", args=[m._meta.app_label]) for m in admin.site._registry})
    for model, model_admin in admin.site._registry.items():
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:objects_per_model])
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            converters = list(pattern.pattern.converters)
            if not converters:
                urls.append(reverse(f"admin:{pattern.name}"))
                continue
            for pk in pks:
                urls.append(reverse(f"admin:{pattern.name}", kwargs={name: str(pk) for name in converters}))
    return urls


def test_no_admin_page_shows_personal_data_tokens_or_secrets(client, council):
    own = fully_signed_in(client, council["admin"])
    council["secrets"] += _device_secrets(own)
    urls = _admin_urls()
    assert len(urls) > 40
    for url in urls:
        response = client.get(url, follow=True)
        # 403: a page the admin offers for a model it shows read-only (adding a policy version).
        assert response.status_code in (200, 403), url
        page = response.content.decode()
        for value in council["personal"] + council["secrets"]:
            assert value not in page, (url, value)
    # Nor by searching the lists that allow it.
    for model, model_admin in admin.site._registry.items():
        if model_admin.search_fields:
            page = client.get(
                reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"), {"q": "a"}
            )
            for value in council["personal"] + council["secrets"]:
                assert value not in page.content.decode()


def test_personal_data_pages_do_not_exist_in_the_admin(client, council):
    fully_signed_in(client, council["admin"])
    for label in sorted(NEVER):
        app_label, model_name = label.split(".")
        assert client.get(f"/admin/{app_label}/{model_name}/").status_code == 404, label
        assert client.get(f"/admin/{app_label}/{model_name}/1/change/").status_code == 404, label


def _form_data(form: Any) -> dict[str, Any]:
    """What the browser would post back for an unchanged admin form."""
    from django.forms import MultiWidget

    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def _admin_events() -> list[tuple[AuditEvent, dict[str, Any]]]:
    return [
        (e, json.loads(e.details))
        for e in AuditEvent.objects.filter(action__startswith="admin.").order_by("id")
    ]


def test_every_admin_write_is_audited_with_field_names_not_values(client, world):
    from discretion.information_rights.models import CalendarDay
    from discretion.staff.models import Staff, Team

    administrator = world.staff("administrator", username="admin.test")
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    fully_signed_in(client, administrator)
    worker = world.staff(username="jo.bloggs")

    # Add.
    response = client.post(
        reverse("admin:information_rights_calendarday_add"),
        {"date": "2027-06-04", "name": "Coronation day", "change": "added", "scope": "all", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get()
    [(added, details)] = _admin_events()
    assert (added.action, added.actor_id, added.object_id) == ("admin.added", administrator.pk, str(day.pk))
    assert details["model"] == "information_rights.calendarday"
    assert set(details["fields"]) >= {"date", "name", "change"}

    # Change: the fields named, not their values.
    page = client.get(reverse("admin:staff_staff_change", args=[worker.pk]))
    assert page.status_code == 200
    data = _form_data(page.context["adminform"].form)
    # (A role that takes access away takes effect at once; one that gives it waits for information
    # governance: tests/authz/test_account_changes.py.)
    data["role"] = "press_office"
    response = client.post(reverse("admin:staff_staff_change", args=[worker.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    worker.refresh_from_db()
    assert worker.role == "press_office"
    changed, details = _admin_events()[-1]
    assert (changed.action, changed.object_type, changed.object_id) == (
        "admin.changed",
        "staff",
        str(worker.pk),
    )
    assert "role" in details["fields"] and "press_office" not in changed.details

    # A password set by an administrator: named, never its value or hash.
    response = client.post(
        reverse("admin:auth_user_password_change", args=[worker.pk]),
        {
            "password1": "a-new-Passphrase-2027",
            "password2": "a-new-Passphrase-2027",
            "set_usable_password": "true",
        },
    )
    assert response.status_code == 302
    changed, details = _admin_events()[-1]
    assert changed.action == "admin.changed" and details["fields"] == ["password"]
    worker.refresh_from_db()
    assert "a-new-Passphrase" not in changed.details and worker.password not in changed.details

    # Delete one, and delete in bulk.
    response = client.post(
        reverse("admin:information_rights_calendarday_delete", args=[day.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not CalendarDay.objects.exists()
    assert _admin_events()[-1][0].action == "admin.deleted"
    teams = [Team.objects.create(name=f"Spare team {n}") for n in range(3)]
    response = client.post(
        reverse("admin:staff_team_changelist"),
        {"action": "delete_selected", "_selected_action": [t.pk for t in teams], "post": "yes"},
    )
    assert response.status_code == 302 and not Team.objects.filter(name__startswith="Spare").exists()
    deleted = [(e.object_id, d["model"]) for e, d in _admin_events() if e.action == "admin.deleted"][1:]
    assert sorted(deleted) == sorted((str(t.pk), "staff.team") for t in teams)

    # A group (permissions) too.
    client.post(reverse("admin:auth_group_add"), {"name": "Auditors", "permissions": []})
    group = Group.objects.get(name="Auditors")
    assert _admin_events()[-1][0].object_id == str(group.pk)
    assert Staff.objects.filter(pk=worker.pk).exists()


def test_every_registered_admin_is_audited_and_has_no_unaudited_actions(rf, world):
    from discretion.web.admin_base import AuditedAdmin

    administrator = world.staff("administrator")
    administrator.is_superuser = administrator.is_staff = True
    request = rf.get("/admin/")
    request.user = administrator
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedAdmin), _label(model)
        assert set(model_admin.get_actions(request)) <= {"delete_selected"}, _label(model)
        assert not model_admin.get_inline_instances(request), _label(model)
