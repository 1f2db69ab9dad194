"""A small council for request tests: a team, its manager, an allocated worker, a child with
ordinary, third-party and confidential-source entries, and the central roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Council:
    team: Any
    manager: Any
    worker: Any
    igo: Any
    legal: Any
    press: Any
    child: Any
    case: Any
    visit: Any
    family: Any
    referrer: Any
    stranger: Any


def council(world: Any) -> Council:
    team = world.team()
    manager = world.manager_of(team)
    worker = world.staff("practitioner", team=team)
    child = world.person("Kayden", "Walsh")
    case = world.case(child, team, workers=(worker,))
    visit = world.entry(case, "Home visit. Kayden seen alone; said he goes to the park.", title="Visit")
    family = world.entry(case, "Mother's new partner has a conviction.", title="Family", third_party=True)
    referrer = world.entry(
        case, "Referral by a neighbour who asked not to be named.", title="Referral", confidential_source=True
    )
    return Council(
        team=team,
        manager=manager,
        worker=worker,
        igo=world.staff("information_governance"),
        legal=world.staff("legal_services"),
        press=world.staff("press_office"),
        child=child,
        case=case,
        visit=visit,
        family=family,
        referrer=referrer,
        stranger=world.staff("practitioner"),
    )


def log(
    c: Council,
    category: str,
    *,
    channel: str,
    purpose: str,
    information: tuple[str, ...] = ("child_personal",),
    works_with_child: bool = False,
    people: tuple[Any, ...] | None = None,
) -> Any:
    from discretion.requests import services

    return services.log_request(
        c.worker,
        requester=services.RequesterDetails(
            name="A Requester",
            category=category,
            organisation="Org",
            works_with_child=works_with_child,
            contact="dr@nhs.example, 1 Court St, 1 High St",  # where the tests' releases go
        ),
        channel=channel,
        person_ids=[p.pk for p in (people if people is not None else (c.child,))],
        information=list(information),
        purpose=purpose,
        # A media enquiry records the journalist's question (policy 1.5: the press office answers it).
        summary="Will the council comment?" if "media" in (category, purpose.split("_")[0]) else "",
    )


def verify(c: Council, req: Any) -> Any:
    """The handler records the identity and entitlement checks the decision asks for (policy 1.4,
    2.4): only then may a share decision be released."""
    from discretion.requests import services

    kinds = [k for k in ("verify_identity", "verify_entitlement") if k in req.decision["conditions"]]
    for kind in kinds:
        extra = (
            {"callback_number": "01632 960000", "number_source": "Switchboard"}
            if kind == "verify_entitlement" and req.facts.get("channel") == "phone"
            else {}
        )
        services.complete_task(req.handler, req.pk, kind, note="Checked.", **extra)
    req.refresh_from_db()
    return req
