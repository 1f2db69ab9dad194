from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discretion.detect import (
    Label,
    Subject,
    SubjectFormatError,
    SubjectIndex,
    is_service_user_personal_data,
    nhs_checksum_ok,
    normalise,
    scan,
)
from tests.detect.conftest import KAYDEN as KAYDEN_JSON


def found(text: str, index: SubjectIndex) -> list[tuple[str, str, str | None]]:
    return [(text[f.start : f.end], str(f.label), f.subject_ref) for f in scan(text, index).findings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Re Kayden Walsh today", ("Kayden Walsh", "PERSON", "P000123")),
        ("Kay Walsh was seen", ("Kay Walsh", "PERSON", "P000123")),
        ("born 3rd April 2015", ("3rd April 2015", "DOB", None)),
        ("at 12 Mill Lane, Chorley", ("12 Mill Lane", "ADDRESS", "P000123")),
        ("postcode PR7 1AB", ("PR7 1AB", "POSTCODE", None)),
        ("NHS 943 476 5919", ("943 476 5919", "NHS_NUMBER", "P000123")),
        ("NI JK 12 34 56 C ok", ("JK 12 34 56 C", "NI_NUMBER", None)),
        ("ring 07700 900123 later", ("07700 900123", "PHONE", None)),
        ("mail jo.bloggs@mailbox.example now", ("jo.bloggs@mailbox.example", "EMAIL", None)),
        ("ref P000123", ("P000123", "CASE_REF", "P000123")),
        ("case C004567", ("C004567", "CASE_REF", None)),
    ],
)
def test_each_label_fires(index: SubjectIndex, text: str, expected: tuple[str, str, str | None]) -> None:
    assert expected in found(text, index)
    # A postcode on its own is a place (about 15 households), not data about one person; a phone number or
    # e-mail address is reported, but counts as a service user's only when the message says whose it is.
    assert scan(text, index).contains_personal_data is (expected[1] not in ("POSTCODE", "PHONE", "EMAIL"))


@pytest.mark.parametrize(
    "text",
    [
        "We hope you have a good May half-term.",
        "The Preston office is closed on Friday.",
        "A rose by any other name.",
        "Number 401 234 5678 fails the NHS check.",
        "Meeting on 12/05/2025 at 10:00.",
        "Sarah Hughes, tel 01772 123456, sarah.hughes@council.example",
        "County Hall, Fishergate, Preston PR1 8XJ. Call 0300 123 6701.",
        "Write to info@partner.example",
        "In Q2 there were 131 referrals and 37 enquiries.",
    ],
)
def test_near_misses_do_not_fire(index: SubjectIndex, text: str) -> None:
    result = scan(text, index)
    assert result.findings == []
    assert not result.contains_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("spoke to kayden walsh today", ("kayden walsh", "PERSON", "P000123")),
        ("Kayden Walsh and Kayden's teacher", ("Kayden", "PERSON", "P000123")),
        ("about Kayden\nWalsh who", ("Kayden\nWalsh", "PERSON", "P000123")),
        ("Kayden Walsh DOB 3/4/15", ("3/4/15", "DOB", "P000123")),
        ("Kayden Walsh d.o.b. 03.04.2015", ("03.04.2015", "DOB", "P000123")),
        ("Kayden Walsh born 3rd April 2015", ("3rd April 2015", "DOB", "P000123")),
        ("Kayden Walsh, PR71AB", ("PR71AB", "POSTCODE", "P000123")),
        ("NHS no 9434765919", ("9434765919", "NHS_NUMBER", "P000123")),
        ("NHS no 943-476-5919", ("943-476-5919", "NHS_NUMBER", "P000123")),
    ],
)
def test_written_forms(index: SubjectIndex, text: str, expected: tuple[str, str, str | None]) -> None:
    assert expected in found(text, index)


def test_single_name_needs_context(index: SubjectIndex) -> None:
    # "Hope" is a subject's given name but also a common word: alone it is not flagged ...
    assert found("Hope to see you soon", index) == []
    # ... but with her date of birth nearby it is her.
    assert ("Hope", "PERSON", "P000124") in found("Hope (DOB 01/05/2012) attended", index)
    # A distinctive given name, rare in the index, counts on its own and with a school nearby.
    assert ("Kayden", "PERSON", "P000123") in found("Kayden was upset", index)


