"""Four eyes on the records a request opens (policy 2.3-2.4: need to know, for this request only).

The handler of a request may need to read the records of the people it is about to choose what to
release. Where they have no other basis (an allocation, a manager's team), a request opens those
records only once someone else agrees: the handler's team manager or information governance when
asked, or whoever approved the request on its referral. The agreement is for this request's subjects
and the kinds of information it asks for (`requests.grants`), ends when the request is released,
refused or closed or its facts change, and runs out after `settings.REQUEST_ACCESS_DAYS`. Each
agreement alerts the managers of the teams whose cases it opens, as break-glass does.
"""

from __future__ import annotations

import datetime as dt
import enum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.records.models import Case
from discretion.requests.grants import GRANTING_STATES, end_record_access
from discretion.requests.models import RecordAccess, Request
from discretion.staff.alerts import raise_alert
from discretion.staff.models import AlertKind, Role, Staff


class Status(enum.StrEnum):
    NOT_NEEDED = "not_needed"  # the handler already has a basis for every case concerned
    NEEDED = "needed"
    ASKED = "asked"
    AGREED = "agreed"


def subject_case_ids(req: Request) -> list[int]:
    """The cases a request is about: those whose subject it names (ids only, not a read)."""
    people = req.subject_links.values("person_id")
    return list(Case.objects.filter(subject_id__in=people).order_by("id").values_list("id", flat=True))


def cases_without_basis(req: Request) -> list[int]:
    """Cases the request is about that its handler could not open without the request."""
    case_ids = subject_case_ids(req)
    grants = access.case_grants(req.handler, case_ids)
    # Break-glass is a look in an emergency, not a basis for a release: like a request's own
    # access, it needs someone else to agree before anything read under it is chosen to go.
    borrowed = (access.Basis.REQUEST_HANDLER, access.Basis.BREAK_GLASS)
    return [case_id for case_id in case_ids if case_id not in grants or grants[case_id].basis in borrowed]


def _live(req: Request) -> RecordAccess | None:
    return (
        RecordAccess.objects.filter(request=req, handler_id=req.handler_id, ended_at__isnull=True)
        .exclude(approved=False)
        .order_by("-asked_at", "-id")
        .first()
    )


def status_of(req: Request) -> Status:
    live = _live(req)
    if live is not None and live.approved and live.expires_at and live.expires_at > timezone.now():
        return Status.AGREED
    if not cases_without_basis(req):
        return Status.NOT_NEEDED
    if live is not None and live.approved is None:
        return Status.ASKED
    return Status.NEEDED


def may_agree(actor: Staff, req: Request) -> bool:
    """The handler's team manager or an information governance officer; never the handler or the
    colleague asking."""
    from discretion.requests.permissions import handlers_of

    if actor.is_supervised or not actor.is_active:
        return False
    if actor.pk in handlers_of(req) | {req.requester_staff_id}:
        return False
    if actor.role == Role.IGO:
        return True
    return (
        actor.role == Role.TEAM_MANAGER
        and req.team_id is not None
        and actor.managed_teams.filter(pk=req.team_id).exists()
    )


def ask(actor: Staff, req: Request, *, reason: str) -> RecordAccess:
    """The handler asks their manager or information governance to agree to their opening the
    records the request is about. Call inside the request's lock."""
    if actor.pk != req.handler_id:
        raise access.refusal(
            actor,
            "request.record_access",
            "Only the member of staff handling this request can ask to open its records.",
            object_type="request",
            object_id=req.pk,
        )
    if req.state not in GRANTING_STATES:
        raise access.NotPermitted("Records can be opened only once the request is approved.")
    reason = reason.strip()
    if not reason:
        raise ValueError("Enter why you need to open the records")
    if len(reason) > 2000:
        raise ValueError("The reason must be 2000 characters or fewer")
    current = status_of(req)
    if current in (Status.AGREED, Status.NOT_NEEDED, Status.ASKED):
        raise access.NotPermitted(
            {
                Status.AGREED: "Opening these records has already been agreed.",
                Status.NOT_NEEDED: "You can already open these records.",
                Status.ASKED: "You have already asked; it is waiting for a decision.",
            }[current]
        )
    row = RecordAccess.objects.create(request=req, handler=actor, reason=reason)
    audit.record(
        actor.pk,
        "request.record_access_asked",
        object_type="request",
        object_id=req.pk,
        details={"cases": cases_without_basis(req)},
    )
    return row


