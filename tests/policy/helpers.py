"""Shared helpers for the policy tests: build facts from plain dicts, as a caller would."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from discretion.policy import (
    Approval,
    Category,
    Channel,
    Consent,
    Decision,
    Document,
    Information,
    Purpose,
    Requester,
    RequestFacts,
    decide,
    parse_facts,
)


def facts(category: str, **fields: Any) -> RequestFacts:
    requester = {"category": category}
    for flag in ("works_with_child", "identity_verified", "entitlement_verified"):
        if flag in fields:
            requester[flag] = fields.pop(flag)
    return parse_facts({"requester": requester, **fields})


def decision(category: str, **fields: Any) -> Decision:
    return decide(facts(category, **fields))


def fired(category: str, **fields: Any) -> set[str]:
    return set(decision(category, **fields).rules)


def _codes(enum_type: Any) -> Any:
    return st.lists(st.sampled_from(list(enum_type)), unique=True).map(frozenset)


# The whole fact space: every code of every field, every combination.
any_facts = st.builds(
    RequestFacts,
    requester=st.builds(
        Requester,
        category=st.sampled_from(list(Category)),
        works_with_child=st.booleans(),
        identity_verified=st.booleans(),
        entitlement_verified=st.booleans(),
    ),
    purpose=st.sampled_from(list(Purpose)),
    channel=st.one_of(st.none(), st.sampled_from(list(Channel))),
    in_writing=st.booleans(),
    information=_codes(Information),
    consent=st.sampled_from(list(Consent)),
    documents=_codes(Document),
    claims_legal_right=st.booleans(),
    in_doubt=st.booleans(),
    risk_if_informed=st.booleans(),
    approvals=_codes(Approval),
)