def test_a_shared_first_name_needs_something_tying_it_to_one_child() -> None:
    many = [Subject(ref=f"P{i:06d}", given_names="Kayden", family_name=f"Fam{i}") for i in range(10)]
    index = SubjectIndex(many)
    assert found("Kayden said hello", index) == []
    assert [x[1] for x in found("Kayden was upset at school", index)] == ["PERSON"]
    assert [x[1] for x in found("His brother Kayden (7) was there", index)] == ["PERSON"]


def test_staff_not_flagged_but_a_familys_own_contacts_are(index: SubjectIndex) -> None:
    text = "Sarah Hughes\n01772 123456\nsarah.hughes@council.example\nMum: 07700 900999, mum@mailbox.example"
    labels = found(text, index)
    assert labels == [("07700 900999", "PHONE", None), ("mum@mailbox.example", "EMAIL", None)]
    result = scan(text, index)
    assert result.contains_personal_data and is_service_user_personal_data(result.findings)
    assert all(f.of_service_user for f in result.findings)
    # A number with nothing saying whose it is, or a desk's, is not a service user's.
    assert not scan("Ring 07700 900999 after 2pm.", index).contains_personal_data
    assert found("Ring the duty desk on 01772 536200.", index) == []


def test_incremental_refresh(index: SubjectIndex) -> None:
    text = "Placement for Zebedee Quarmby starts Monday."
    assert found(text, index) == []
    index.upsert(Subject(ref="P000999", given_names="Zebedee", family_name="Quarmby"))
    assert found(text, index) == [("Zebedee Quarmby", "PERSON", "P000999")]
    index.remove("P000999")
    assert found(text, index) == []
    index.remove("P000999")  # idempotent


def test_upsert_replaces_old_details(index: SubjectIndex) -> None:
    index.upsert(Subject.from_json({"ref": "P000123", "given_names": "Kayden", "family_name": "Marsden"}))
    # The only Kayden is now a Marsden: "Kayden Walsh" is someone else.
    assert found("Kayden Walsh", index) == []
    assert ("Kayden Marsden", "PERSON", "P000123") in found("Kayden Marsden", index)
    assert found("12 Mill Lane", index) == []


def test_a_new_name_is_found_at_once_and_the_automaton_rebuilt_only_for_a_new_word(
    index: SubjectIndex,
) -> None:
    scan("write to kaydenwalsh@mailbox.example", index)
    before = index.rebuilds
    index.upsert(Subject(ref="P000555", given_names="Kayden", family_name="Walsh"))
    scan("write to kaydenwalsh@mailbox.example", index)
    assert index.rebuilds == before  # no new word: automaton untouched
    index.upsert(Subject(ref="P000556", given_names="Oswin", family_name="Walsh"))
    index.upsert(Subject(ref="P000557", given_names="Thaddeus", family_name="Walsh"))
    assert found("Oswin Walsh", index) == [("Oswin Walsh", "PERSON", "P000556")]
    assert index.rebuilds == before  # names are looked up word by word: nothing to rebuild
    [email] = scan("Her own e-mail: oswinwalsh@mailbox.example", index).findings
    assert email.of_service_user and email.subject_ref == "P000556"
    assert index.rebuilds == before + 1


def test_ambiguous_full_name_has_no_ref() -> None:
    index = SubjectIndex(
        [
            Subject(ref="P1", family_name="Walsh", given_names="Kayden"),
            Subject(ref="P2", family_name="Walsh", given_names="Kayden"),
        ]
    )
    assert found("Kayden Walsh", index) == [("Kayden Walsh", "PERSON", None)]


