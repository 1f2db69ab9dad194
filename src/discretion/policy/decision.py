"""The decision: the frozen output of `decide`, and its stable JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from discretion.policy.vocabulary import Condition, Outcome, Route


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that fired: its stable id, the policy paragraph and the council's wording."""

    rule: str
    paragraph: str
    text: str


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with a request, and why.

    `route_to` and `conditions` are in the vocabulary's order; `reasons` in catalogue order;
    `missing` names the facts or documents still needed (for ``need_more``, and for whoever a
    request is referred to).
    """

    outcome: Outcome
    route_to: tuple[Route, ...]
    conditions: tuple[Condition, ...]
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        """The ids of the rules that fired."""
        return tuple(reason.rule for reason in self.reasons)


def decision_to_json(decision: Decision) -> dict[str, Any]:
    """The decision as a JSON object with a stable key order."""
    return {
        "outcome": decision.outcome.value,
        "route_to": [route.value for route in decision.route_to],
        "conditions": [condition.value for condition in decision.conditions],
        "reasons": [
            {"rule": reason.rule, "paragraph": reason.paragraph, "text": reason.text}
            for reason in decision.reasons
        ],
        "missing": list(decision.missing),
    }


def decision_from_json(obj: Mapping[str, Any]) -> Decision:
    """Read back a decision written by `decision_to_json` (e.g. one stored with its facts)."""
    return Decision(
        outcome=Outcome(obj["outcome"]),
        route_to=tuple(Route(code) for code in obj["route_to"]),
        conditions=tuple(Condition(code) for code in obj["conditions"]),
        reasons=tuple(
            Reason(rule=str(r["rule"]), paragraph=str(r["paragraph"]), text=str(r["text"]))
            for r in obj["reasons"]
        ),
        missing=tuple(str(name) for name in obj.get("missing", [])),
    )
