"""Holes a red-team review found at the seams after issue "Close every door"; each test replays the
attack and asserts it now fails (and is audited where a refusal is)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from discretion import access
from discretion.audit.models import AuditEvent
from discretion.requests import services as requests

pytestmark = pytest.mark.django_db


def _client(staff: Any, **kw: Any) -> Client:
    client = Client(raise_request_exception=False, **kw)
    client.force_login(staff)
    return client


@pytest.fixture
def scene(world: Any) -> dict[str, Any]:
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
    jordan = world.person("Jordan", "Blackwood", dob=dt.date(2012, 9, 14))
    jordan_case = world.case(jordan, other)  # a child Sarah has nothing to do with
    amy = world.staff(employment_type="volunteer", responsible=sarah, team=team)
    return locals()


def test_lower_case_bearer_does_not_walk_past_the_policy_gate(scene: Any, world: Any) -> None:
    from discretion.staff.models import Acknowledgement
    from discretion.staff.tokens import issue_api_token

    igo = world.staff("information_governance")
    Acknowledgement.objects.filter(staff=igo).delete()
    token = issue_api_token(igo, name="script")
    for scheme in ("Bearer", "bearer", "BEARER"):
        client = Client(raise_request_exception=False, headers={"Authorization": f"{scheme} {token}"})
        for url in ("/api/disclosures/", "/api/staff/alerts", "/api/information-rights/dashboard"):
            assert client.get(url).status_code == 403, (scheme, url)


def test_an_igo_who_asked_cannot_handle_her_own_request(scene: Any, world: Any) -> None:
    gareth = world.staff("information_governance", username="gareth.morgan")
    note = world.entry(scene["kayden_case"], "Kayden's mother disclosed...", title="Strategy")
    req = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(
            name="Gareth Morgan", category="colleague", colleague="gareth.morgan", works_with_child=True
        ),
        channel="in_person",
        person_ids=[scene["kayden"].pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    with pytest.raises(access.NotPermitted):
        requests.complete_task(gareth, req.pk, "inform_subject", note="Told.", outcome="told")
    with pytest.raises(access.NotPermitted):
        requests.select_entries(gareth, req.pk, {note.pk: "I want it"})


def test_one_igo_cannot_both_approve_and_release_a_request(scene: Any, world: Any) -> None:
    gareth = world.staff("information_governance")
    req = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(name="DC Rao", category="police", contact="rao@police.uk"),
        channel="letter",
        person_ids=[scene["kayden"].pk],
        information=["child_personal"],
        purpose="criminal_investigation",
        in_writing=True,
    )
    requests.decide_referral(gareth, req.pk, approve=True, reasoning="Fine")
    with pytest.raises(access.NotPermitted):
        requests.complete_task(gareth, req.pk, "verify_identity", note="ok")
    # and whoever did the handler's part cannot then approve
    other_igo = world.staff("information_governance")
    req2 = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(name="DC Rao", category="police", contact="rao@police.uk"),
        channel="letter",
        person_ids=[scene["kayden"].pk],
        information=["child_personal"],
        purpose="criminal_investigation",
    )
    requests.complete_task(other_igo, req2.pk, "verify_identity", note="ok")
    with pytest.raises(access.NotPermitted):
        requests.decide_referral(other_igo, req2.pk, approve=True, reasoning="Fine")


def test_break_glass_is_no_basis_for_a_release_without_a_second_person(scene: Any, world: Any) -> None:
    from discretion.requests import record_access
    from discretion.requests.models import Request

    note = world.entry(scene["jordan_case"], "Jordan disclosed...", title="Disclosure")
    access.break_glass(scene["sarah"], scene["jordan_case"].pk, "Worried about this child")
    req = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(
            name="Mr X", category="other_agency", works_with_child=True, contact="x@example.org"
        ),
        channel="secure_email",
        person_ids=[scene["jordan"].pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    for kind in ("verify_identity", "verify_entitlement"):
        requests.complete_task(scene["sarah"], req.pk, kind, note="ok")
    assert record_access.status_of(Request.objects.get(pk=req.pk)) == record_access.Status.NEEDED
    with pytest.raises(access.NotPermitted, match="must agree"):
        requests.select_entries(scene["sarah"], req.pk, {note.pk: "needed"})


def test_the_press_office_cannot_tell_request_ids_apart(scene: Any, world: Any) -> None:
    req = requests.log_request(
        scene["sarah"],
        requester=requests.RequesterDetails(name="DC Rao", category="police"),
        channel="letter",
        person_ids=[scene["kayden"].pk],
        information=["child_personal"],
        purpose="criminal_investigation",
    )
    press = _client(world.staff("press_office"))
    body = {"approve": True, "reasoning": "x"}
    for path in ("referral", "tasks", "release"):
        real = press.post(f"/api/requests/{req.pk}/{path}", body, content_type="application/json")
        missing = press.post(f"/api/requests/999999/{path}", body, content_type="application/json")
        assert real.status_code == missing.status_code == 404 or (real.status_code, missing.status_code) == (
            422,
            422,
        ), path
    assert AuditEvent.objects.filter(action="request.change.refused").exists()


def test_a_request_for_non_personal_information_releases_no_case_notes(scene: Any, world: Any) -> None:
    sarah, kayden = scene["sarah"], scene["kayden"]
    health = world.entry(scene["kayden_case"], "CAMHS: self-harm.", title="Health", special_category=True)
    visit = world.entry(scene["kayden_case"], "Kayden lives with his mother.", title="Visit")
    req = requests.log_request(
        sarah,
        requester=requests.RequesterDetails(name="Mr X", category="other_agency", contact="x@example.org"),
        channel="phone",
        person_ids=[kayden.pk],
        information=["non_personal"],
        purpose="other",
    )
    assert req.decision["outcome"] == "share"
    assert all(not c.allowed for c in requests.candidates_for(sarah, req))
    with pytest.raises(requests.InvalidInput, match="withheld"):
        requests.select_entries(sarah, req.pk, {health.pk: "asked", visit.pk: "asked"})


def test_a_release_goes_only_to_the_requesters_recorded_contact(scene: Any, world: Any) -> None:
    from tests.conftest import approved_request

    sarah, kayden = scene["sarah"], scene["kayden"]
    entry = world.entry(scene["kayden_case"], "Home visit: Kayden was well.")
    req_id = approved_request(world, sarah, kayden, "head@school.example.org")
    requests.select_entries(sarah, req_id, {entry.pk: "Needed"})
    with pytest.raises(requests.InvalidInput, match="only to the person who asked"):
        requests.release_request(sarah, req_id, channel="secure_link", address="curious@gmail.com")
    with pytest.raises(requests.InvalidInput, match="only to the person who asked"):
        requests.release_request(sarah, req_id, channel="post", address="9 Elsewhere Road")
    release = requests.release_request(
        sarah, req_id, channel="secure_link", address="HEAD@school.example.org"
    )
    assert release.disclosure.recipient_address.lower() == "head@school.example.org"


def test_a_check_made_on_a_letter_does_not_stand_for_a_phone_call(scene: Any) -> None:
    from discretion.requests.models import Request, Task

    sarah, kayden = scene["sarah"], scene["kayden"]
    req = requests.log_request(
        sarah,
        requester=requests.RequesterDetails(name="Dr Who", category="other_agency", works_with_child=True),
        channel="letter",
        person_ids=[kayden.pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    requests.complete_task(sarah, req.pk, "verify_identity", note="ok")
    requests.complete_task(sarah, req.pk, "verify_entitlement", note="ok")
    requests.set_facts(sarah, req.pk, {"channel": "phone"})
    req = Request.objects.get(pk=req.pk)
    assert req.facts["requester"]["entitlement_verified"] is False
    assert "verify_entitlement" in req.decision["conditions"] and req.decision["outcome"] != "share"
    assert Task.objects.filter(request=req, voided_at__isnull=False).count() == 2
    with pytest.raises(requests.InvalidInput, match="Enter the number you called back on"):
        requests.complete_task(sarah, req.pk, "verify_entitlement", note="ok")
    # A new contact for the requester: who they are and that they may have it are checked again.
    requests.complete_task(sarah, req.pk, "verify_identity", note="ok")
    requests.set_facts(sarah, req.pk, {"contact": "dr.who@nhs.example"})
    req = Request.objects.get(pk=req.pk)
    assert (
        req.requester_contact == "dr.who@nhs.example" and req.facts["requester"]["identity_verified"] is False
    )


# --- hardening H2: replacing a recipient's encryption key ------------------------------------------


def _pgp_key(email: str) -> Any:
    import pgpy
    from pgpy.constants import HashAlgorithm, KeyFlags, PubKeyAlgorithm, SymmetricKeyAlgorithm

    key = pgpy.PGPKey.new(PubKeyAlgorithm.RSAEncryptOrSign, 2048)
    key.add_uid(
        pgpy.PGPUID.new("x", email=email),
        usage={KeyFlags.EncryptCommunications},
        hashes=[HashAlgorithm.SHA256],
        ciphers=[SymmetricKeyAlgorithm.AES256],
    )
    return key


def test_only_information_governance_replaces_a_recipients_key(scene: Any, world: Any) -> None:
    from discretion.outbound import services as outbound
    from discretion.outbound.models import RecipientKey
    from discretion.staff.models import Alert

    real, mine = _pgp_key("dsl@school.example"), _pgp_key("dsl@school.example")
    igo = world.staff("information_governance")
    first = outbound.register_recipient_key(igo, address="dsl@school.example", public_key=str(real.pubkey))
    # The same key again is no replacement: a team manager may register it.
    same = outbound.register_recipient_key(
        scene["manager"], address="dsl@school.example", public_key=str(real.pubkey)
    )
    assert same.fingerprint == first.fingerprint
    for who in (scene["manager"], world.staff("administrator")):
        with pytest.raises(access.NotPermitted, match="only information governance"):
            outbound.register_recipient_key(who, address="dsl@school.example", public_key=str(mine.pubkey))
        access.flush_pending_refusals()
        assert AuditEvent.objects.filter(action="outbound.key_replace.refused", actor_id=who.pk).exists()
    assert RecipientKey.objects.get(address="dsl@school.example").fingerprint == first.fingerprint
    assert not Alert.objects.exists()

    # Information governance may, audited with both fingerprints, and the other officers are alerted.
    swapped = outbound.register_recipient_key(igo, address="dsl@school.example", public_key=str(mine.pubkey))
    assert swapped.pk == first.pk and swapped.fingerprint != first.fingerprint
    event = AuditEvent.objects.get(action="outbound.key_replaced", actor_id=igo.pk)
    assert first.fingerprint in event.details and swapped.fingerprint in event.details
    alert = Alert.objects.get(kind="key_replaced", subject_staff=igo)
    assert "dsl@school.example" in alert.summary
    other_igo = world.staff("information_governance")
    from discretion.staff import services as staff_services

    assert list(staff_services.alerts_for(other_igo)) == [alert]


# --- probe 1: the outbound finder as an "is this person known to us?" oracle --------------------

UNRELATED = b"personal data of someone on the council&#x27;s records"


def _looked_at(igo: Any, person: Any) -> list[tuple[int | None, str]]:
    _person, events = access.who_has_viewed(igo, person.ref)
    return [(e.actor_id, e.action) for e in events]


def test_a_compose_check_is_audited_and_says_nothing_of_a_stranger(scene: Any, world: Any) -> None:
    sarah = _client(scene["sarah"])
    url = f"/outbound/cases/{scene['kayden_case'].ref}/compose/check/"
    known = sarah.post(url, {"to": "x@example.org", "subject": "", "body": "Jordan Blackwood 14/09/2012"})
    assert known.status_code == 200 and b"contains personal data" in known.content
    assert UNRELATED in known.content  # which record, or that it is a child's: not said
    assert scene["jordan"].ref.encode() not in known.content and b"child" not in known.content
    igo = world.staff("information_governance")
    assert (scene["sarah"].pk, "outbound.checked") in _looked_at(igo, scene["jordan"])
    # Her own case's child is named as such.
    own = sarah.post(url, {"to": "", "subject": "", "body": "Kayden Walsh"})
    assert b"<mark>Kayden Walsh</mark>" in own.content and UNRELATED not in own.content
    assert (scene["sarah"].pk, "outbound.checked") in _looked_at(igo, scene["kayden"])
    # The "Check message" button on the page is the same check.
    page = sarah.post(
        f"/outbound/cases/{scene['kayden_case'].ref}/compose/",
        {"to": "x@example.org", "subject": "", "body": "Jordan Blackwood", "action": "check"},
    )
    assert page.status_code == 200 and UNRELATED in page.content
    assert _looked_at(igo, scene["jordan"]).count((scene["sarah"].pk, "outbound.checked")) == 2


def test_a_volunteer_cannot_run_the_check(scene: Any, world: Any) -> None:
    from discretion.records import sharing
    from discretion.staff.models import Alert

    sharing.share_case(
        scene["sarah"], ref=scene["kayden_case"].ref, supervisee_username=scene["amy"].username
    )
    amy = _client(scene["amy"])
    url = f"/outbound/cases/{scene['kayden_case'].ref}/compose/check/"
    known = amy.post(url, {"to": "", "subject": "", "body": "Jordan Blackwood"})
    unknown = amy.post(url, {"to": "", "subject": "", "body": "Jordan Blackmore"})
    assert known.status_code == unknown.status_code == 403
    assert b"Blackwood" not in known.content and b"personal data of someone" not in known.content
    refused = AuditEvent.objects.filter(action="disclosure.release.refused", actor_id=scene["amy"].pk)
    assert refused.count() == 2 and refused.filter(person_id=scene["jordan"].pk).exists()
    assert Alert.objects.filter(kind="supervised_release", subject_staff=scene["amy"]).count() == 2
    # Nor by the mail-server check API.
    from discretion.staff.tokens import issue_api_token

    api = Client(
        raise_request_exception=False,
        headers={"Authorization": f"Bearer {issue_api_token(scene['amy'], name='x')}"},
    )
    r = api.post(
        "/api/outbound/check",
        {"to": ["a@example.org"], "body": "Jordan Blackwood"},
        content_type="application/json",
    )
    assert r.status_code == 403 and "Blackwood" not in r.content.decode()
    assert Alert.objects.filter(kind="supervised_release", subject_staff=scene["amy"]).count() == 3


def test_the_mail_server_check_names_the_person_in_the_audit_not_to_the_caller(
    scene: Any, world: Any
) -> None:
    from discretion.staff.tokens import issue_api_token

    admin = world.staff("administrator")
    api = Client(
        raise_request_exception=False,
        headers={"Authorization": f"Bearer {issue_api_token(admin, name='me')}"},
    )
    r = api.post(
        "/api/outbound/check",
        {"to": ["a@example.org"], "body": "Jordan Blackwood 14/09/2012"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["contains_personal_data"] is True
    shown = {(f["what"], f["why"]) for f in r.json()["findings"]}
    assert shown == {("personal data of someone on the council's records",) * 2}
    assert scene["jordan"].ref not in r.content.decode()
    igo = world.staff("information_governance")
    assert (admin.pk, "outbound.checked") in _looked_at(igo, scene["jordan"])


# --- probe 2: `discretion scan` against the council's records -----------------------------------


def _scan(monkeypatch: Any, capsys: Any, argv: list[str], text: str) -> tuple[int, str, str]:
    import io

    from discretion import cli, commands

    monkeypatch.setattr(commands, "database_has_table", lambda table: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_scan_needs_a_named_permitted_member_of_staff(
    scene: Any, world: Any, monkeypatch, capsys
) -> None:
    from discretion.staff.models import Alert

    before = AuditEvent.objects.count()
    for argv in (
        ["scan"],
        ["scan", "--as", "nobody.here"],
        ["scan", "--json", "--as", scene["amy"].username],
    ):
        code, out, err = _scan(monkeypatch, capsys, argv, "Jordan Blackwood 14/09/2012")
        assert (
            (code, out) == (2, "") and err.count("\n") == 1 and err.startswith("discretion scan: error:")
        ), argv
    assert "--as USERNAME" in _scan(monkeypatch, capsys, ["scan"], "x")[2]
    # Nobody was scanned for; the volunteer's attempt is audited and her supervisor told.
    assert not AuditEvent.objects.filter(action="outbound.checked").exists()
    assert AuditEvent.objects.filter(action="disclosure.release.refused", actor_id=scene["amy"].pk).exists()
    assert Alert.objects.filter(kind="supervised_release", subject_staff=scene["amy"]).exists()
    assert AuditEvent.objects.count() > before


def test_cli_scan_is_audited_and_masks_strangers(
    scene: Any, world: Any, monkeypatch, capsys, tmp_path
) -> None:
    import json

    sarah = scene["sarah"].username
    code, out, _ = _scan(monkeypatch, capsys, ["scan", "--as", sarah], "Jordan Blackwood 14/09/2012")
    assert code == 0 and "PERSON" in out and scene["jordan"].ref not in out
    assert "personal data of someone on the council's records" in out
    code, out, _ = _scan(monkeypatch, capsys, ["scan", "--json", "--as", sarah], "Kayden Walsh")
    assert json.loads(out)["findings"][0]["subject_ref"] == scene["kayden"].ref  # her own case
    igo = world.staff("information_governance")
    assert (scene["sarah"].pk, "outbound.checked") in _looked_at(igo, scene["jordan"])
    assert (scene["sarah"].pk, "outbound.checked") in _looked_at(igo, scene["kayden"])
    # Information governance sees every reference (audit is their relationship to every record).
    code, out, _ = _scan(
        monkeypatch,
        capsys,
        ["scan", "--jsonl", "--as", igo.username],
        '{"id": 1, "text": "Jordan Blackwood"}\n',
    )
    assert json.loads(out)["findings"][0]["subject_ref"] == scene["jordan"].ref
    assert AuditEvent.objects.filter(
        action="outbound.checked", actor_id=igo.pk, person_id=scene["jordan"].pk
    ).exists()
    # A scan with its own list of people reads nothing of the council's: no --as needed, no audit.
    n = AuditEvent.objects.filter(action="outbound.checked").count()
    people = tmp_path / "people.json"
    people.write_text(json.dumps([{"ref": "P1", "given_names": "Jordan", "family_name": "Blackwood"}]))
    code, out, _ = _scan(
        monkeypatch, capsys, ["scan", "--json", "--subjects", str(people)], "Jordan Blackwood"
    )
    assert code == 0 and json.loads(out)["findings"][0]["subject_ref"] == "P1"
    assert AuditEvent.objects.filter(action="outbound.checked").count() == n


# --- probe 17: a refused research extract or decision, by API --------------------------------------


def test_a_social_workers_research_extract_and_decision_are_refused_audited_and_dull(
    scene: Any, world: Any
) -> None:
    from discretion.research import services as research

    rg, rg2 = world.staff("research_governance"), world.staff("research_governance")
    req = research.submit_request(
        rg,
        research.Submission(
            title="t",
            purpose="p",
            lawful_basis="b",
            fields=["age_band"],
            retention="r",
            audience="a",
            requester_name="R",
        ),
    )
    research.decide_request(rg2, req.pk, approve=True, reasons="ok")
    sarah = _client(scene["sarah"])
    calls = (("extracts", {"pseudonymised": True}), ("decision", {"approve": True, "reasons": "x"}))
    for path, body in calls:
        real = sarah.post(f"/api/research/requests/{req.pk}/{path}", body, content_type="application/json")
        missing = sarah.post(f"/api/research/requests/999999/{path}", body, content_type="application/json")
        assert real.status_code == missing.status_code, path
        assert real.json() == missing.json(), path
    actions = set(AuditEvent.objects.filter(actor_id=scene["sarah"].pk).values_list("action", flat=True))
    assert {"research.extract.refused", "research.decide.refused"} <= actions
