"""Strict parsing of request facts, defaults, and stable JSON."""

from __future__ import annotations

import pytest

from discretion.policy import Channel, Consent, FactsError, Information, Purpose, facts_to_json, parse_facts


def test_minimal_facts_take_documented_defaults() -> None:
    f = parse_facts({"requester": {"category": "colleague"}})
    assert f.purpose is Purpose.OTHER
    assert f.channel is None
    assert f.consent is Consent.NONE
    assert f.information == frozenset() and f.documents == frozenset() and f.approvals == frozenset()
    assert not (f.in_writing or f.in_doubt or f.claims_legal_right or f.risk_if_informed)
    assert not (f.requester.works_with_child or f.requester.identity_verified)


@pytest.mark.parametrize(
    ("channel", "in_writing"),
    [
        ("letter", True),
        ("email", True),
        ("secure_email", True),
        ("portal", True),
        ("phone", False),
        ("in_person", False),
    ],
)
def test_in_writing_is_derived_from_the_channel_when_absent(channel: str, in_writing: bool) -> None:
    assert parse_facts({"requester": {"category": "police"}, "channel": channel}).in_writing is in_writing
    given = parse_facts(
        {"requester": {"category": "police"}, "channel": channel, "in_writing": not in_writing}
    )
    assert given.in_writing is (not in_writing)


def test_unknown_code_names_the_field_and_the_allowed_values() -> None:
    with pytest.raises(FactsError) as caught:
        parse_facts({"requester": {"category": "cop"}})
    message = str(caught.value)
    assert message.startswith("unknown value 'cop' for requester.category; allowed: colleague, other_agency,")
    assert caught.value.field == "requester.category"


@pytest.mark.parametrize(
    ("obj", "field", "fragment"),
    [
        ({"requester": {"category": "police"}, "colour": "red"}, "colour", "unknown field colour"),
        ({"requester": {"category": "police", "rank": 3}}, "requester.rank", "unknown field requester.rank"),
        ({"requester": {}}, "requester.category", "requester.category is required"),
        ({}, "requester", "requester must be an object"),
        ({"requester": {"category": "police"}, "information": ["gossip"]}, "information", "child_personal"),
        (
            {"requester": {"category": "police"}, "information": "child_personal"},
            "information",
            "must be a list",
        ),
        ({"requester": {"category": "police"}, "in_doubt": "yes"}, "in_doubt", "true or false"),
        ({"requester": {"category": "police"}, "channel": "fax"}, "channel", "secure_email"),
        ({"requester": {"category": "police"}, "consent": "implied"}, "consent", "verbal, written"),
        ({"requester": {"category": "police"}, "documents": ["warrant"]}, "documents", "court_order"),
        ({"requester": {"category": "police"}, "approvals": ["chief"]}, "approvals", "research_governance"),
        ({"requester": {"category": "police"}, "purpose": 7}, "purpose", "must be a string"),
    ],
)
def test_bad_facts_are_rejected_naming_the_field(obj: dict[str, object], field: str, fragment: str) -> None:
    with pytest.raises(FactsError) as caught:
        parse_facts(obj)
    assert caught.value.field == field
    assert fragment in str(caught.value)


def test_facts_to_json_has_every_field_in_a_stable_order() -> None:
    f = parse_facts(
        {
            "requester": {"category": "police"},
            "channel": "phone",
            "information": ["non_personal", "child_personal", "child_personal"],
        }
    )
    out = facts_to_json(f)
    assert list(out) == [
        "requester",
        "channel",
        "in_writing",
        "purpose",
        "information",
        "consent",
        "documents",
        "claims_legal_right",
        "in_doubt",
        "risk_if_informed",
        "approvals",
    ]
    assert out["information"] == ["child_personal", "non_personal"]
    assert out["channel"] == Channel.PHONE.value
    assert f.information == {Information.CHILD_PERSONAL, Information.NON_PERSONAL}
