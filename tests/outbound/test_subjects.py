from __future__ import annotations

import argparse
import datetime as dt
import io
import json
from typing import Any

from discretion.detect import Address, Subject, scan
from discretion.detect import cli as scan_cli
from discretion.outbound import subjects
from discretion.records.models import Address as AddressRow
from discretion.records.models import Person, PersonName


def refs(text: str) -> set[str | None]:
    return {f.subject_ref for f in scan(text, subjects.get_index()).findings}


def test_people_load_with_aliases_addresses_and_nhs_number_in_three_queries(
    scene: Any, world: Any, django_assert_num_queries: Any
) -> None:
    world.person("Amelia", "Stone", aliases=(("Millie", "Stone", "alias"),))
    with django_assert_num_queries(3):
        loaded = {s.ref: s for s in subjects.load_subjects()}

    assert loaded[scene.child.ref] == Subject(
        ref=scene.child.ref,
        family_name="Walsh",
        given_names="Kayden Lee",
        dob=dt.date(2015, 4, 3),
        addresses=(Address("12 Mill Lane", "Chorley", "PR7 1AB"),),
        nhs_number="9434765919",
        is_child=True,
    )
    assert [s.aliases for s in loaded.values() if s.family_name == "Stone"] == [("Millie Stone",)]
    staff = subjects.load_staff()
    assert any(m.family_name == "Hughes" and m.email == "sarah.hughes@council.example" for m in staff)


def test_index_is_refreshed_incrementally_through_signals(scene: Any, world: Any) -> None:
    index = subjects.get_index()
    assert refs("Update on Zainab Okafor.") == set()

    zainab = world.person("Zainab", "Okafor", dob=dt.date(2016, 1, 9))
    assert subjects.get_index() is index  # upserted in place, not rebuilt
    assert refs("Update on Zainab Okafor.") == {zainab.ref}

    PersonName.objects.create(
        person=zainab,
        kind="known_as",
        given_names="Zee",
        family_name="Bello",
        search_key="zee bello",
        family_sound="B400",
    )
    AddressRow.objects.create(person=zainab, line1="4 Canal Street", town="Leyland", postcode="PR25 2XY")
    assert refs("Zee Bello has moved.") == {zainab.ref}
    assert zainab.ref in refs("The family now live at 4 Canal Street.")

    # A family name on its own, with something tying it to a case (issue 14: "Mr Okafor phoned." alone
    # is anyone called Okafor).
    assert refs("Mr Okafor phoned about the child protection plan.") == {zainab.ref}
    zainab.family_name = "Adeyemi"
    zainab.save()
    assert refs("Update on Zainab Adeyemi.") == {zainab.ref}
    assert refs("Mr Okafor phoned about the child protection plan.") == set()

    zainab.delete()
    assert refs("Update on Zainab Adeyemi.") == set()
    assert subjects.get_index() is index


def test_people_added_without_signals_are_caught_up(scene: Any) -> None:
    index = subjects.get_index()
    # bulk_create sends no signals: the way another process's writes look from here.
    (_person,) = Person.objects.bulk_create(
        [Person(ref="P777001", given_names="Tobias", family_name="Quill")]
    )
    assert refs("Tobias Quill missed school.") == {"P777001"}
    assert subjects.get_index() is index


def test_a_sign_in_does_not_rebuild_but_a_staff_change_does(scene: Any) -> None:
    index = subjects.get_index()
    scene.worker.save(update_fields=["last_login"])
    assert subjects.get_index() is index
    scene.worker.last_name = "Hughes-Ward"
    scene.worker.save()
    assert subjects.get_index() is not index


def test_scan_command_reads_people_from_the_database(scene: Any, monkeypatch: Any, capsys: Any) -> None:
    parser = argparse.ArgumentParser()
    scan_cli.register(parser.add_subparsers(dest="command"), subjects_provider=subjects.subjects_provider)
    args = parser.parse_args(["scan", "--json", "--as", scene.worker.username])
    monkeypatch.setattr("sys.stdin", io.StringIO("Kayden Walsh was seen today. Sarah Hughes"))

    assert args.func(args) == 0

    out = json.loads(capsys.readouterr().out)
    assert out["contains_personal_data"] is True
    assert [(f["label"], f.get("subject_ref")) for f in out["findings"]] == [("PERSON", scene.child.ref)]
