"""One test per catalogue rule, named for its paragraph: a case where it fires, one where it must not.

Each case is decided end to end, so the test also shows the rule reaches the decision's reasons.
"""

from __future__ import annotations

from typing import Any

from discretion.policy import RULE_IDS, Condition, Outcome, Route

from .helpers import decision, fired

CHILD = {"information": ["child_personal"]}
S47 = {"purpose": "section_47_enquiry", "works_with_child": True, **CHILD}

TESTED: set[str] = set()

VERIFIED = {"identity_verified": True, "entitlement_verified": True}


def check(rule_id: str, fires: dict[str, Any], does_not: dict[str, Any]) -> None:
    TESTED.add(rule_id)
    fires, does_not = dict(fires), dict(does_not)
    assert rule_id in fired(fires.pop("category"), **fires)
    assert rule_id not in fired(does_not.pop("category"), **does_not)


def test_1_1_lawful_doubt_needs_advice_from_igo_or_legal() -> None:
    check(
        "1.1-lawful",
        {"category": "other_agency", "in_doubt": True, **S47},
        {"category": "other_agency", **S47},
    )
    advised = decision("other_agency", in_doubt=True, approvals=["legal_services"], **S47)
    assert "1.1-lawful" not in advised.rules


def test_1_1_record_every_share_is_recorded() -> None:
    check("1.1-record", {"category": "colleague", **S47}, {"category": "media", **S47})


def test_1_1_secure_email_personal_information_by_secure_channel_only() -> None:
    check(
        "1.1-secure-email",
        {"category": "colleague", "channel": "email", **S47},
        {"category": "colleague", "channel": "email", "information": ["non_personal"]},
    )


def test_1_2_authorised_nothing_disclosed_unless_the_policy_authorises_it() -> None:
    check(
        "1.2-authorised",
        {"category": "colleague", "purpose": "care_planning", "consent": "written", **CHILD},
        {"category": "colleague", "purpose": "care_planning", "works_with_child": True, **CHILD},
    )
    d = decision("colleague", purpose="other", **CHILD)
    assert d.outcome is Outcome.REFUSE
    assert {"1.2-authorised", "2.4-need-to-know"} <= set(d.rules)


def test_1_3_commercial_only_within_remit_doubt_to_the_manager() -> None:
    check(
        "1.3-commercial",
        {"category": "outside_body", "channel": "letter", "information": ["commercial"]},
        {"category": "outside_body", "channel": "letter", "information": ["non_personal"]},
    )
    outside = decision("outside_body", channel="letter", information=["commercial"])
    assert outside.outcome is Outcome.REFER and outside.route_to == (Route.MANAGER,)
    colleague = decision("colleague", information=["commercial"])
    assert colleague.outcome is Outcome.SHARE
    doubtful = decision("colleague", information=["commercial"], in_doubt=True)
    assert Route.MANAGER in doubtful.route_to


def test_1_4_what_is_required_a_request_must_say_what_it_wants() -> None:
    check("1.4-what-is-required", {"category": "colleague"}, {"category": "colleague", **S47})
    assert decision("colleague").missing == ("information",)


def test_1_4_research_needs_submission_and_approval() -> None:
    check(
        "1.4-research",
        {"category": "researcher_internal", "purpose": "research", **CHILD},
        {"category": "colleague", **S47},
    )


def test_1_4_outside_body_identity_and_entitlement_checked() -> None:
    check(
        "1.4-outside-body",
        {"category": "outside_body", "consent": "written", **CHILD},
        {
            "category": "outside_body",
            "consent": "written",
            "identity_verified": True,
            "entitlement_verified": True,
            **CHILD,
        },
    )


def test_1_4_in_writing_outside_requests_made_in_writing() -> None:
    check(
        "1.4-in-writing",
        {"category": "outside_body", "channel": "phone", **CHILD},
        {"category": "outside_body", "channel": "letter", **CHILD},
    )
    assert "1.4-in-writing" not in fired("police", channel="phone", purpose="missing_child", **CHILD)


def test_1_4_legal_right_claimed_right_checked_with_information_governance() -> None:
    check(
        "1.4-legal-right",
        {"category": "outside_body", "claims_legal_right": True, **CHILD},
        {"category": "outside_body", **CHILD},
    )
    assert "1.4-legal-right" not in fired("court", claims_legal_right=True, **CHILD)


def test_1_5_media_enquiries_to_the_press_office() -> None:
    check("1.5-media", {"category": "media", **CHILD}, {"category": "colleague", **S47})


def test_1_5_police_have_no_automatic_right() -> None:
    check(
        "1.5-police",
        {"category": "police", "purpose": "criminal_investigation", **CHILD},
        {"category": "police", "purpose": "criminal_investigation", "information": ["aggregate"]},
    )


def test_1_5_legal_proceedings_need_legal_services_and_a_court_order() -> None:
    check(
        "1.5-legal",
        {"category": "solicitor", "purpose": "legal_proceedings", **CHILD},
        {"category": "childrens_guardian", "purpose": "legal_proceedings", **CHILD},
    )


