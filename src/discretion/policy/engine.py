"""Facts in, decision out: run the rules and combine what they say into one decision.

Precedence (documented contract):

1. A pre-empting rule (1.5-media) that fires decides alone: the press office handles the request,
   staff disclose nothing, no other rule is consulted.
2. Otherwise every request-stage rule runs. The outcome is the strongest any fired rule insists on:
   ``refer`` > ``refuse`` > ``need_more``. A referral wins because the person referred to (press
   office, Legal Services, IGO, manager, FOI or subject-access team) makes the final call and sees
   every reason; a refusal beats asking for more, since more facts would not change it.
3. If no rule insists, the request is shared only when every kind of information asked for is
   authorised by some rule (confidential-source information withheld by 3-confidential-source
   needs none); otherwise 1.2-authorised fires and the request is refused.
4. On a share, the release rules run: every share is recorded (1.1), personal information goes by a
   secure channel (1.1), minimised (2.2), and the child is told unless that puts anyone at risk (2.3).
5. ``share`` means "may be released now". If a condition that must be met *before* release is still
   open (identity or entitlement not yet checked, the request not yet in writing, consent or a court
   order not yet in hand: `BEFORE_RELEASE`), the outcome is ``need_more`` — or ``refer`` to the
   manager where their approval is what is missing — with that condition listed. Conditions that
   apply at or after release (record, minimise, secure channel, inform the subject, withhold a
   confidential source, anonymise) may accompany ``share``.
6. Routes and conditions accumulate from every fired rule (in vocabulary order); missing facts
   accumulate in catalogue order; reasons list every rule that fired, in catalogue order.

`decide` is pure and deterministic: same facts, same configuration, same decision.
"""

from __future__ import annotations

from discretion.policy.council import CouncilConfig, default_council_config
from discretion.policy.decision import Decision
from discretion.policy.facts import RequestFacts
from discretion.policy.rules import RULES, Finding, Rule, Stage
from discretion.policy.vocabulary import Condition, Information, Outcome, Route

PRECEDENCE: tuple[Outcome, ...] = (Outcome.REFER, Outcome.REFUSE, Outcome.NEED_MORE)

#: The fact a check sets once done, named in `missing` while the check is open.
CHECK_FACTS: dict[Condition, str] = {
    Condition.VERIFY_IDENTITY: "identity_verified",
    Condition.VERIFY_ENTITLEMENT: "entitlement_verified",
    Condition.REQUEST_IN_WRITING: "in_writing",
}

#: Conditions that must be met before anything is released: while one is open, not `share`.
BEFORE_RELEASE: frozenset[Condition] = frozenset(
    {
        Condition.VERIFY_IDENTITY,
        Condition.VERIFY_ENTITLEMENT,
        Condition.REQUEST_IN_WRITING,
        Condition.MANAGER_APPROVAL,
        Condition.OBTAIN_CONSENT,
        Condition.COURT_ORDER,
    }
)

_PRE_EMPTING = tuple(r for r in RULES if r.pre_empts)
_REQUEST = tuple(r for r in RULES if r.stage is Stage.REQUEST and not r.pre_empts)
_RESIDUAL = tuple(r for r in RULES if r.stage is Stage.RESIDUAL)
_RELEASE = tuple(r for r in RULES if r.stage is Stage.RELEASE)
_ORDER = {r.id: index for index, r in enumerate(RULES)}


def _fire(rules: tuple[Rule, ...], facts: RequestFacts) -> list[tuple[Rule, Finding]]:
    fired = []
    for rule in rules:
        found = rule.check(facts)
        if found is not None:
            fired.append((rule, found))
    return fired


def _outcome(fired: list[tuple[Rule, Finding]]) -> Outcome | None:
    insisted = {found.outcome for _, found in fired}
    return next((outcome for outcome in PRECEDENCE if outcome in insisted), None)


def _unauthorised(facts: RequestFacts, fired: list[tuple[Rule, Finding]]) -> frozenset[Information]:
    needed = facts.information
    if any(Condition.WITHHOLD_CONFIDENTIAL_SOURCE in found.conditions for _, found in fired):
        needed = needed - {Information.CONFIDENTIAL_SOURCE}
    authorised: frozenset[Information] = frozenset().union(*(found.authorises for _, found in fired))
    return needed - authorised if needed else frozenset(Information)


def decide(facts: RequestFacts, config: CouncilConfig | None = None) -> Decision:
    """Decide what to do with a request for information, with reasons citing the policy."""
    wording = config if config is not None else default_council_config()
    fired = _fire(_PRE_EMPTING, facts)
    if not fired:
        fired = _fire(_REQUEST, facts)
    outcome = _outcome(fired)
    if outcome is None:
        if _unauthorised(facts, fired):
            fired += _fire(_RESIDUAL, facts)
            outcome = _outcome(fired) or Outcome.REFUSE
        else:
            fired += _fire(_RELEASE, facts)
            outcome = Outcome.SHARE
    fired.sort(key=lambda pair: _ORDER[pair[0].id])
    routes = {route for _, found in fired for route in found.routes}
    conditions = {condition for _, found in fired for condition in found.conditions}
    if outcome is Outcome.SHARE and conditions & BEFORE_RELEASE:
        # "share" is a promise that the release may happen now (docs/architecture.md: the flow of a request, step 2).
        if Condition.MANAGER_APPROVAL in conditions:
            outcome = Outcome.REFER
            routes.add(Route.MANAGER)
        else:
            outcome = Outcome.NEED_MORE
    missing: list[str] = []
    for _, found in fired:
        missing.extend(name for name in found.missing if name not in missing)
    if outcome is Outcome.NEED_MORE:
        for condition in Condition:
            name = CHECK_FACTS.get(condition)
            if condition in conditions and name is not None and name not in missing:
                missing.append(name)
    return Decision(
        outcome=outcome,
        route_to=tuple(route for route in Route if route in routes),
        conditions=tuple(condition for condition in Condition if condition in conditions),
        reasons=tuple(wording.reason(rule.id, found.variant) for rule, found in fired),
        missing=tuple(missing),
    )
