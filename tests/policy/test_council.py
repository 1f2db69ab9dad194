"""The council's policy file: every rule in code is in the file and vice versa, validated at load."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from discretion.policy import (
    RULES,
    CouncilConfigError,
    Route,
    decide,
    load_council_config,
    parse_facts,
    validate_council_config,
)


def bundled() -> dict[str, Any]:
    text = resources.files("discretion.policy").joinpath("council.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def test_every_rule_in_code_is_in_the_file_and_vice_versa() -> None:
    raw = bundled()
    assert set(raw["rules"]) == {rule.id for rule in RULES}
    for rule in RULES:
        assert set(raw["rules"][rule.id].get("variants", {})) == set(rule.variants), rule.id
    assert set(raw["routes"]) == {route.value for route in Route}


def test_bundled_paragraphs_are_the_policys_own() -> None:
    config = load_council_config()
    for rule in RULES:
        assert config.rules[rule.id].paragraph == rule.paragraph
        assert rule.id.startswith(rule.paragraph + "-")


def test_rule_ids_are_unique_and_functions_named_for_the_rule() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)
    assert all(rule.check.__doc__ for rule in RULES)


def _broken(change: Any) -> dict[str, Any]:
    raw = copy.deepcopy(bundled())
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "names"),
    [
        (lambda raw: raw["rules"].pop("1.5-police"), "rules.1.5-police is missing"),
        (lambda raw: raw["rules"].update({"9.9-made-up": raw["rules"]["1.5-media"]}), "rules.9.9-made-up"),
        (lambda raw: raw["rules"]["1.5-media"].update({"paragraph": ""}), "rules.1.5-media.paragraph"),
        (lambda raw: raw["rules"]["1.5-media"].pop("text"), "rules.1.5-media.text"),
        (lambda raw: raw["rules"]["1.5-police"]["variants"].pop("approved"), "rules.1.5-police.variants"),
        (lambda raw: raw["rules"]["1.5-media"].update({"colour": "red"}), "rules.1.5-media.colour"),
        (lambda raw: raw["routes"].pop("press_office"), "routes.press_office is missing"),
        (lambda raw: raw["routes"].update({"switchboard": {"name": "x"}}), "routes.switchboard"),
        (lambda raw: raw["routes"]["manager"].update({"name": 3}), "routes.manager.name"),
        (lambda raw: raw.update({"extra": 1}), "extra"),
        (lambda raw: raw.pop("council"), "council"),
    ],
)
def test_a_bad_file_is_rejected_naming_the_key(change: Any, names: str) -> None:
    with pytest.raises(CouncilConfigError) as caught:
        validate_council_config(_broken(change), "test.json")
    assert names in str(caught.value)
    assert "test.json" in str(caught.value)


def test_a_councils_own_file_via_the_environment_changes_wording_not_logic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = bundled()
    raw["rules"]["1.5-media"] = {"paragraph": "4.2", "text": "Send it to Comms."}
    path = tmp_path / "ours.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("DISCRETION_POLICY_FILE", str(path))
    config = load_council_config()
    d = decide(parse_facts({"requester": {"category": "media"}}), config)
    assert [(r.rule, r.paragraph, r.text) for r in d.reasons] == [("1.5-media", "4.2", "Send it to Comms.")]
    assert config.route_label(Route.PRESS_OFFICE) == raw["routes"]["press_office"]["name"]


def test_unreadable_or_malformed_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CouncilConfigError, match="cannot read"):
        load_council_config(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CouncilConfigError, match="not valid JSON at line 1"):
        load_council_config(bad)
