"""The scenarios the issue names, exactly, and the other situations it describes."""

from __future__ import annotations

from discretion.policy import Condition, Outcome, Route

from .helpers import decision, fired

PERSONAL_SHARE = {Condition.RECORD_DISCLOSURE, Condition.MINIMISE, Condition.SECURE_CHANNEL}

VERIFIED = {"identity_verified": True, "entitlement_verified": True}


def test_media_enquiry_is_referred_to_the_press_office_whatever_else_is_true_para_1_5() -> None:
    d = decision(
        "media",
        purpose="section_47_enquiry",
        information=["aggregate", "child_personal"],
        consent="written",
        documents=["court_order", "written_consent"],
        approvals=["manager", "information_governance", "legal_services"],
        works_with_child=True,
        identity_verified=True,
        entitlement_verified=True,
    )
    assert d.outcome is Outcome.REFER
    assert d.route_to == (Route.PRESS_OFFICE,)
    assert d.rules == ("1.5-media",)


def test_media_story_purpose_from_anyone_goes_to_the_press_office_para_1_5() -> None:
    d = decision("colleague", purpose="media_story", information=["non_personal"], works_with_child=True)
    assert d.outcome is Outcome.REFER
    assert d.route_to == (Route.PRESS_OFFICE,)


def test_police_by_phone_about_a_missing_child_without_approval_is_referred_para_1_5() -> None:
    d = decision("police", channel="phone", purpose="missing_child", information=["child_personal"])
    assert d.outcome is Outcome.REFER
    assert Route.MANAGER in d.route_to
    assert Route.INFORMATION_GOVERNANCE in d.route_to
    assert Condition.MANAGER_APPROVAL in d.conditions
    assert "1.5-police" in d.rules


def test_police_missing_child_once_a_manager_approves_is_shared_minimised_and_recorded_para_2_4() -> None:
    d = decision(
        "police",
        channel="phone",
        purpose="missing_child",
        information=["child_personal"],
        approvals=["manager"],
    )
    # By telephone: who is calling and whether they are entitled is checked before release (2.4).
    assert d.outcome is Outcome.NEED_MORE
    assert Condition.VERIFY_ENTITLEMENT in d.conditions
    assert "entitlement_verified" in d.missing
    d = decision(
        "police",
        channel="phone",
        purpose="missing_child",
        information=["child_personal"],
        approvals=["manager"],
        **VERIFIED,
    )
    assert d.outcome is Outcome.SHARE
    assert set(d.conditions) >= PERSONAL_SHARE
    assert d.route_to == ()
    assert {"1.5-police", "2.4-need-to-know", "1.1-record"} <= set(d.rules)


def test_solicitors_letter_for_legal_proceedings_without_court_order_goes_to_legal_services_para_1_5() -> (
    None
):
    d = decision(
        "solicitor",
        channel="letter",
        purpose="legal_proceedings",
        information=["child_personal"],
        consent="written",
        documents=["written_consent"],
    )
    assert d.outcome is Outcome.REFER
    assert d.route_to == (Route.LEGAL_SERVICES,)
    assert Condition.COURT_ORDER in d.conditions
    assert d.missing == ("court_order",)


def test_solicitor_with_court_order_and_legal_services_approval_is_shared_para_1_5() -> None:
    base = {"channel": "letter", "purpose": "legal_proceedings", "information": ["child_personal"]}
    with_order = decision("solicitor", documents=["court_order"], **base)
    assert with_order.outcome is Outcome.REFER
    assert with_order.route_to == (Route.LEGAL_SERVICES,)
    approved = decision(
        "solicitor", documents=["court_order"], approvals=["legal_services"], **base, **VERIFIED
    )
    assert approved.outcome is Outcome.SHARE
    assert set(approved.conditions) >= PERSONAL_SHARE


def test_other_agency_section_47_without_consent_is_shared_para_2_2_to_2_4() -> None:
    base = {
        "channel": "secure_email",
        "purpose": "section_47_enquiry",
        "information": ["child_personal"],
        "consent": "none",
        "works_with_child": True,
        "identity_verified": True,
        "entitlement_verified": True,
    }
    d = decision("other_agency", **base)
    assert d.outcome is Outcome.SHARE
    assert set(d.conditions) == PERSONAL_SHARE | {Condition.INFORM_SUBJECT}
    assert {"2.2-safeguarding", "2.3-inform-child", "2.4-need-to-know"} <= set(d.rules)
    at_risk = decision("other_agency", risk_if_informed=True, **base)
    assert at_risk.outcome is Outcome.SHARE
    assert set(at_risk.conditions) == PERSONAL_SHARE


