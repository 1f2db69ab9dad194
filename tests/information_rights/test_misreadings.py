"""The rules that match a word OCR read on a scan to a third party's name (pure functions), and the
proposals they make on a page's words: which misreadings count, which ordinary words do not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discretion import detect
from discretion.information_rights.compile import THIRD_PARTY_LABELS
from discretion.information_rights.documents import boxes, misreadings
from discretion.information_rights.documents.ocr import Word

THIRD_PARTIES = ["Roxanne Pellow", "Gary Whitworth", "Tyler Hollis", "Wayne Brierley", "Bernadette Okonkwo"]
KEYS = boxes.NameKeys.build(THIRD_PARTIES, ["Kayden Walsh"])


def _words(*lines: str) -> list[Word]:
    words = []
    for line, text in enumerate(lines):
        for i, token in enumerate(text.split()):
            words.append(
                Word(0.05 + i * 0.1, 0.1 + line * 0.03, 0.13 + i * 0.1, 0.12 + line * 0.03, token, line)
            )
    return words


@pytest.mark.parametrize(
    ("token", "key", "expected"),
    [
        ("hollis", "hollis", True),
        ("hol1is", "hollis", True),  # 1 for l
        ("ho11is", "hollis", True),  # two of them cost nothing
        ("rnaureen", "maureen", True),  # rn for m
        ("okonkvvo", "okonkwo", True),  # vv for w
        ("roxarme", "roxanne", True),  # two edits in a long name
        ("pel0w", "pellow", True),  # 0 for o, and a letter lost
        ("cary", "gary", True),  # a capital OCR confuses: C for G
        ("lyler", "tyler", True),  # L for T
        ("care", "gary", False),  # another word: a confused capital and another letter
        ("vary", "gary", False),  # V is not read for G
        ("warns", "wayne", False),  # "warm" misread is two edits from a five-letter name
        ("warn", "wayne", False),
        ("late", "tyler", False),
        ("maths", "hollis", False),
        ("homes", "hollis", False),
        ("ther", "tyler", False),
        ("bernadette", "bernadette", True),
        ("bemadctte", "bernadette", True),  # rn read as m, and an e as c
        ("fellow", "pellow", True),  # a wrong first letter in a name of six letters or more
        ("ab", "gary", False),
    ],
)
def test_close_counts_ocr_misreadings_and_not_other_words(token: str, key: str, expected: bool) -> None:
    assert misreadings.close(token, key) is expected


@pytest.mark.parametrize(
    ("first", "second", "key", "expected"),
    [
        ("ber", "nadette", "bernadette", True),  # split by OCR
        ("brier", "ley", "brierley", True),  # hyphenated at a line's end ("Brier-", folded)
        ("brie", "rlcy", "brierley", True),  # and an edit in a long name
        ("was", "oe", "wayne", False),
        ("had", "reen", "maureen", False),
        ("g", "ary", "gary", False),  # a letter on its own is not half a name
    ],
)
def test_joined_reads_a_name_split_in_two(first: str, second: str, key: str, expected: bool) -> None:
    assert misreadings.joined(first, second, key) is expected


@pytest.mark.parametrize(
    ("token", "key", "expected"),
    [
        ("pellowhad", "pellow", True),
        ("hollisanswered", "hollis", False),  # too much run in: could be anything
        ("roxannesaid", "roxanne", True),
        ("garyhad", "gary", False),  # a short name run into a word is too weak a sign
        ("pellow", "pellow", False),  # not run into anything
    ],
)
def test_run_into_finds_a_name_run_into_the_next_word(token: str, key: str, expected: bool) -> None:
    assert misreadings.run_into(token, key) is expected


@given(st.text(alphabet="abcdefghijklmnopqrstuwxyz", min_size=3, max_size=12))  # no v: "vvv" is ambiguous
@settings(max_examples=200, deadline=None)
def test_a_name_read_exactly_or_with_shapes_confused_is_close(name: str) -> None:
    assert misreadings.close(name, name)
    assert misreadings.distance(name, name) == 0
    confused = name.replace("m", "rn").replace("l", "1").replace("w", "vv").replace("o", "0")
    assert misreadings.distance(confused, name) == 0


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz01", max_size=10),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz01", max_size=10),
)
@settings(max_examples=200, deadline=None)
def test_distance_is_symmetric_and_never_more_than_letter_edits(a: str, b: str) -> None:
    import jellyfish

    assert misreadings.distance(a, b) == misreadings.distance(b, a)
    assert misreadings.distance(a, b) <= jellyfish.levenshtein_distance(a, b)


def test_names_misread_split_or_run_in_are_boxed_and_the_subject_and_ordinary_words_are_not() -> None:
    words = _words(
        "Cary Whitworth said Kayden Walsh was warm and well",
        "Visited Brier-",
        "ley at home; Pellowhad left, Ber nadette came late",
    )
    found = {p.text: p.match_key for p in boxes.fuzzy_names(words, KEYS)}
    assert found["Cary Whitworth"] == "gary whitworth"
    assert found["Brier-"] == found["ley"] == "brierley"  # one name, a box on each line
    assert found["Pellowhad"] == "pellow"
    assert found["Ber nadette"] == "bernadette"
    assert not any(word in text for text in found for word in ("Kayden", "Walsh", "warm", "late"))
    exact = {p.text for p in boxes.fuzzy_names(words, KEYS, fuzzy=False)}
    assert exact == {"Whitworth"}  # a text layer is read exactly: no guessing on it


def test_a_full_name_read_again_is_not_hidden_by_a_box_for_its_first_word() -> None:
    index = detect.SubjectIndex(
        subjects=[detect.Subject(ref="S", family_name="Walsh", given_names="Kayden")]
        + [
            detect.Subject(ref=f"T{i}", family_name=name.split()[1], given_names=name.split()[0])
            for i, name in enumerate(THIRD_PARTIES)
        ]
    )
    third = {f"T{i}" for i in range(len(THIRD_PARTIES))}
    first = _words("the report of Bernadette Dns pojoKe the court")  # the family name unreadable
    second = _words("the report of Bernadette Okonkwo before the court")  # read by another pass
    proposals = boxes.propose_readings(
        [first, second], index, third, THIRD_PARTY_LABELS, keys=KEYS, fuzzy=True
    )
    okonkwo = second[4]
    centre = ((okonkwo.x0 + okonkwo.x1) / 2, (okonkwo.y0 + okonkwo.y1) / 2)
    assert any(p.x0 <= centre[0] <= p.x1 and p.y0 <= centre[1] <= p.y1 for p in proposals)
    # and the same box twice is not proposed twice
    again = boxes.propose_readings([second, second], index, third, THIRD_PARTY_LABELS, keys=KEYS, fuzzy=True)
    assert len(again) == len(boxes.propose(second, index, third, THIRD_PARTY_LABELS, keys=KEYS, fuzzy=True))


@pytest.mark.parametrize(
    ("candidate", "existing", "hidden"),
    [
        ((0.1, 0.1, 0.3, 0.12), [(0.1, 0.1, 0.3, 0.12)], True),
        ((0.1, 0.1, 0.3, 0.12), [(0.1, 0.1, 0.22, 0.12)], False),  # "Bernadette" of "Bernadette Okonkwo"
        ((0.1, 0.1, 0.3, 0.12), [(0.1, 0.1, 0.2, 0.12), (0.19, 0.1, 0.3, 0.12)], True),  # both words
        ((0.1, 0.1, 0.3, 0.12), [(0.1, 0.2, 0.3, 0.22)], False),  # another line
        ((0.1, 0.1, 0.3, 0.12), [(0.0, 0.0, 1.0, 1.0)], True),  # a whole page
    ],
)
def test_hidden_by(
    candidate: tuple[float, float, float, float],
    existing: list[tuple[float, float, float, float]],
    hidden: bool,
) -> None:
    def box(edges: tuple[float, float, float, float]) -> boxes.Proposal:
        return boxes.Proposal(*edges, "x", "x", boxes.THIRD_PARTY)

    assert boxes.hidden_by(box(candidate), [box(e) for e in existing]) is hidden


@pytest.mark.parametrize(
    ("token", "key", "expected"),
    [
        ("okage", "okonkwo", True),
        ("wovens", "whitworth", True),
        ("agreed", "brierley", False),  # another first letter
        ("oe", "okonkwo", False),  # too short to be it
        ("", "okonkwo", False),
        ("qvout", "okonkwo", True),  # Q is read for O: a box a reviewer rejects
    ],
)
def test_could_be(token: str, key: str, expected: bool) -> None:
    assert misreadings.could_be(token, key) is expected


def test_a_word_ocr_could_not_read_next_to_a_name_is_boxed_as_the_rest_of_it() -> None:
    def line(*read: tuple[str, float]) -> list[Word]:
        return [
            Word(0.1 * i, 0.1, 0.1 * i + 0.08, 0.12, text, 0, conf) for i, (text, conf) in enumerate(read)
        ]

    unsure = line(("of", 96), ("Bernadette", 95), ("Okage", 0), ("by", 90))
    assert {(p.text, p.match_key) for p in boxes.fuzzy_names(unsure, KEYS)} == {
        ("Bernadette", "bernadette"),
        ("Okage", "okonkwo"),
    }
    sure = line(("of", 96), ("Bernadette", 95), ("Okage", 91), ("by", 90))  # read with confidence
    assert {p.text for p in boxes.fuzzy_names(sure, KEYS)} == {"Bernadette"}
    other = line(("Wayne", 95), ("agreed", 20), ("to", 90))  # a given name alone, then a word
    assert {p.text for p in boxes.fuzzy_names(other, KEYS)} == {"Wayne"}
    after = line(("about", 90), ("Gary", 95), ("Wovens", 28))
    assert {p.text for p in boxes.fuzzy_names(after, KEYS)} == {"Gary", "Wovens"}
    before = line(("about", 90), ("Cxxy", 25), ("Whitworth", 93))
    assert {p.text for p in boxes.fuzzy_names(before, KEYS)} == {"Cxxy", "Whitworth"}
