"""The attacks of issue "Close every door", replayed through the pages and the API as an attacker
would: each is refused, audited and, where a person tried to get round the policy, alerted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from discretion.audit.models import AuditEvent
from discretion.disclosures.models import Disclosure
from discretion.requests.models import Request
from discretion.staff.models import Alert
from tests.outbound.conftest import CASE_UPDATE

from .matrix_world import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world: Any) -> dict[str, Any]:
    """Sarah is allocated to Kayden's case; his sister Maisie is a member of it and has her own case
    in another team. Amy volunteers under Sarah."""
    from discretion.records.models import CaseMember

    team, other = world.team(), world.team()
    manager, other_manager = world.manager_of(team), world.manager_of(other)
    sarah = world.staff(team=team, username="sarah.hughes")
    sarah.first_name, sarah.last_name, sarah.email = "Sarah", "Hughes", "sarah.hughes@council.example"
    sarah.save()
    kayden, maisie = world.person("Kayden", "Walsh"), world.person("Maisie", "Walsh")
    kayden_case = world.case(kayden, team, workers=(sarah,))
    CaseMember.objects.create(case=kayden_case, person=maisie, role="sibling")
    maisie_case = world.case(maisie, other)
    world.entry(maisie_case, "Maisie told her teacher about home.", title="School")
    amy = world.staff(employment_type="volunteer", responsible=sarah, team=team)
    return locals()


def _client(staff: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    return client


def test_1_a_social_worker_cannot_grant_herself_access_by_page(scene: Any) -> None:
    client = _client(scene["sarah"])
    client.get("/requests/new/")
    for step, data in (
        (
            "who",
            {
                "category": "colleague",
                "name": "Sarah Hughes",
                "colleague": "sarah.hughes",
                "works_with_child": "on",
            },
        ),
        ("how", {"channel": "in_person"}),
        ("whom", {"person": [scene["maisie"].pk]}),
        ("what", {"information": ["child_personal"]}),
    ):
        client.post(f"/requests/new/{step}/", data)
    response = client.post("/requests/new/why/", {"purpose": "section_47_enquiry"})
    assert response.status_code == 403 and b"making yourself" in response.content
    assert not Request.objects.exists()
    assert client.get(f"/cases/{scene['maisie_case'].ref}/").status_code == 403
    assert AuditEvent.objects.filter(actor_id=scene["sarah"].pk, action="request.self.refused").exists()
    assert Alert.objects.get(kind="self_request").recipient == scene["manager"]


def test_1_the_same_by_api_and_with_a_made_up_requester(scene: Any) -> None:
    client = _client(scene["sarah"])
    own = {
        "requester": {
            "name": "Someone",
            "category": "colleague",
            "colleague": "sarah.hughes@council.example",
        },
        "channel": "in_person",
        "person_refs": [scene["maisie"].ref],
        "information": ["child_personal"],
        "purpose": "section_47_enquiry",
    }
    response = client.post("/api/requests/", own, content_type="application/json")
    assert response.status_code == 403 and "making yourself" in response.json()["detail"]
    # A requester she invents gets a share decision, but the records stay shut until someone else
    # agrees: she cannot open her way in alone.
    invented = {**own, "requester": {"name": "Dr Who", "category": "other_agency", "works_with_child": True}}
    invented["channel"] = "secure_email"
    created = client.post("/api/requests/", invented, content_type="application/json").json()
    for kind in ("verify_identity", "verify_entitlement"):
        client.post(
            f"/api/requests/{created['id']}/tasks",
            {"kind": kind, "note": "ok"},
            content_type="application/json",
        )
    assert client.get(f"/api/requests/{created['id']}").json()["state"] == "approved"
    assert client.get(f"/api/records/cases/{scene['maisie_case'].ref}").status_code == 403
    assert client.get(f"/api/requests/{created['id']}/candidates").status_code == 403
    assert Alert.objects.filter(kind="self_request").count() == 1


def test_1_an_uploaded_pdf_is_no_court_order_until_legal_services_check_it(scene: Any) -> None:
    client = _client(scene["sarah"])
    created = client.post(
        "/api/requests/",
        {
            "requester": {"name": "J Smith", "category": "solicitor"},
            "channel": "letter",
            "person_refs": [scene["kayden"].ref],
            "information": ["child_personal"],
            "purpose": "legal_proceedings",
        },
        content_type="application/json",
    ).json()
    client.post(
        f"/api/requests/{created['id']}/documents",
        {"code": "court_order", "file": SimpleUploadedFile("order.pdf", PDF)},
    )
    body = client.get(f"/api/requests/{created['id']}").json()
    assert body["facts"]["documents"] == [] and "court_order" in body["decision"]["missing"]


def test_2_and_3_nothing_personal_leaves_by_the_api_without_a_request_nor_from_a_volunteer(
    scene: Any,
) -> None:
    client = _client(scene["sarah"])
    message = {"to": ["nan@example.org"], "subject": "Update", "body": CASE_UPDATE, "route": "secure_link"}
    url = f"/api/outbound/cases/{scene['kayden_case'].ref}/messages"
    response = client.post(url, message, content_type="application/json")
    assert response.status_code == 403 and "only as the answer to a request" in response.json()["detail"]
    from discretion.records import sharing

    sharing.share_case(
        scene["sarah"], ref=scene["kayden_case"].ref, supervisee_username=scene["amy"].username
    )
    volunteer = _client(scene["amy"])
    assert volunteer.post(url, message, content_type="application/json").status_code == 403
    assert volunteer.get(f"/outbound/cases/{scene['kayden_case'].ref}/compose/").status_code == 403
    assert Disclosure.objects.count() == 0
    assert AuditEvent.objects.filter(action="outbound.no_lawful_basis", person_id=scene["kayden"].pk).exists()
    from discretion.outbound import services as outbound

    with pytest.raises(outbound.Blocked):
        outbound.send_message(scene["amy"], to="nan@example.org", subject="Update", body=CASE_UPDATE)
    # Shown to her responsible member of staff, on their alerts page.
    alerts = client.get("/staff/alerts/").content.decode()
    assert "Tried to send personal data outside the council" in alerts
    assert volunteer.get("/staff/alerts/").status_code == 403


def test_4_a_volunteer_sees_only_what_was_shared_and_never_an_nhs_number(scene: Any, world: Any) -> None:
    from discretion.records import sharing

    kayden = scene["kayden"]
    kayden.nhs_number = "9434765919"
    kayden.save()
    world.entry(scene["kayden_case"], "Seen by CAMHS.", title="Health", special_category=True)
    world.entry(scene["kayden_case"], "Neighbour's account.", title="Neighbour", third_party=True)
    world.entry(
        scene["kayden_case"], "Referrer asked not to be named.", title="Referral", confidential_source=True
    )
    volunteer = _client(scene["amy"])
    assert volunteer.get(f"/people/{kayden.ref}/").status_code == 404  # not shared yet
    assert b"No cases have been shared with you yet" in volunteer.get("/").content
    sharing.share_case(
        scene["sarah"], ref=scene["kayden_case"].ref, supervisee_username=scene["amy"].username
    )
    page = volunteer.get(f"/people/{kayden.ref}/").content.decode()
    assert "9434765919" not in page and "943 476 5919" not in page and "919" in page
    assert volunteer.get(f"/api/records/people/{kayden.ref}").json()["nhs_number"].endswith("919")
    case_page = volunteer.get(f"/cases/{scene['kayden_case'].ref}/").content.decode()
    assert "Health" not in case_page and "Neighbour" not in case_page and "Referral" not in case_page
    assert "shared with you" in volunteer.get("/").content.decode()


def test_8_register_reads_searches_and_request_reads_appear_on_who_has_looked(scene: Any, world: Any) -> None:
    igo = world.staff("information_governance")
    sarah = _client(scene["sarah"])
    sarah.get("/people/?q=Walsh")
    created = sarah.post(
        "/api/requests/",
        {
            "requester": {"name": "DC Rao", "category": "police"},
            "channel": "letter",
            "person_refs": [scene["kayden"].ref],
            "information": ["child_personal"],
            "purpose": "missing_child",
        },
        content_type="application/json",
    ).json()
    _client(scene["manager"]).get(f"/requests/{created['id']}/")
    _client(scene["manager"]).get("/disclosures/")
    page = _client(igo).get(f"/audit/people/{scene['kayden'].ref}/").content.decode()
    for action in ("people.search", "request.read", "request.logged"):
        assert action in page, action


def test_8_refusals_on_the_register_sar_alerts_research_and_audit_are_audited(scene: Any) -> None:
    sarah = _client(scene["sarah"])
    for path in (
        "/disclosures/",
        "/api/disclosures/",
        "/information-rights/sar/",
        "/api/information-rights/sar/1",
        "/staff/compliance/",
        f"/audit/people/{scene['kayden'].ref}/",
    ):
        assert sarah.get(path).status_code in (403, 404), path
    refused = set(
        AuditEvent.objects.filter(actor_id=scene["sarah"].pk, action__endswith=".refused").values_list(
            "action", flat=True
        )
    )
    assert {
        "disclosures.register_read.refused",
        "information_rights.refused",
        "staff.oversight.refused",
        "audit.read.refused",
    } <= refused
