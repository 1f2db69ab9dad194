"""Red-team probe 7: a subject-access bundle holds the requester-subject's own personal data. Their
own case files go in full (with third parties proposed for redaction); from a sibling's file only the
entries about them go in, the sibling's data proposed for redaction; never the sibling's whole file."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from discretion.information_rights import services as ir
from discretion.information_rights.models import Decision, Redaction
from discretion.records.models import CaseMember

pytestmark = pytest.mark.django_db

NOT_ABOUT_KAYDEN = "Told her teacher she is frightened of her stepfather; bruises seen on her arm."
ABOUT_KAYDEN = (
    "Maisie Walsh said her brother Kayden Walsh pushed her at tea time. "
    "She has nightmares and wets the bed most nights."
)


@pytest.fixture
def scene(world: Any) -> dict[str, Any]:
    team, other = world.team(), world.team()
    kayden, maisie = world.person("Kayden", "Walsh"), world.person("Maisie", "Walsh")
    kayden_case = world.case(kayden, team)
    maisie_case = world.case(maisie, other)
    CaseMember.objects.create(case=maisie_case, person=kayden, role="sibling")
    own = world.entry(kayden_case, "Kayden said he likes his new school.")
    private = world.entry(maisie_case, NOT_ABOUT_KAYDEN)
    about = world.entry(maisie_case, ABOUT_KAYDEN)
    igo = world.staff("information_governance")
    sar = ir.open_sar(
        igo,
        requester_name="Kayden Walsh",
        requester_contact="kayden@example.org",
        requester_kind="self",
        subject_ref=kayden.ref,
    )
    ir.verify_identity(igo, sar.pk, evidence="Passport")
    return locals()


def _bundle_text(igo: Any, sar_id: int) -> str:
    pdf = PdfReader(io.BytesIO(ir.build_bundle(igo, sar_id)))
    return " ".join("".join(page.extract_text() for page in pdf.pages).split())


def test_only_the_entries_about_the_subject_come_from_a_siblings_file(scene: Any) -> None:
    compiled = ir.compile_records(scene["igo"], scene["sar"].pk)
    by_case = {c.case.pk: c for c in compiled.cases}
    assert [e.pk for e in by_case[scene["kayden_case"].pk].entries] == [scene["own"].pk]
    assert by_case[scene["kayden_case"].pk].own
    sibling = by_case[scene["maisie_case"].pk]
    assert not sibling.own and [e.pk for e in sibling.entries] == [scene["about"].pk]
    assert scene["private"].pk not in compiled.entry_ids


def test_the_siblings_own_data_in_that_entry_is_proposed_for_redaction(scene: Any) -> None:
    ir.compile_records(scene["igo"], scene["sar"].pk)
    proposed = {
        r.text
        for r in Redaction.objects.filter(
            sar=scene["sar"], entry_id=scene["about"].pk, decision=Decision.PROPOSED
        )
    }
    assert "She has nightmares and wets the bed most nights." in proposed  # a sentence only about Maisie
    assert "Maisie Walsh" in proposed  # her name, in the sentence about Kayden


def test_the_bundle_never_carries_the_siblings_file(scene: Any) -> None:
    ir.compile_records(scene["igo"], scene["sar"].pk)
    text = _bundle_text(scene["igo"], scene["sar"].pk)
    assert "Kayden said he likes his new school." in text  # his own file, in full
    assert "pushed her at tea time" in text  # what is about him in hers
    for withheld in (
        "frightened of her stepfather",
        "bruises",
        "nightmares",
        "Maisie",
        scene["maisie_case"].ref,
    ):
        assert withheld not in text
    assert "Entries about you in another child's records" in text
