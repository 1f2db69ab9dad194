"""Red-team probe 12: a subject-access request made by a "parent" (or anyone acting for someone
else) is answered only once they are shown to be one. ICO right of access (requests made on behalf
of others; children's data): identity verified; evidence of parental responsibility or written
authority checked by a second officer; where the child is likely to understand, the judgement
recorded, and the child's consent or a recorded best-interests reason. Page, API and CLI alike."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from discretion import access, cli
from discretion.audit.models import AuditEvent
from discretion.disclosures.models import Disclosure
from discretion.information_rights import representation
from discretion.information_rights import services as ir

from .conftest import entitle, sign_off

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def scene(world: Any) -> dict[str, Any]:
    team = world.team()
    young = world.person("Kayden", "Walsh", dob=_today().replace(year=_today().year - 8))
    older = world.person("Maisie", "Walsh", dob=_today().replace(year=_today().year - 14))
    for child in (young, older):
        case = world.case(child, team)
        world.entry(case, f"{child.given_names} said they are scared at home.")
    igo = world.staff("information_governance")
    return {"young": young, "older": older, "igo": igo, "world": world}


def _parent_sar(scene: Any, child: Any, **intake: Any) -> Any:
    sar = ir.open_sar(
        scene["igo"],
        requester_name="Total Stranger",
        requester_contact="stranger@example.org",
        requester_kind=intake.pop("requester_kind", "parent"),
        subject_ref=child.ref,
        **({"child_understands": False} | intake),
    )
    ir.verify_identity(scene["igo"], sar.pk, evidence="Driving licence")
    return sar


def test_an_unproven_parent_gets_nothing_by_any_route(
    scene: Any, client: Client, capsys: Any, monkeypatch: Any
) -> None:
    from discretion import commands

    monkeypatch.setattr(commands, "database_has_table", lambda table: True)
    sar = _parent_sar(scene, scene["young"])
    with pytest.raises(ir.InvalidInput, match="parental responsibility"):
        ir.compile_records(scene["igo"], sar.pk)
    with pytest.raises(ir.InvalidInput):
        ir.release_bundle(scene["igo"], sar.pk)
    client.force_login(scene["igo"])
    page = client.post(f"/information-rights/sar/{sar.pk}/compile/")
    assert page.status_code == 400 and b"parental responsibility" in page.content
    api = client.post(f"/api/information-rights/sar/{sar.pk}/compile")
    assert api.status_code == 400 and "parental responsibility" in api.json()["detail"]
    assert cli.main(["sar", "compile", str(sar.pk), "--as", scene["igo"].username]) == 2
    assert "parental responsibility" in capsys.readouterr().err
    sar.refresh_from_db()
    assert sar.compiled_at is None and not Disclosure.objects.exists()


def test_evidence_counts_only_once_a_second_officer_checks_it(scene: Any, world: Any) -> None:
    sar = _parent_sar(scene, scene["young"])
    evidence = representation.add_evidence(
        scene["igo"], sar.pk, code="parental_responsibility", description="Birth certificate naming her"
    )
    with pytest.raises(access.NotPermitted, match="Someone other than"):
        representation.check_evidence(scene["igo"], sar.pk, evidence.pk, accept=True, note="Looks fine")
    access.flush_pending_refusals()  # written once the refused transaction is over
    assert AuditEvent.objects.filter(action="ir.sar.evidence_check.refused").exists()
    with pytest.raises(access.NotPermitted, match="information governance"):
        representation.check_evidence(
            world.staff("legal_services"), sar.pk, evidence.pk, accept=True, note="ok"
        )
    with pytest.raises(ir.InvalidInput, match="parental responsibility"):
        ir.compile_records(scene["igo"], sar.pk)
    second = world.staff("information_governance")
    with pytest.raises(ir.InvalidInput, match="Enter what you checked"):
        representation.check_evidence(second, sar.pk, evidence.pk, accept=True, note=" ")
    representation.check_evidence(second, sar.pk, evidence.pk, accept=False, note="Names someone else")
    with pytest.raises(ir.InvalidInput, match="parental responsibility"):
        ir.compile_records(scene["igo"], sar.pk)  # a rejected document counts for nothing
    entitle(world, scene["igo"], sar.pk)
    ir.compile_records(scene["igo"], sar.pk)  # a child of 8 judged not to understand: the parent acts
    sign_off(world, scene["igo"], sar.pk)
    _, token, code = ir.release_bundle(scene["igo"], sar.pk)
    assert token and code


def test_a_child_likely_to_understand_has_their_judgement_and_view_recorded(scene: Any, world: Any) -> None:
    sar = _parent_sar(scene, scene["older"], child_understands=True, child_consents=None)
    entitle(world, scene["igo"], sar.pk)
    with pytest.raises(ir.InvalidInput, match="why you judge"):
        ir.compile_records(scene["igo"], sar.pk)
    representation.record_child(scene["igo"], sar.pk, understands=True, reason="14, mature, talks openly")
    with pytest.raises(ir.InvalidInput, match="child's view"):
        ir.compile_records(scene["igo"], sar.pk)
    representation.record_child(
        scene["igo"], sar.pk, understands=True, reason="14, mature", consents=False, child_view="Said no."
    )
    with pytest.raises(ir.InvalidInput, match="respond to the child"):
        ir.compile_records(scene["igo"], sar.pk)
    with pytest.raises(ir.InvalidInput, match="not overridden"):
        representation.record_child(
            scene["igo"], sar.pk, understands=True, reason="14", consents=False, best_interests="Needs it"
        )
    representation.record_child(
        scene["igo"],
        sar.pk,
        understands=True,
        reason="14, mature",
        consents=True,
        child_view="Agreed in person with her social worker on 1 December",
    )
    ir.compile_records(scene["igo"], sar.pk)
    sign_off(world, scene["igo"], sar.pk)
    # She changes her mind before the release: the release is refused (checked at every build).
    representation.record_child(
        scene["igo"], sar.pk, understands=True, reason="14, mature", consents=False, child_view="Now says no."
    )
    with pytest.raises(ir.InvalidInput, match="respond to the child"):
        ir.release_bundle(scene["igo"], sar.pk)
    assert not Disclosure.objects.exists()
    assert AuditEvent.objects.filter(action="ir.sar.child_recorded").count() == 4


def test_best_interests_recorded_answers_the_parent_when_the_child_was_not_asked(
    scene: Any, world: Any
) -> None:
    sar = _parent_sar(scene, scene["older"])
    entitle(world, scene["igo"], sar.pk)
    representation.record_child(
        scene["igo"],
        sar.pk,
        understands=True,
        reason="14 and able",
        best_interests="In hospital and cannot be asked; the parent needs the care plan to support her",
    )
    ir.compile_records(scene["igo"], sar.pk)


def test_in_scotland_a_child_of_twelve_or_over_is_presumed_to_understand(
    scene: Any, world: Any, settings: Any
) -> None:
    settings.DISCRETION_NATION = "scotland"
    sar = _parent_sar(scene, scene["older"], child_understands=None)
    entitle(world, scene["igo"], sar.pk)
    assert representation.child_understands(sar)
    with pytest.raises(ir.InvalidInput, match="child's view"):
        ir.compile_records(scene["igo"], sar.pk)


def test_a_representative_needs_the_persons_written_authority(scene: Any, world: Any) -> None:
    sar = _parent_sar(scene, scene["young"], requester_kind="representative", written_authority=True)
    with pytest.raises(ir.InvalidInput, match="written authority"):
        ir.compile_records(scene["igo"], sar.pk)
    pr = representation.add_evidence(scene["igo"], sar.pk, code="parental_responsibility", description="x")
    representation.check_evidence(
        world.staff("information_governance"), sar.pk, pr.pk, accept=True, note="ok"
    )
    with pytest.raises(ir.InvalidInput, match="written authority"):
        ir.compile_records(scene["igo"], sar.pk)  # the wrong kind of evidence for a representative
    entitle(world, scene["igo"], sar.pk)
    ir.compile_records(scene["igo"], sar.pk)


def test_the_page_and_api_record_and_check_the_evidence(scene: Any, world: Any, client: Client) -> None:
    sar = _parent_sar(scene, scene["young"])
    client.force_login(scene["igo"])
    page = client.get(f"/information-rights/sar/{sar.pk}/").content.decode()
    assert "Acting for someone else" in page and "parental responsibility" in page
    bad = client.post(f"/information-rights/sar/{sar.pk}/add-evidence/", {"add-evidence-description": "x"})
    assert bad.status_code == 400 and b"Select what the evidence is" in bad.content
    added = client.post(
        f"/information-rights/sar/{sar.pk}/add-evidence/",
        {"add-evidence-code": "parental_responsibility", "add-evidence-description": "Birth certificate"},
    )
    assert added.status_code == 302
    evidence = sar.evidence.get()
    second = Client()
    second.force_login(world.staff("information_governance"))
    checked = second.post(
        f"/api/information-rights/sar/{sar.pk}/evidence/{evidence.pk}/check",
        {"accept": True, "note": "Names her as mother"},
        content_type="application/json",
    )
    assert checked.status_code == 200 and checked.json()["still_needed"] == []
    assert client.post(f"/information-rights/sar/{sar.pk}/compile/").status_code == 302


def test_the_cli_compiles_once_entitled(scene: Any, world: Any, monkeypatch: Any, capsys: Any) -> None:
    from discretion import commands

    monkeypatch.setattr(commands, "database_has_table", lambda table: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    sar = _parent_sar(scene, scene["young"])
    entitle(world, scene["igo"], sar.pk)
    assert cli.main(["sar", "compile", str(sar.pk), "--as", scene["igo"].username]) == 0
    assert '"queued": true' in capsys.readouterr().out
