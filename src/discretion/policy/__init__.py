"""The policy decision engine: request facts in, a reasoned decision out (pure; see `engine`)."""

from discretion.policy.council import (
    CouncilConfig,
    CouncilConfigError,
    default_council_config,
    load_council_config,
    validate_council_config,
)
from discretion.policy.decision import Decision, Reason, decision_from_json, decision_to_json
from discretion.policy.engine import decide
from discretion.policy.facts import FactsError, Requester, RequestFacts, facts_to_json, parse_facts
from discretion.policy.rules import RULE_IDS, RULES
from discretion.policy.vocabulary import (
    Approval,
    Category,
    Channel,
    Condition,
    Consent,
    Document,
    Information,
    Outcome,
    Purpose,
    Route,
)

__all__ = [
    "RULES",
    "RULE_IDS",
    "Approval",
    "Category",
    "Channel",
    "Condition",
    "Consent",
    "CouncilConfig",
    "CouncilConfigError",
    "Decision",
    "Document",
    "FactsError",
    "Information",
    "Outcome",
    "Purpose",
    "Reason",
    "RequestFacts",
    "Requester",
    "Route",
    "decide",
    "decision_from_json",
    "decision_to_json",
    "default_council_config",
    "facts_to_json",
    "load_council_config",
    "parse_facts",
    "validate_council_config",
]
