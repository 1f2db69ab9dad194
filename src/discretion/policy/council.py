"""The council's own wording: paragraph numbers, reason texts and route labels, in one data file.

Councils adapt the policy: they renumber paragraphs, reword reasons and name their own teams. That
lives in ``council.json`` (bundled next to this module); a council points ``DISCRETION_POLICY_FILE``
at its own copy. The rule logic stays in code: the file must name exactly the rule ids, variants
and route codes the code has, and is validated when loaded (at start-up), with an error naming the
bad key. Reading this file is the policy package's only I/O, done once.

File shape::

    {"council": "…",
     "rules": {"1.5-police": {"paragraph": "1.5", "text": "…", "variants": {"approved": "…"}}, …},
     "routes": {"manager": {"name": "Team manager", "contact": "…"}, …}}
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from discretion.policy.decision import Reason
from discretion.policy.rules import RULES
from discretion.policy.vocabulary import Route

ENV_VAR = "DISCRETION_POLICY_FILE"
DEFAULT_TEXT = "text"


class CouncilConfigError(ValueError):
    """The council's policy file is unreadable or does not match the rules in code."""


@dataclass(frozen=True, slots=True)
class RuleWording:
    paragraph: str
    text: str
    variants: Mapping[str, str]

    def wording(self, variant: str) -> str:
        return self.text if variant == DEFAULT_TEXT else self.variants[variant]


@dataclass(frozen=True, slots=True)
class RouteLabel:
    name: str
    contact: str


@dataclass(frozen=True, slots=True)
class CouncilConfig:
    council: str
    rules: Mapping[str, RuleWording]
    routes: Mapping[Route, RouteLabel]
    source: str = "<bundled>"

    def reason(self, rule_id: str, variant: str = DEFAULT_TEXT) -> Reason:
        wording = self.rules[rule_id]
        return Reason(rule=rule_id, paragraph=wording.paragraph, text=wording.wording(variant))

    def route_label(self, route: Route) -> str:
        return self.routes[route].name


def _text(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CouncilConfigError(f"{where}.{key} must be a non-empty string")
    return value


def _object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CouncilConfigError(f"{where} must be an object")
    return value


def _only(obj: Mapping[str, Any], allowed: set[str], where: str) -> None:
    for key in obj:
        if key not in allowed:
            raise CouncilConfigError(f"unknown key {where}.{key}; allowed: {', '.join(sorted(allowed))}")


def validate_council_config(obj: object, source: str = "<object>") -> CouncilConfig:
    """Check a parsed policy file against the rules in code; raise `CouncilConfigError` naming the key."""
    try:
        return _validate(obj, source)
    except CouncilConfigError as exc:
        raise CouncilConfigError(f"council policy file {source}: {exc}") from None


def _validate(obj: object, source: str) -> CouncilConfig:
    top = _object(obj, "the file")
    _only(top, {"council", "rules", "routes"}, "(top level)")
    council = _text(top, "council", "(top level)")
    raw_rules = _object(top.get("rules"), "rules")
    code_ids = [r.id for r in RULES]
    for rule_id in raw_rules:
        if rule_id not in code_ids:
            raise CouncilConfigError(f"rules.{rule_id} is not a rule in code; rules: {', '.join(code_ids)}")
    rules: dict[str, RuleWording] = {}
    for rule in RULES:
        where = f"rules.{rule.id}"
        if rule.id not in raw_rules:
            raise CouncilConfigError(f"{where} is missing (every rule in code needs a paragraph and text)")
        entry = _object(raw_rules[rule.id], where)
        _only(entry, {"paragraph", "text", "variants"}, where)
        raw_variants = _object(entry.get("variants", {}), f"{where}.variants")
        expected = set(rule.variants)
        if set(raw_variants) != expected:
            wanted = ", ".join(sorted(expected)) or "none"
            raise CouncilConfigError(f"{where}.variants must have exactly these keys: {wanted}")
        variants = {name: _text(raw_variants, name, f"{where}.variants") for name in rule.variants}
        rules[rule.id] = RuleWording(_text(entry, "paragraph", where), _text(entry, "text", where), variants)
    raw_routes = _object(top.get("routes"), "routes")
    codes = [route.value for route in Route]
    for code in raw_routes:
        if code not in codes:
            raise CouncilConfigError(f"routes.{code} is not a route code; routes: {', '.join(codes)}")
    routes: dict[Route, RouteLabel] = {}
    for route in Route:
        where = f"routes.{route.value}"
        if route.value not in raw_routes:
            raise CouncilConfigError(f"{where} is missing (every route needs a display name)")
        entry = _object(raw_routes[route.value], where)
        _only(entry, {"name", "contact"}, where)
        contact = entry.get("contact", "")
        if not isinstance(contact, str):
            raise CouncilConfigError(f"{where}.contact must be a string")
        routes[route] = RouteLabel(_text(entry, "name", where), contact)
    return CouncilConfig(council=council, rules=rules, routes=routes, source=source)


def load_council_config(path: str | os.PathLike[str] | None = None) -> CouncilConfig:
    """Load and validate the policy file: `path`, else ``$DISCRETION_POLICY_FILE``, else the bundled one."""
    chosen = path if path is not None else os.environ.get(ENV_VAR) or None
    if chosen is None:
        text = resources.files("discretion.policy").joinpath("council.json").read_text(encoding="utf-8")
        source = "<bundled council.json>"
    else:
        source = str(chosen)
        try:
            text = Path(chosen).read_text(encoding="utf-8")
        except OSError as exc:
            raise CouncilConfigError(f"council policy file {source}: cannot read: {exc.strerror}") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CouncilConfigError(
            f"council policy file {source}: not valid JSON at line {exc.lineno}: {exc.msg}"
        ) from None
    return validate_council_config(obj, source)


@functools.cache
def default_council_config() -> CouncilConfig:
    """The configuration `decide` uses when none is passed, loaded once per process."""
    return load_council_config()
