"""Properties that hold over the whole fact space (every code of every field, in any combination)."""

from __future__ import annotations

import json

from hypothesis import given, settings

from discretion.policy import (
    Category,
    Condition,
    Consent,
    Document,
    Information,
    Outcome,
    Purpose,
    RequestFacts,
    decide,
    decision_from_json,
    decision_to_json,
    facts_to_json,
    parse_facts,
)
from discretion.policy.engine import BEFORE_RELEASE

from .helpers import any_facts

PERSONAL = {Information.CHILD_PERSONAL, Information.THIRD_PARTY_PERSONAL, Information.CONFIDENTIAL_SOURCE}
WRITTEN_CONSENT_OR_ORDER_ONLY = {Category.SOLICITOR, Category.ADVOCATE, Category.RESEARCHER_EXTERNAL}
EXAMPLES = settings(max_examples=400, deadline=None)


@EXAMPLES
@given(any_facts)
def test_every_share_is_recorded(facts: RequestFacts) -> None:
    d = decide(facts)
    if d.outcome is Outcome.SHARE:
        assert Condition.RECORD_DISCLOSURE in d.conditions


@EXAMPLES
@given(any_facts)
def test_share_means_nothing_must_happen_before_release(facts: RequestFacts) -> None:
    d = decide(facts)
    if d.outcome is Outcome.SHARE:
        assert not set(d.conditions) & BEFORE_RELEASE
    if set(d.conditions) & BEFORE_RELEASE:
        assert d.outcome is not Outcome.SHARE


@EXAMPLES
@given(any_facts)
def test_media_never_gets_a_share(facts: RequestFacts) -> None:
    if facts.category is Category.MEDIA or facts.purpose is Purpose.MEDIA_STORY:
        d = decide(facts)
        assert d.outcome is not Outcome.SHARE
        assert d.outcome is Outcome.REFER


@EXAMPLES
@given(any_facts)
def test_confidential_source_is_never_shared_without_a_court_order(facts: RequestFacts) -> None:
    d = decide(facts)
    if (
        d.outcome is Outcome.SHARE
        and Information.CONFIDENTIAL_SOURCE in facts.information
        and Document.COURT_ORDER not in facts.documents
    ):
        assert Condition.WITHHOLD_CONFIDENTIAL_SOURCE in d.conditions


@EXAMPLES
@given(any_facts)
def test_solicitors_advocates_external_researchers_need_written_consent_or_a_court_order(
    facts: RequestFacts,
) -> None:
    written = facts.consent is Consent.WRITTEN or Document.WRITTEN_CONSENT in facts.documents
    if (
        facts.category in WRITTEN_CONSENT_OR_ORDER_ONLY
        and facts.information & PERSONAL
        and not written
        and Document.COURT_ORDER not in facts.documents
    ):
        assert decide(facts).outcome is not Outcome.SHARE


@EXAMPLES
@given(any_facts)
def test_a_share_of_personal_information_is_minimised_and_by_secure_channel(facts: RequestFacts) -> None:
    d = decide(facts)
    if d.outcome is Outcome.SHARE and facts.information & PERSONAL:
        assert {Condition.SECURE_CHANNEL, Condition.MINIMISE} <= set(d.conditions)


@EXAMPLES
@given(any_facts)
def test_total_deterministic_and_reasoned(facts: RequestFacts) -> None:
    d = decide(facts)
    assert d.reasons
    assert decide(facts) == d
    assert len(set(d.rules)) == len(d.rules)
    if d.outcome is Outcome.NEED_MORE:
        assert d.missing
    if d.outcome is Outcome.REFER:
        assert d.route_to
    # A decision survives the JSON round trip, and so do the facts it was made on.
    assert decision_from_json(json.loads(json.dumps(decision_to_json(d)))) == d
    assert parse_facts(json.loads(json.dumps(facts_to_json(facts)))) == facts