def test_foi_for_someone_elses_personal_information_is_refused_as_exempt_para_3() -> None:
    d = decision("member_of_public", channel="email", purpose="foi", information=["child_personal"])
    assert d.outcome is Outcome.REFUSE
    assert d.route_to == (Route.FOI_TEAM,)


def test_foi_for_non_personal_information_goes_to_the_foi_team_para_3() -> None:
    d = decision(
        "member_of_public", channel="email", purpose="foi", information=["aggregate", "non_personal"]
    )
    assert d.outcome is Outcome.REFER
    assert d.route_to == (Route.FOI_TEAM,)


def test_foi_mixing_personal_and_statistics_is_answered_with_the_personal_part_withheld_para_3() -> None:
    d = decision("outside_body", purpose="foi", information=["aggregate", "confidential_source"])
    assert d.outcome is Outcome.REFER
    assert Route.FOI_TEAM in d.route_to
    assert Condition.WITHHOLD_CONFIDENTIAL_SOURCE in d.conditions


def test_foi_for_ones_own_information_is_handled_as_subject_access_para_3() -> None:
    d = decision("data_subject", channel="email", purpose="foi", information=["child_personal"])
    assert d.outcome is Outcome.REFER
    assert d.route_to == (Route.SUBJECT_ACCESS_TEAM,)


def test_care_leaver_asking_for_own_records_is_subject_access_para_3() -> None:
    d = decision("data_subject", purpose="own_records", information=["child_personal", "confidential_source"])
    assert d.outcome is Outcome.REFER
    assert d.route_to == (Route.SUBJECT_ACCESS_TEAM,)
    assert Condition.VERIFY_IDENTITY in d.conditions
    assert Condition.WITHHOLD_CONFIDENTIAL_SOURCE in d.conditions


def test_parent_asking_for_their_childs_records_is_subject_access_para_3() -> None:
    d = decision("parent_carer", channel="letter", purpose="other", information=["child_personal"])
    assert d.outcome is Outcome.REFER
    assert d.route_to == (Route.SUBJECT_ACCESS_TEAM,)
    assert Condition.VERIFY_ENTITLEMENT in d.conditions  # parental responsibility


def test_outside_body_claiming_a_legal_right_is_checked_with_information_governance_para_1_4() -> None:
    d = decision(
        "outside_body",
        channel="phone",
        purpose="statutory_function",
        information=["child_personal"],
        claims_legal_right=True,
    )
    assert d.outcome is Outcome.REFER
    assert d.route_to == (Route.INFORMATION_GOVERNANCE,)
    assert {Condition.REQUEST_IN_WRITING, Condition.VERIFY_IDENTITY, Condition.VERIFY_ENTITLEMENT} <= set(
        d.conditions
    )
    assert "legal_basis_statement" in d.missing


def test_outside_body_whose_right_information_governance_confirmed_is_shared_para_1_4() -> None:
    d = decision(
        "outside_body",
        channel="letter",
        purpose="statutory_function",
        information=["child_personal"],
        claims_legal_right=True,
        documents=["legal_basis_statement"],
        approvals=["information_governance"],
        identity_verified=True,
        entitlement_verified=True,
    )
    assert d.outcome is Outcome.SHARE
    assert set(d.conditions) >= PERSONAL_SHARE


def test_internal_researcher_needs_submission_then_approval_para_1_4() -> None:
    base = {"channel": "portal", "purpose": "research", "information": ["child_personal"]}
    no_submission = decision("researcher_internal", **base)
    assert no_submission.outcome is Outcome.NEED_MORE
    assert no_submission.missing == ("research_submission",)
    submitted = decision("researcher_internal", documents=["research_submission"], **base)
    assert submitted.outcome is Outcome.REFER
    assert submitted.route_to == (Route.RESEARCH_GOVERNANCE,)
    approved = decision(
        "researcher_internal", documents=["research_submission"], approvals=["research_governance"], **base
    )
    assert approved.outcome is Outcome.SHARE


