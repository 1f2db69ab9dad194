"""Releasing a request's selected entries to the person who asked, through the one door out
(`disclosures.services.disclose`), once every condition of the decision is met (policy 1.1, 2.4)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from discretion import access
from discretion.disclosures import services as disclosures
from discretion.disclosures.models import Channel as ReleaseChannel
from discretion.errors import InvalidInput, NotPermitted
from discretion.policy import Approval as PolicyApproval
from discretion.policy import Condition, Document, Outcome
from discretion.records.models import Entry
from discretion.requests import labels
from discretion.requests import notify as notify_
from discretion.requests.bundle_pdf import render_request_bundle
from discretion.requests.grants import scope_for
from discretion.requests.models import (
    Approval,
    Request,
    Selection,
    State,
    TaskKind,
)
from discretion.requests.permissions import lock_request, require_handler
from discretion.requests.selection import release_allowances
from discretion.requests.workflow import current_decision, record_event
from discretion.staff.models import Staff

RELEASE_CHANNELS = {ReleaseChannel.SECURE_LINK, ReleaseChannel.POST}


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def requester_addresses(req: Request) -> set[str]:
    """The e-mail addresses recorded for the person who asked."""
    return {m.lower() for m in EMAIL.findall(req.requester_contact or "")}


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def goes_to_the_requester(req: Request, channel: str, address: str) -> bool:
    """A release goes to the person who asked, at the contact recorded (and checked) with the request:
    their e-mail address for a secure link, their postal address for a letter."""
    if channel == ReleaseChannel.SECURE_LINK:
        return address.strip().lower() in requester_addresses(req)
    wanted = _plain(address)
    return bool(wanted) and wanted in _plain(req.requester_contact or "")


def unmet_conditions(req: Request) -> list[str]:
    """Conditions of a share decision that are not yet met; a release waits for all of them."""
    facts = req.stored_facts
    done = {t.kind: t.outcome for t in req.tasks.all() if t.voided_at is None}
    checks = {
        Condition.VERIFY_IDENTITY: facts.identity_verified,
        Condition.VERIFY_ENTITLEMENT: facts.entitlement_verified,
        Condition.REQUEST_IN_WRITING: facts.in_writing,
        Condition.INFORM_SUBJECT: TaskKind.INFORM_SUBJECT in done,
        Condition.MANAGER_APPROVAL: PolicyApproval.MANAGER in facts.approvals,
        Condition.OBTAIN_CONSENT: facts.has_consent,
        Condition.COURT_ORDER: Document.COURT_ORDER in facts.documents,  # once checked
        Condition.ANONYMISE: False,  # anonymised extracts are issued by research governance, not here
    }
    return [c for c in req.decision.get("conditions", []) if not checks.get(c, True)]


@transaction.atomic
def release_request(actor: Staff, request_id: int, *, channel: str, address: str) -> disclosures.Release:
    """The handler releases the selected entries through the disclosure service (the one door out):
    register entry and outbox in one transaction. Never plain e-mail (policy 1.1)."""
    req = lock_request(request_id, actor)
    require_handler(actor, req)
    _require_releasable(req)
    _require_recipient_address(req, channel, address)
    selections = list(req.selections.all())
    picked = _entries_to_release(actor, req, selections)
    release = _disclose(actor, req, selections, picked, channel=channel, address=address.strip())
    req.disclosure = release.disclosure
    req.save(update_fields=["disclosure"])
    record_event(
        req, actor, "released", to_state=State.RELEASED, note=f"Register entry {release.disclosure.pk}"
    )
    notify_.released(req, actor)
    return release


def _require_releasable(req: Request) -> None:
    """A share decision with its entries chosen; nothing that must come first still open."""
    unmet = unmet_conditions(req)
    if req.outcome in (Outcome.NEED_MORE, Outcome.REFER) and unmet:
        raise NotPermitted("Before release: " + "; ".join(labels.condition_labels(unmet)))
    if req.outcome != Outcome.SHARE:
        raise NotPermitted("The policy decision on this request is not to share.")
    if req.state != State.PREPARING:
        raise NotPermitted("Choose the entries to release first.")


def _require_recipient_address(req: Request, channel: str, address: str) -> None:
    """A secure link or a letter, to the person who asked at the contact recorded (policy 1.1, 2.4)."""
    if channel not in RELEASE_CHANNELS:
        raise InvalidInput("Select a secure download link or print and post")
    if not address.strip():
        raise InvalidInput(
            "Enter the recipient's e-mail address"
            if channel == ReleaseChannel.SECURE_LINK
            else "Enter the recipient's postal address"
        )
    if channel == ReleaseChannel.SECURE_LINK:
        try:
            validate_email(address.strip())
        except ValidationError:
            raise InvalidInput(
                "Enter an e-mail address in the correct format, like name@example.org"
            ) from None
    unmet = unmet_conditions(req)
    if unmet:
        raise NotPermitted("Before release: " + "; ".join(labels.condition_labels(unmet)))
    if not goes_to_the_requester(req, channel, address):
        raise InvalidInput(
            "Send it only to the person who asked, at the contact recorded with the request and checked "
            f"with their entitlement (policy 2.4): {req.requester_contact or 'none recorded yet'}. "
            "If they gave another address, correct the request's contact details first."
        )


def _entries_to_release(
    actor: Staff, req: Request, selections: Sequence[Selection]
) -> list[tuple[Entry, str]]:
    """The selected entries with their reasons, oldest first. What leaves is read through the one
    door, as the handler: each entry's read is audited and its need-to-know basis checked again
    (DESIGN "One door to personal data"); the decision may have changed since they were picked."""
    picked = sorted(
        ((access.get_entry_for(actor, s.entry_id)[0], s.reason) for s in selections),
        key=lambda pair: (pair[0].occurred_on, pair[0].pk),
    )
    third, confidential = release_allowances(req)
    scope = scope_for(req.stored_facts.information)
    for entry, _ in picked:
        if (
            (entry.confidential_source and not confidential)
            or (entry.third_party and not third)
            or not scope.covers(entry)
        ):
            raise NotPermitted(f"Entry {entry.pk} can no longer be released; choose the entries again.")
    return picked


def _disclose(
    actor: Staff,
    req: Request,
    selections: Sequence[Selection],
    picked: Sequence[tuple[Entry, str]],
    *,
    channel: str,
    address: str,
) -> disclosures.Release:
    """The bundle through the one door out, registered with the decision's reasons and approver."""
    decision = current_decision(req)
    approver = (
        Approval.objects.filter(request=req, approved=True)
        .select_related("decided_by")
        .order_by("-decided_at")
        .first()
    )
    return disclosures.disclose(
        actor,
        recipient=disclosures.Recipient(
            name=req.requester_name,
            organisation=req.requester_organisation,
            category=req.category,
            address=address,
        ),
        channel=ReleaseChannel(channel),
        content=render_request_bundle(req, picked),
        content_name=f"disclosure-request-{req.pk}.pdf",
        source="request",
        source_id=str(req.pk),
        # Everyone whose records went out: the request's subjects and the subject of each case an
        # entry came from (a parent's request can release their children's case notes).
        person_ids=sorted(
            set(req.subject_links.values_list("person_id", flat=True))
            | {entry.case.subject_id for entry, _ in picked}
        ),
        entry_ids=[s.entry_id for s in selections],
        purpose=req.stored_facts.purpose,
        legal_basis="; ".join(f"{r.text} (policy {r.paragraph})" for r in decision.reasons),
        rules=list(decision.rules),
        approved_by=approver.decided_by if approver else None,
        summary=f"{len(selections)} entries for request {req.pk}",
        message_subject=f"Information from Children's Services (request {req.pk})",
        message_body="Your documents are ready. The code to open them will reach you separately."
        if channel == ReleaseChannel.SECURE_LINK
        else "Print, check and post by recorded delivery.",
    )
