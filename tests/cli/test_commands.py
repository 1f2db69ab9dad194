"""The `discretion` command: seed determinism, audit verify exit codes, audit show, errors."""

from __future__ import annotations

import hashlib
import importlib
import json

import pytest
from django.core.management import call_command

from discretion.cli import main


def _digest() -> str:
    from discretion.records.models import Entry, Person
    from discretion.staff.models import Allocation

    h = hashlib.sha256()
    for row in Person.objects.order_by("ref").values_list(
        "ref", "given_names", "family_name", "date_of_birth", "nhs_number", "ethnicity"
    ):
        h.update(repr(row).encode())
    for row in Entry.objects.order_by("id").values_list(
        "case__ref", "occurred_on", "text", "third_party", "confidential_source", "special_category"
    ):
        h.update(repr(row).encode())
    for row in Allocation.objects.order_by("case__ref", "start_on").values_list(
        "staff__username", "case__ref", "start_on", "end_on"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


@pytest.mark.django_db(transaction=True)
def test_seed_is_deterministic_for_a_seed_and_differs_between_seeds(capsys):
    assert main(["seed", "--size", "small", "--seed", "7"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["children"] == 200 and report["entries"] > 1000
    first = _digest()
    assert main(["seed", "--size", "small", "--seed", "7"]) == 2  # refuses a non-empty database
    assert "already holds people" in capsys.readouterr().err
    call_command("flush", interactive=False, verbosity=0)
    main(["seed", "--size", "small", "--seed", "7"])
    assert _digest() == first
    call_command("flush", interactive=False, verbosity=0)
    main(["seed", "--size", "small", "--seed", "8"])
    assert _digest() != first


@pytest.mark.django_db(transaction=True)
def test_seeded_council_has_families_third_party_and_confidential_sources_and_supervised_staff():
    from discretion import seed
    from discretion.records.models import Entry, Relationship
    from discretion.staff.models import Staff

    seed.build("small", 3)
    assert Entry.objects.filter(third_party=True).exists()
    assert Entry.objects.filter(confidential_source=True).exists()
    assert Relationship.objects.filter(kind="parent").exists()
    # Siblings once per pair; care leavers are 16 to 25 and nobody younger has that case.
    from discretion.records.models import Case
    from discretion.seed import ANCHOR

    pairs = set(Relationship.objects.filter(kind="sibling").values_list("person_id", "relative_id"))
    assert pairs and not any((b, a) in pairs for a, b in pairs)
    leavers = Case.objects.filter(kind="Care leaver").select_related("subject")
    assert leavers.exists()
    for case in leavers:
        age = (ANCHOR - case.subject.date_of_birth).days // 365.25
        assert 16 <= age <= 25
    volunteer = Staff.objects.get(username="amy.wright")
    assert volunteer.responsible_staff.username == "sarah.hughes"


@pytest.mark.django_db(transaction=True)
def test_audit_verify_exit_codes(capsys):
    from discretion.audit import services as audit

    for i in range(3):
        audit.record(None, "test.event", object_id=i)
    assert main(["audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
        cursor.execute("UPDATE audit_auditevent SET action = 'forged' WHERE seq = 2")
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute(
                importlib.import_module("discretion.audit.migrations.0002_append_only").SQLITE_TRIGGER
            )
    assert main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "event 2" in err and len(err.strip().splitlines()) == 1
    assert main(["audit", "verify", "--workers", "2"]) == 1
    with pytest.raises(SystemExit) as exited:
        main(["audit", "verify", "--workers", "0"])
    assert exited.value.code == 2
    assert "--workers" in capsys.readouterr().err
    from django.conf import settings

    settings.AUDIT_CHECKPOINT_PATH.unlink()
    assert main(["audit", "verify"]) == 1
    assert capsys.readouterr().err.startswith("audit chain cannot be verified: the signed head checkpoint")


@pytest.mark.django_db(transaction=True)
def test_audit_verify_from_a_saved_checkpoint(tmp_path, capsys):
    from discretion.audit import services as audit

    audit.record(None, "test.event")
    saved = tmp_path / "nightly.json"
    assert main(["audit", "verify", "--save-checkpoint", str(saved)]) == 0
    audit.record(None, "test.event")
    assert main(["audit", "verify", "--from-checkpoint", str(saved), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["checked"] == 1
    saved.write_text("not json")
    assert main(["audit", "verify", "--from-checkpoint", str(saved)]) == 2


@pytest.mark.django_db(transaction=True)
def test_audit_show_lists_who_looked(world, capsys):
    from discretion import access

    team = world.team()
    worker = world.staff(team=team, username="worker.one")
    igo = world.staff("information_governance", username="igo.one")
    child = world.person()
    world.case(child, team, workers=(worker,))
    access.get_person_for(worker, child.pk)
    assert main(["audit", "show", "--person", child.ref, "--as", "igo.one"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any(line["action"] == "person.read" and line["staff"] == "worker.one" for line in lines)
    assert main(["audit", "show", "--person", "P000000000", "--as", "igo.one"]) == 2
    assert main(["audit", "show", "--person", child.ref, "--as", "worker.one"]) == 2
    assert igo


def test_unknown_subcommand_and_bad_size_exit_2_with_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["seed", "--size", "huge"])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
