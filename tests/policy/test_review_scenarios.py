"""Scenarios found in review against the policy text: who may use which 2.4 example, court orders
and consent outside FOI, doubt over commercial information, subject access for one's own records."""

from __future__ import annotations

import pytest

from discretion.policy import Condition, Outcome, Route

from .helpers import decision

VERIFIED = {"identity_verified": True, "entitlement_verified": True}


@pytest.mark.parametrize("category", ["other_agency", "colleague"])
def test_investigating_an_offence_is_the_polices_example_not_anyones_para_2_4(category: str) -> None:
    """2.4: "Where the Police are investigating a criminal offence"; anyone else needs consent (2.1)."""
    d = decision(category, purpose="criminal_investigation", channel="letter", information=["child_personal"])
    assert d.outcome is not Outcome.SHARE
    assert "2.2-safeguarding" not in d.rules
    police = decision(
        "police",
        purpose="criminal_investigation",
        channel="letter",
        information=["child_personal"],
        approvals=["manager"],
        **VERIFIED,
    )
    assert police.outcome is Outcome.SHARE and "2.4-need-to-know" in police.rules
    assert "2.2-safeguarding" not in police.rules  # an investigation is need to know, not safeguarding


def test_a_member_of_the_public_with_a_court_order_or_written_consent_is_not_an_foi_request_para_2_2() -> (
    None
):
    ordered = decision(
        "member_of_public",
        purpose="legal_proceedings",
        channel="letter",
        information=["child_personal"],
        documents=["court_order"],
        approvals=["legal_services"],
        **VERIFIED,
    )
    assert ordered.outcome is Outcome.SHARE and "3-foi" not in ordered.rules
    consented = decision(
        "member_of_public",
        purpose="other",
        channel="letter",
        information=["child_personal"],
        consent="written",
        documents=["written_consent"],
        **VERIFIED,
    )
    assert consented.outcome is Outcome.SHARE and "2.1-consent" in consented.rules
    plain = decision("member_of_public", purpose="other", channel="letter", information=["child_personal"])
    assert plain.outcome is Outcome.REFUSE and Route.FOI_TEAM in plain.route_to  # s40(2)


def test_doubt_over_commercial_information_alone_is_for_the_manager_para_1_3() -> None:
    asked = dict(purpose="other", channel="in_person", information=["commercial"], in_doubt=True)
    d = decision("colleague", **asked)
    assert d.outcome is Outcome.REFER and d.route_to == (Route.MANAGER,)
    assert decision("colleague", **asked, approvals=["manager"]).outcome is Outcome.SHARE
    personal = decision(
        "colleague", purpose="other", channel="in_person", information=["child_personal"], in_doubt=True
    )
    assert Route.INFORMATION_GOVERNANCE in personal.route_to  # 1.1: doubt about personal data


@pytest.mark.parametrize("category", ["childrens_guardian", "inspector"])
def test_a_court_order_gives_statutory_access_too_para_2_2(category: str) -> None:
    d = decision(
        category,
        purpose="legal_proceedings",
        channel="letter",
        information=["child_personal"],
        documents=["court_order"],
    )
    # The order is in hand, but who sent it and whether they are entitled is checked first.
    assert d.outcome is Outcome.NEED_MORE and "2.4-statutory" in d.rules
    assert {Condition.VERIFY_IDENTITY, Condition.VERIFY_ENTITLEMENT} <= set(d.conditions)
    assert {"identity_verified", "entitlement_verified"} <= set(d.missing)
    checked = decision(
        category,
        purpose="legal_proceedings",
        channel="letter",
        information=["child_personal"],
        documents=["court_order"],
        **VERIFIED,
    )
    assert checked.outcome is Outcome.SHARE


def test_police_for_an_inquiry_or_with_a_role_in_the_childs_care_after_a_managers_approval_para_2_4() -> None:
    for fields in ({"purpose": "inquiry_review"}, {"purpose": "care_planning", "works_with_child": True}):
        d = decision(
            "police",
            channel="letter",
            information=["child_personal"],
            approvals=["manager"],
            **VERIFIED,
            **fields,
        )
        assert d.outcome is Outcome.SHARE, fields
    unapproved = decision(
        "police", channel="letter", information=["child_personal"], purpose="inquiry_review"
    )
    assert unapproved.outcome is Outcome.REFER and Condition.MANAGER_APPROVAL in unapproved.conditions


def test_subject_access_is_for_ones_own_or_ones_childs_information_para_3() -> None:
    own = decision("data_subject", purpose="own_records", channel="letter", information=["child_personal"])
    assert own.route_to == (Route.SUBJECT_ACCESS_TEAM,)
    assert Condition.VERIFY_ENTITLEMENT not in own.conditions  # the subject proves identity only
    someone_else = decision(
        "parent_carer", purpose="other", channel="letter", information=["third_party_personal"]
    )
    assert Route.SUBJECT_ACCESS_TEAM not in someone_else.route_to and "2.1-consent" in someone_else.rules