def test_subject_from_json_names_bad_field() -> None:
    with pytest.raises(SubjectFormatError, match="family_name"):
        Subject.from_json({"ref": "P1"})
    with pytest.raises(SubjectFormatError, match="dob"):
        Subject.from_json({"ref": "P1", "family_name": "X", "dob": "3/4/15"})
    with pytest.raises(SubjectFormatError, match=r"addresses\[0\]\.line1"):
        Subject.from_json({"ref": "P1", "family_name": "X", "addresses": [{"town": "Chorley"}]})
    with pytest.raises(SubjectFormatError, match="nhs_number"):
        Subject.from_json({"ref": "P1", "family_name": "X", "nhs_number": "12"})


def test_nhs_checksum() -> None:
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")


def test_custom_case_ref_patterns() -> None:
    index = SubjectIndex([], case_ref_patterns={"case": r"CS-\d{4}"})
    assert found("see CS-1234 and C123456", index) == [("CS-1234", "CASE_REF", None)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_normalise_offsets_point_into_original(text: str) -> None:
    norm = normalise(text)
    assert len(norm.text) == len(norm.origin)
    assert all(0 <= o <= len(text) for o in norm.origin)
    assert list(norm.origin) == sorted(norm.origin)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Kayden Walsh", "DOB 3/4/15", "hope", "PR71AB", "x@y.example", "\n", " ", "'s", "Zed"]
        ),
        max_size=12,
    )
)
def test_findings_sorted_within_text_no_same_label_overlap(parts: list[str]) -> None:
    index = SubjectIndex([Subject(ref="P000123", given_names="Kayden", family_name="Walsh")])
    text = " ".join(parts)
    findings = scan(text, index).findings
    assert findings == sorted(findings, key=lambda f: f.start)
    last: dict[Label, int] = {}
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.start >= last.get(f.label, 0)
        last[f.label] = f.end


def test_a_home_address_shared_by_several_subjects_is_still_personal_data() -> None:
    """Three people at one address: the finder names none of them, but it is still their home."""
    home = {"line1": "27 Chapel Street", "town": "Burnley", "postcode": "BB12 6AA"}
    family = [
        Subject.from_json({"ref": f"P00000{i}", "given_names": g, "family_name": "Hall", "addresses": [home]})
        for i, g in enumerate(("Dean", "Skye", "Mason"), start=1)
    ]
    index = SubjectIndex(family)
    result = scan("Home visit to 27 Chapel Street, Burnley on Monday.", index)
    assert [f.label for f in result.findings] == ["ADDRESS"] and result.findings[0].subject_ref is None
    assert is_service_user_personal_data(result.findings)


def test_the_councils_own_address_is_allowed_as_whole_words_only() -> None:
    """ "1 Mill Lane" is a service user's home, not part of the council's "21 Mill Lane"."""
    subject = Subject.from_json(
        {
            "ref": "P000007",
            "given_names": "Ava",
            "family_name": "Ward",
            "addresses": [{"line1": "1 Mill Lane", "postcode": "PR7 1AA"}],
        }
    )
    index = SubjectIndex([subject], council_addresses=["21 Mill Lane, Chorley PR7 9ZZ"])
    assert ("1 Mill Lane", "ADDRESS", "P000007") in found("Visit at 1 Mill Lane today", index)
    assert found("Meeting at 21 Mill Lane, Chorley", index) == []


@pytest.mark.parametrize(
    "text",
    [
        "DOB: 22-Apr-2020",
        "DOB 22-APR-2020",
        "DOB: 22 Apr 20",
        "DOB: 22042020",
        "Date of birth (child): 22/04/2020",
        "Her date of birth is 22/04/2020.",
    ],
)
def test_dates_of_birth_as_case_systems_and_people_write_them(text: str) -> None:
    [finding] = scan(text, SubjectIndex([])).findings
    assert finding.label == Label.DOB
    assert text[finding.start : finding.end].replace(" ", "") in (
        "22-Apr-2020",
        "22-APR-2020",
        "22Apr20",
        "22042020",
        "22/04/2020",
    )


def test_eight_digits_without_a_cue_are_not_a_date_of_birth() -> None:
    assert scan("Invoice 22042020 paid", SubjectIndex([])).findings == []


