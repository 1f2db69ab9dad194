from __future__ import annotations

import json
from pathlib import Path

import pytest

from discretion.detect import StaffMember, Subject, SubjectIndex

DATA = Path(__file__).resolve().parents[1] / "data"

KAYDEN = {
    "ref": "P000123",
    "given_names": "Kayden Lee",
    "family_name": "Walsh",
    "aliases": ["Kay Walsh"],
    "dob": "2015-04-03",
    "addresses": [{"line1": "12 Mill Lane", "town": "Chorley", "postcode": "PR7 1AB"}],
    "nhs_number": "943 476 5919",
}
HOPE = {"ref": "P000124", "given_names": "Hope", "family_name": "Preston", "dob": "2012-05-01"}
SARAH = {
    "given_names": "Sarah",
    "family_name": "Hughes",
    "email": "sarah.hughes@council.example",
    "phone": "01772 123456",
}


@pytest.fixture
def index() -> SubjectIndex:
    return SubjectIndex(
        [Subject.from_json(KAYDEN), Subject.from_json(HOPE)],
        [StaffMember.from_json(SARAH)],
        allow_list=["0300 123 6701", "@partner.example"],
        council_addresses=["County Hall, Fishergate, Preston PR1 8XJ"],
    )


@pytest.fixture(scope="session")
def corpus_index() -> SubjectIndex:
    council = json.loads((DATA / "detect_council.json").read_text())
    return SubjectIndex(
        [Subject.from_json(o) for o in json.loads((DATA / "outbound_subjects.json").read_text())],
        [StaffMember.from_json(o) for o in json.loads((DATA / "outbound_staff.json").read_text())],
        allow_list=council["allow_list"],
        council_addresses=council["council_addresses"],
    )