def decide(actor: Staff, req: Request, *, approve: bool, reasoning: str) -> RecordAccess:
    """A second person agrees to (or refuses) the handler's opening the records. Call inside the
    request's lock."""
    if not may_agree(actor, req):
        raise access.refusal(
            actor,
            "request.record_access",
            "Only the handler's team manager or information governance can agree to this.",
            object_type="request",
            object_id=req.pk,
        )
    reasoning = reasoning.strip()
    if not reasoning:
        raise ValueError("Enter the reasons for your decision")
    row = _live(req)
    if row is None or row.approved is not None:
        raise access.NotPermitted("Nobody has asked to open these records.")
    return _settle(actor, req, row, approve=approve, reasoning=reasoning)


def agree_on_approval(approver: Staff, req: Request, *, reasoning: str) -> RecordAccess | None:
    """Whoever approves a request on referral also agrees that its handler may open its records
    (they have seen who and what it is about): four eyes without asking twice."""
    from discretion.requests.permissions import handlers_of

    if approver.pk in handlers_of(req) | {req.requester_staff_id} or not cases_without_basis(req):
        return None
    live = _live(req)
    if live is not None and live.approved:
        return live
    row = live or RecordAccess.objects.create(request=req, handler=req.handler, reason="Request approved")
    return _settle(approver, req, row, approve=True, reasoning=reasoning)


def _settle(actor: Staff, req: Request, row: RecordAccess, *, approve: bool, reasoning: str) -> RecordAccess:
    now = timezone.now()
    opened = cases_without_basis(req)
    row.decided_by = actor
    row.decided_at = now
    row.approved = approve
    row.reasoning = reasoning
    row.expires_at = now + dt.timedelta(days=settings.REQUEST_ACCESS_DAYS) if approve else None
    row.save(update_fields=["decided_by", "decided_at", "approved", "reasoning", "expires_at"])
    audit.record(
        actor.pk,
        "request.record_access_agreed" if approve else "request.record_access_refused",
        object_type="request",
        object_id=req.pk,
        reason=reasoning,
        details={"cases": opened, "expires_at": row.expires_at.isoformat() if row.expires_at else None},
    )
    if approve:
        _alert_case_managers(req, opened, agreed_by=actor)
    return row


def _alert_case_managers(req: Request, case_ids: list[int], *, agreed_by: Staff) -> None:
    """Like break-glass: the manager of each team whose case is opened is told (policy 1.2)."""
    handler = req.handler
    by_manager: dict[int | None, list[Case]] = {}
    for case in Case.objects.filter(id__in=case_ids).select_related("team__manager").order_by("id"):
        by_manager.setdefault(case.team.manager_id, []).append(case)
    for manager_id, cases in by_manager.items():
        recipient = cases[0].team.manager if manager_id is not None else None
        raise_alert(
            AlertKind.REQUEST_ACCESS,
            about=handler,
            recipient=recipient,
            case_id=cases[0].pk,
            summary=f"Records opened for request {req.pk}: " + ", ".join(c.ref for c in cases),
            evidence={
                "request": req.pk,
                "cases": [c.pk for c in cases],
                "agreed_by": agreed_by.pk,
                "reason": _live_reason(req),
            },
        )


def _live_reason(req: Request) -> str:
    live = _live(req)
    return live.reason if live is not None else ""


def end_for(req: Request) -> None:
    """The request was released, refused or closed, or its facts changed: nothing stays open."""
    with transaction.atomic():
        end_record_access(req.pk)
