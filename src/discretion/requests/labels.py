"""Plain-English names for the decision's codes, as shown on request pages.

Route names are the council's own (``council.json`` through `CouncilConfig.route_label`); the
conditions and missing facts are not in that file, so their wording lives here, each citing the
paragraph that asks for it. An unknown code (a newer policy engine) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from discretion.policy import Condition, Route
from discretion.policy.council import default_council_config

CONDITION_LABELS: dict[str, str] = {
    Condition.RECORD_DISCLOSURE: "Record the disclosure in the register (policy 1.1)",
    Condition.MINIMISE: "Share only what the recipient needs to know (policy 2.2, 2.3)",
    Condition.SECURE_CHANNEL: "Send it securely, never by plain e-mail (policy 1.1)",
    Condition.VERIFY_IDENTITY: "Check the requester's identity (policy 1.4)",
    Condition.VERIFY_ENTITLEMENT: "Check the requester is entitled to the information (policy 2.4)",
    Condition.REQUEST_IN_WRITING: "Get the request in writing, saying what is needed (policy 1.4)",
    Condition.INFORM_SUBJECT: "Tell the child or young person, where possible (policy 2.3)",
    Condition.MANAGER_APPROVAL: "Get a manager's approval (policy 2.4)",
    Condition.OBTAIN_CONSENT: "Get the consent of the person concerned (policy 2.1, 2.2)",
    Condition.COURT_ORDER: "See the Court Order before release (policy 1.5, 2.2)",
    Condition.WITHHOLD_CONFIDENTIAL_SOURCE: "Withhold information given in confidence (policy 3)",
    Condition.ANONYMISE: "Anonymise it: research governance issues the extract (policy 1.4)",
}

# Facts or documents a "need more" decision names (`Decision.missing`).
MISSING_LABELS: dict[str, str] = {
    "information": "What information is asked for",
    "consent": "Whether the person concerned consents",
    "court_order": "A Court Order",
    "written_consent": "The written consent of the person concerned",
    "research_submission": "A formal research submission",
    "research_approval": "Research approval",
    "guardian_appointment": "The Children's Guardian's appointment",
    "inspector_authority": "The inspector's authority",
    "legal_basis_statement": "A statement of the legal basis claimed",
    "identity_verified": "A check of the requester's identity",
    "entitlement_verified": "A check that the requester is entitled to the information",
    "in_writing": "The request in writing",
}

# Who checks a document before it counts as evidence (a second person: Legal Services for a court
# order, information governance for the rest).
DOCUMENT_CHECKERS: dict[str, str] = {"court_order": "Legal Services"}
DEFAULT_DOCUMENT_CHECKER = "Information Governance"


def condition_label(code: str) -> str:
    return CONDITION_LABELS.get(code, code)


def route_label(code: str) -> str:
    try:
        return default_council_config().route_label(Route(code))
    except (ValueError, KeyError):
        return code


def missing_label(code: str) -> str:
    return MISSING_LABELS.get(code, code)


def condition_labels(codes: Iterable[str]) -> list[str]:
    return [condition_label(c) for c in codes]


def route_labels(codes: Iterable[str]) -> list[str]:
    return [route_label(c) for c in codes]


def missing_labels(codes: Iterable[str]) -> list[str]:
    return [missing_label(c) for c in codes]