def test_2_1_consent_child_information_needs_consent() -> None:
    check(
        "2.1-consent",
        {"category": "other_agency", "purpose": "other", **CHILD},
        {"category": "other_agency", **S47},
    )
    consented = decision(
        "other_agency", purpose="other", consent="written", channel="letter", **CHILD, **VERIFIED
    )
    assert consented.outcome is Outcome.SHARE
    verbal_public = decision("outside_body", purpose="other", consent="verbal", channel="letter", **CHILD)
    assert verbal_public.outcome is Outcome.NEED_MORE and "written_consent" in verbal_public.missing


def test_2_1_not_personal_aggregate_and_non_personal_may_be_shared() -> None:
    check(
        "2.1-not-personal",
        {"category": "colleague", "information": ["aggregate"]},
        {"category": "colleague", **S47},
    )
    assert Condition.ANONYMISE in decision("colleague", information=["aggregate"]).conditions


def test_2_2_safeguarding_justifies_sharing_without_consent() -> None:
    check(
        "2.2-safeguarding",
        {"category": "other_agency", **S47},
        {"category": "other_agency", "consent": "verbal", **S47},
    )


def test_2_2_court_order_requires_access() -> None:
    check(
        "2.2-court-order",
        {"category": "outside_body", "documents": ["court_order"], "channel": "letter", **CHILD},
        {"category": "outside_body", "channel": "letter", **CHILD},
    )
    unchecked = decision("outside_body", documents=["court_order"], channel="letter", **CHILD)
    assert unchecked.outcome is Outcome.NEED_MORE
    assert (
        decision("outside_body", documents=["court_order"], channel="letter", **CHILD, **VERIFIED).outcome
        is Outcome.SHARE
    )


def test_2_2_third_parties_advocates_solicitors_researchers_need_written_consent() -> None:
    check(
        "2.2-third-parties",
        {"category": "advocate", "consent": "verbal", **CHILD},
        {"category": "advocate", "information": ["non_personal"]},
    )
    with_consent = decision(
        "advocate", consent="written", documents=["written_consent"], channel="letter", **CHILD, **VERIFIED
    )
    assert with_consent.outcome is Outcome.SHARE
    said_not_shown = decision("advocate", consent="written", channel="letter", **CHILD)
    assert said_not_shown.outcome is Outcome.NEED_MORE


def test_2_2_proportionate_only_to_the_extent_necessary() -> None:
    check(
        "2.2-proportionate",
        {"category": "colleague", **S47},
        {"category": "colleague", "information": ["aggregate"]},
    )


def test_2_3_inform_child_told_unless_at_risk() -> None:
    check(
        "2.3-inform-child",
        {"category": "colleague", **S47},
        {"category": "colleague", "works_with_child": True, "information": ["third_party_personal"]},
    )
    risky = decision("colleague", risk_if_informed=True, **S47)
    assert "2.3-inform-child" in risky.rules
    assert Condition.INFORM_SUBJECT not in risky.conditions


def test_2_4_need_to_know_share_with_those_who_have_a_role() -> None:
    check(
        "2.4-need-to-know",
        {"category": "colleague", "purpose": "care_planning", "works_with_child": True, **CHILD},
        {"category": "outside_body", "purpose": "care_planning", **CHILD},
    )
    no_role = decision("colleague", purpose="care_planning", consent="written", **CHILD)
    assert no_role.outcome is Outcome.REFUSE


def test_2_4_statutory_court_guardian_inspector_rights() -> None:
    check(
        "2.4-statutory",
        {"category": "inspector", "purpose": "inspection", **CHILD},
        {"category": "colleague", "purpose": "inspection", "works_with_child": True, **CHILD},
    )


def test_2_4_phone_telephone_or_email_check_entitlement() -> None:
    check(
        "2.4-phone",
        {"category": "colleague", "channel": "phone", **S47},
        {"category": "colleague", "channel": "secure_email", **S47},
    )
    verified = decision("colleague", channel="phone", entitlement_verified=True, **S47)
    assert "2.4-phone" not in verified.rules


def test_3_foi_requests_to_the_foi_team() -> None:
    check(
        "3-foi",
        {"category": "member_of_public", "information": ["aggregate"]},
        {"category": "colleague", "information": ["aggregate"]},
    )


def test_3_subject_access_own_information_through_access_to_records() -> None:
    check(
        "3-subject-access",
        {"category": "data_subject", **CHILD},
        {"category": "data_subject", "information": ["non_personal"]},
    )


def test_3_confidential_source_withheld() -> None:
    check(
        "3-confidential-source",
        {
            "category": "colleague",
            "information": ["child_personal", "confidential_source"],
            **{k: v for k, v in S47.items() if k != "information"},
        },
        {"category": "court", "documents": ["court_order"], "information": ["confidential_source"]},
    )
    only = decision("colleague", purpose="section_47_enquiry", information=["confidential_source"])
    assert only.outcome is Outcome.REFUSE


def test_every_rule_in_the_catalogue_has_a_test() -> None:
    # Runs last in this module (pytest keeps file order), after every check() above.
    assert set(RULE_IDS) == TESTED