def test_external_researcher_aggregate_with_approval_personal_only_with_written_consent_para_2_2() -> None:
    aggregate = decision(
        "researcher_external",
        purpose="research",
        information=["aggregate"],
        approvals=["research_governance"],
    )
    assert aggregate.outcome is Outcome.SHARE
    assert Condition.ANONYMISE in aggregate.conditions
    unapproved = decision("researcher_external", purpose="research", information=["aggregate"])
    assert unapproved.outcome is Outcome.REFER
    assert unapproved.route_to == (Route.RESEARCH_GOVERNANCE,)
    personal = decision(
        "researcher_external",
        purpose="research",
        information=["child_personal"],
        consent="verbal",
        approvals=["research_governance"],
    )
    assert personal.outcome is Outcome.NEED_MORE
    assert "written_consent" in personal.missing
    assert Condition.ANONYMISE in personal.conditions
    consented = decision(
        "researcher_external",
        purpose="research",
        information=["child_personal"],
        consent="written",
        documents=["written_consent"],
        approvals=["research_governance"],
        channel="letter",
        **VERIFIED,
    )
    assert consented.outcome is Outcome.SHARE


def test_court_guardian_inspector_need_their_document_para_2_4() -> None:
    for category, document in (
        ("court", "court_order"),
        ("childrens_guardian", "guardian_appointment"),
        ("inspector", "inspector_authority"),
    ):
        without = decision(category, channel="secure_email", information=["child_personal"])
        assert without.outcome is Outcome.NEED_MORE, category
        assert without.missing[0] == document
        with_document = decision(
            category, channel="secure_email", information=["child_personal"], documents=[document]
        )
        assert with_document.outcome is Outcome.NEED_MORE, category  # identity and entitlement first
        checked = decision(
            category,
            channel="secure_email",
            information=["child_personal"],
            documents=[document],
            **VERIFIED,
        )
        assert checked.outcome is Outcome.SHARE, category


def test_inquiry_and_serious_case_review_are_shared_on_need_to_know_para_2_4() -> None:
    d = decision(
        "inquiry", channel="letter", purpose="inquiry_review", information=["child_personal"], **VERIFIED
    )
    assert d.outcome is Outcome.SHARE
    police = decision(
        "police", channel="letter", purpose="criminal_investigation", information=["child_personal"]
    )
    assert police.outcome is Outcome.REFER  # 1.5 still applies to the police


def test_in_doubt_gets_advice_before_disclosure_para_1_1() -> None:
    d = decision(
        "other_agency",
        channel="secure_email",
        purpose="care_planning",
        information=["child_personal"],
        works_with_child=True,
        in_doubt=True,
    )
    assert d.outcome is Outcome.REFER
    assert {Route.INFORMATION_GOVERNANCE, Route.LEGAL_SERVICES} <= set(d.route_to)


def test_phone_request_in_doubt_needs_a_manager_para_2_4() -> None:
    d = decision(
        "other_agency",
        channel="phone",
        purpose="care_planning",
        information=["child_personal"],
        works_with_child=True,
        in_doubt=True,
        approvals=["information_governance"],
    )
    assert d.outcome is Outcome.REFER
    assert d.route_to == (Route.MANAGER,)
    assert Condition.MANAGER_APPROVAL in d.conditions


def test_email_reply_of_personal_information_is_by_secure_channel_para_1_1() -> None:
    d = decision(
        "colleague",
        channel="email",
        purpose="care_planning",
        information=["child_personal"],
        works_with_child=True,
    )
    assert d.outcome is Outcome.NEED_MORE  # by e-mail: the recipient's entitlement is checked first
    assert Condition.VERIFY_ENTITLEMENT in d.conditions
    d = decision(
        "colleague",
        channel="email",
        purpose="care_planning",
        information=["child_personal"],
        works_with_child=True,
        entitlement_verified=True,
    )
    assert d.outcome is Outcome.SHARE
    assert Condition.SECURE_CHANNEL in d.conditions


def test_no_consent_and_no_exception_needs_consent_para_2_1() -> None:
    d = decision("other_agency", channel="letter", purpose="other", information=["child_personal"])
    assert d.outcome is Outcome.NEED_MORE
    assert Condition.OBTAIN_CONSENT in d.conditions


def test_verbal_consent_is_not_enough_for_solicitor_advocate_or_external_researcher_para_2_2() -> None:
    for category in ("solicitor", "advocate", "researcher_external"):
        d = decision(
            category, channel="letter", purpose="other", information=["child_personal"], consent="verbal"
        )
        assert d.outcome is not Outcome.SHARE, category
        assert "written_consent" in d.missing, category


def test_non_personal_information_may_be_shared_and_is_recorded() -> None:
    d = decision("other_agency", channel="phone", purpose="other", information=["non_personal"])
    assert d.outcome is Outcome.SHARE
    # Nothing confidential: no call-back or letter needed first (1.4 and 2.4 are about personal data).
    assert d.conditions == (Condition.RECORD_DISCLOSURE,)
    assert fired("colleague", information=["aggregate"]) == {"1.1-record", "2.1-not-personal"}
