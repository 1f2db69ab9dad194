"""The finder reads through invisible characters, compatibility forms and look-alike letters
(red-team probe 13), and every finding still points at the text as written."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discretion.detect import Label, Subject, SubjectIndex, scan
from discretion.detect.unmask import unmask
from tests.detect.conftest import HOPE, KAYDEN

ZWSP, SOFT_HYPHEN, WORD_JOINER, ZWNJ, ZWJ, BOM = "\u200b", "\u00ad", "\u2060", "\u200c", "\u200d", "\ufeff"
FORMAT_CHARACTERS = [ZWSP, SOFT_HYPHEN, WORD_JOINER, ZWNJ, ZWJ, BOM, "\u180e", "\u2061", "\u202a", "\u202c"]


def labelled(text: str, index: SubjectIndex) -> list[tuple[str, str, str | None]]:
    out = []
    for f in scan(text, index).findings:
        assert f.text == text[f.start : f.end]  # the finding is the original text, format characters and all
        out.append((f.text, str(f.label), f.subject_ref))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Re Kayden Wal{ZWSP}sh today", (f"Kayden Wal{ZWSP}sh", "PERSON", "P000123")),
        (f"Re Kay{SOFT_HYPHEN}den Walsh today", (f"Kay{SOFT_HYPHEN}den Walsh", "PERSON", "P000123")),
        (f"Re Kayden{WORD_JOINER} Walsh today", (f"Kayden{WORD_JOINER} Walsh", "PERSON", "P000123")),
        ("Re Kаydеn Wаlsh today", ("Kаydеn Wаlsh", "PERSON", "P000123")),  # Cyrillic а and е
        ("Re ΚΑΥDEN WALSH today", ("ΚΑΥDEN WALSH", "PERSON", "P000123")),  # Greek capitals
        ("Re Ｋａｙｄｅｎ Ｗａｌｓｈ today", ("Ｋａｙｄｅｎ Ｗａｌｓｈ", "PERSON", "P000123")),  # full width
        (f"NHS 943 476 59{ZWSP}19", (f"943 476 59{ZWSP}19", "NHS_NUMBER", "P000123")),
        ("NHS ９４３ ４７６ ５９１９", ("９４３ ４７６ ５９１９", "NHS_NUMBER", "P000123")),
        (f"at 12 Mill La{ZWJ}ne, Chorley", (f"12 Mill La{ZWJ}ne", "ADDRESS", "P000123")),
        (f"mail jo.blo{ZWSP}ggs@mailbox.example now", (f"jo.blo{ZWSP}ggs@mailbox.example", "EMAIL", None)),
        (f"ring 07700 9{SOFT_HYPHEN}00123 later", (f"07700 9{SOFT_HYPHEN}00123", "PHONE", None)),
    ],
)
def test_evasions_are_read_through(
    index: SubjectIndex, text: str, expected: tuple[str, str, str | None]
) -> None:
    assert expected in labelled(text, index)


def test_the_map_back_points_at_the_original_characters() -> None:
    text = f"ab{ZWSP}c ﬁ Ｊ"
    read = unmask(text)
    assert read.text == "abc fi J"
    assert read.span(0, 3) == (0, 4)  # "abc" covers the zero-width space inside it
    assert read.span(4, 6) == (5, 6)  # "fi" came from one ligature
    assert read.span(7, 8) == (7, 8)
    assert unmask("plain ASCII").origin is None


def test_a_name_in_another_script_on_the_records_still_matches_itself() -> None:
    # The index and the message are folded alike, so a subject recorded with Cyrillic letters is found.
    index = SubjectIndex([Subject(ref="P000900", given_names="Алекс", family_name="Орлов")])
    assert ("Алекс Орлов", "PERSON", "P000900") in labelled("Re Алекс Орлов today", index)


_INDEX = SubjectIndex([Subject.from_json(KAYDEN), Subject.from_json(HOPE)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    inserts=st.lists(
        st.tuples(st.integers(min_value=0, max_value=12), st.sampled_from(FORMAT_CHARACTERS)),
        min_size=1,
        max_size=6,
    ),
    before=st.sampled_from(["Re ", "Dear colleague, about ", "", "Update: "]),
    after=st.sampled_from([" today.", "", " was seen at school.", ", thanks"]),
)
def test_format_characters_never_hide_a_known_name(
    inserts: list[tuple[int, str]], before: str, after: str
) -> None:
    index = _INDEX
    name = "Kayden Walsh"
    chars = list(name)
    for at, char in sorted(inserts, reverse=True):
        chars.insert(at, char)
    hidden = "".join(chars)
    text = before + hidden + after
    people = [f for f in scan(text, index).findings if f.label is Label.PERSON and f.subject_ref == "P000123"]
    assert people, text
    first = people[0]
    # The finding covers the name as written: from its first letter to its last.
    assert first.start <= len(before) + hidden.index("K")
    assert first.end >= len(before) + hidden.rindex("h") + 1
    assert first.text == text[first.start : first.end]