@pytest.mark.parametrize(
    ("written", "known"),
    [
        ("Victoria OConnor attended.", ("Victoria", "O'Connor")),
        ("Victoria Oconnor attended.", ("Victoria", "O’Connor")),
        ("Zoe Bronte attended.", ("Zoë", "Brontë")),
        ("Zoe\u0308 Bronte\u0308 attended.", ("Zoë", "Brontë")),
        ("Ismail Yilmaz attended.", ("İsmail", "Yılmaz")),
        ("Ismail Yılmaz attended.", ("Ismail", "Yilmaz")),
    ],
)
def test_names_match_without_accents_or_apostrophes(written: str, known: tuple[str, str]) -> None:
    index = SubjectIndex([Subject(ref="P000321", given_names=known[0], family_name=known[1])])
    [finding] = scan(written, index).findings
    assert finding.label == Label.PERSON and finding.subject_ref == "P000321"
    assert written[finding.start : finding.end].split()[0] in ("Victoria", "Zoe", "Zoe\u0308", "Ismail")


def test_an_apostrophe_name_leaves_no_stray_initial() -> None:
    """O'Connor no longer leaves the token "o" to match "O level"."""
    index = SubjectIndex([Subject(ref="P000322", given_names="Victoria", family_name="O'Connor")])
    assert scan("The school's O level results are out.", index).findings == []


@pytest.mark.parametrize(
    "text",
    [
        "How are you? Just checking in before the meeting.",
        "Hi, how is the new term going?",
        "Can you send the max figure for the budget?",
        "Jan meeting notes attached.",
        "Gray skies over Kent today.",
        "Please review the Ashton report on attendance.",
    ],
)
def test_everyday_words_that_are_also_names_are_not_flagged_alone(text: str) -> None:
    index = SubjectIndex(
        [
            Subject(ref="P000401", given_names="Max", family_name="Howarth", aliases=("How",)),
            Subject(ref="P000402", given_names="Jan", family_name="Gray"),
            Subject(ref="P000403", given_names="Kent", family_name="Ashton"),
        ]
    )
    assert scan(text, index).findings == []
    assert found("Max Howarth attended the review.", index) == [("Max Howarth", "PERSON", "P000401")]


@pytest.mark.parametrize("typed", ["P000123", "p000123", "P 000123", "P-000123"])
def test_person_references_as_typed(typed: str, index: SubjectIndex) -> None:
    [finding] = scan(f"Re: {typed} - update", index).findings
    assert finding.label == Label.CASE_REF and finding.subject_ref == "P000123"


def test_an_nhs_number_written_with_dots(index: SubjectIndex) -> None:
    [finding] = scan("NHS no. 943.476.5919", index).findings
    assert finding.label == Label.NHS_NUMBER and finding.subject_ref == "P000123"


def test_a_long_message_is_read_in_windows_with_the_same_findings() -> None:
    """A message many windows long: every finding still found, offsets into the whole message, and a lone
    first name far from the full name that makes it identifying still counts."""
    from discretion.detect.scan import WINDOW_CHARS

    filler = "The panel met and agreed the plan for the coming term. " * 40
    parts = ["Kayden said hello on Monday."]
    while sum(map(len, parts)) < 3 * WINDOW_CHARS:
        parts.append(filler)
    parts.append("Re Kayden Walsh, NHS 943 476 5919, 12 Mill Lane.")
    text = "\n".join(parts)
    others = [Subject(ref=f"P90000{i}", given_names="Kayden", family_name=f"Other{i}") for i in range(5)]
    index = SubjectIndex([Subject.from_json({**KAYDEN_JSON, "given_names": "Kayden"}), *others])
    assert scan(parts[0], index).findings == []  # five Kaydens: alone, the name is no one in particular
    result = scan(text, index)
    assert [(text[f.start : f.end], str(f.label)) for f in result.findings] == [
        ("Kayden", "PERSON"),
        ("Kayden Walsh", "PERSON"),
        ("943 476 5919", "NHS_NUMBER"),
        ("12 Mill Lane", "ADDRESS"),
    ]
    assert all(f.subject_ref == "P000123" for f in result.findings)
    assert all(f.why for f in result.findings)
