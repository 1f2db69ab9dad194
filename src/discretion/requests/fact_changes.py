"""The handler corrects a request's facts: checks made on other facts are voided, approvals given on
them withdrawn, and the decision re-run (policy 1.4, 2.4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from discretion.errors import InvalidInput
from discretion.policy import (
    Document,
)
from discretion.requests.grants import end_record_access
from discretion.requests.models import (
    Request,
    RequestEvent,
    Task,
    TaskKind,
)
from discretion.requests.permissions import lock_request, require_handler, require_undecided
from discretion.requests.workflow import record_event, redecide
from discretion.staff.models import Staff

# What the handler may correct directly. What must be shown is not here: documents come only from
# uploads (add_document), identity, entitlement and "in writing" only from completed verification
# tasks, and a reason not to tell the child only from the inform task (policy 2.2-2.4).
FACT_FIELDS = {
    "channel",
    "purpose",
    "information",
    "consent",
    "claims_legal_right",
    "in_doubt",
}
REQUESTER_FIELDS = {"category", "works_with_child"}


@transaction.atomic
def set_facts(actor: Staff, request_id: int, changes: Mapping[str, Any]) -> Request:
    """The handler corrects or adds facts; the decision is re-run. Approvals are never set here:
    they come only from `decide_referral` by the right role."""
    req = lock_request(request_id, actor)
    require_handler(actor, req)
    require_undecided(req)
    facts = {**req.facts, "requester": dict(req.facts.get("requester", {}))}
    contact = changes.get("contact")
    for key, value in changes.items():
        if key == "contact":
            if not isinstance(value, str) or not value.strip() or len(value) > 254:
                raise InvalidInput("Enter the requester's contact details (254 characters or fewer)")
            continue
        if key == "requester":
            if not isinstance(value, Mapping):
                raise InvalidInput("requester must be an object")
            for sub, subvalue in value.items():
                if sub not in REQUESTER_FIELDS:
                    raise InvalidInput(
                        f"unknown field requester.{sub}; allowed: {', '.join(sorted(REQUESTER_FIELDS))}"
                    )
                facts["requester"][sub] = subvalue
        elif key in FACT_FIELDS:
            facts[key] = value
        else:
            raise InvalidInput(
                f"unknown field {key}; allowed: {', '.join(sorted(FACT_FIELDS | {'requester', 'contact'}))}"
            )
    if facts["requester"].get("category") == "media" or facts.get("purpose") == "media_story":
        raise InvalidInput("A media enquiry cannot be made out of another request; log it as a new request")
    if (
        facts.get("consent") == "written"
        and not req.documents.filter(code=Document.WRITTEN_CONSENT, accepted=True).exists()
    ):
        raise InvalidInput(
            "Upload the written consent: it is recorded as written once information governance "
            "has checked the document"
        )
    if contact is not None:
        req.requester_contact = str(contact).strip()
        req.save(update_fields=["requester_contact"])
    facts = _void_checks_made_on_other_facts(req, actor, facts, contact_changed=contact is not None)
    redecide(req, actor, without_approvals(req, actor, facts))
    RequestEvent.objects.create(
        request=req,
        actor=actor,
        action="facts_changed",
        from_state=req.state,
        to_state=req.state,
        note=", ".join(sorted(changes)),
    )
    return req


# What each check was made on: change any of these and the check no longer stands (policy 1.4, 2.4:
# a call-back proves who rang, not who writes; entitlement is for that purpose and that recipient).
CHECKS_MADE_ON: dict[TaskKind, tuple[str, ...]] = {
    TaskKind.VERIFY_IDENTITY: ("channel", "requester.category", "contact"),
    TaskKind.VERIFY_ENTITLEMENT: (
        "channel",
        "purpose",
        "requester.category",
        "requester.works_with_child",
        "contact",
    ),
    TaskKind.REQUEST_IN_WRITING: ("channel",),
}
CHECK_FACT: dict[str, str] = {
    TaskKind.VERIFY_IDENTITY: "identity_verified",
    TaskKind.VERIFY_ENTITLEMENT: "entitlement_verified",
}


def _void_checks_made_on_other_facts(
    req: Request, actor: Staff, facts: dict[str, Any], *, contact_changed: bool
) -> dict[str, Any]:
    before, after = req.facts, facts
    changed = {k for k in ("channel", "purpose") if before.get(k) != after.get(k)}
    changed |= {
        f"requester.{k}"
        for k in ("category", "works_with_child")
        if before.get("requester", {}).get(k) != after["requester"].get(k)
    }
    if contact_changed:
        changed.add("contact")
    if not changed:
        return facts
    facts = {**facts, "requester": dict(facts["requester"])}
    for kind, made_on in CHECKS_MADE_ON.items():
        if not changed & set(made_on):
            continue
        voided = Task.objects.filter(request=req, kind=kind, voided_at__isnull=True).update(
            voided_at=timezone.now()
        )
        if kind in CHECK_FACT:
            facts["requester"][CHECK_FACT[kind]] = False
        else:
            facts.pop("in_writing", None)  # derived again from the channel
        if voided:
            record_event(
                req, actor, "check_voided", note=f"{TaskKind(kind).label}: the facts it was made on changed"
            )
    return facts


def without_approvals(req: Request, actor: Staff, facts: dict[str, Any]) -> dict[str, Any]:
    """An approval was given on the facts as they stood: when they change, it no longer stands and
    the request goes back to whoever must approve it (policy 1.5, 2.4)."""
    if facts.get("approvals"):
        record_event(
            req,
            actor,
            "approvals_withdrawn",
            note="The facts changed after approval: it must be approved again.",
        )
    end_record_access(req.pk)  # an agreement to open records was for the facts as they stood
    return {**facts, "approvals": []}
