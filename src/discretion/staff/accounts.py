"""Who may change a staff account's access, and when a change takes effect (policy 1.2; UK GDPR
Art 32). The red-team review (issue 11, probe 8) showed an administrator making herself an
information governance officer in the Django admin and then reading any child's record. So:

- Nobody changes their own role, employment type, team, responsible member of staff, permission
  groups and permissions, staff or superuser flag, or active flag, by any route (the admin's form
  refuses it, audited, and information governance is alerted).
- A change an administrator makes to another account that gives it access to records (a role that
  reads records or decides releases, an account switched on again with such a role, a volunteer or
  student made an employee) does not take effect at once: it waits, as an `AccountChange`, until an
  information governance officer other than the administrator (and other than the account's owner)
  confirms it. Asking, confirming and refusing are audited; asking alerts information governance.
  Changes that take access away take effect at once.
- An administrator who both resets an account's second factor and sets its password within 24 hours
  could sign in as its owner: information governance is alerted (account takeover pattern).

One function per user action: permission check, rule, write, audit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from discretion.access import NotFound, NotPermitted, refusal
from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from discretion.staff.alerts import raise_alert
from discretion.staff.models import (
    SUPERVISED_TYPES,
    AccountChange,
    AccountChangeState,
    AlertKind,
    Role,
    Staff,
)

# What nobody may change on their own account.
SELF_PROTECTED = (
    "role",
    "employment_type",
    "team",
    "responsible_staff",
    "is_staff",
    "is_superuser",
    "is_active",
    "groups",
    "user_permissions",
)
# Roles that read records or decide releases (administrators and the press office do neither).
RECORD_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.IGO, Role.LEGAL, Role.RESEARCH})
# The fields a change to another account's record access is held on.
HELD_FIELDS = ("role", "employment_type", "is_active")
TAKEOVER_WINDOW = dt.timedelta(hours=24)


class InvalidInput(ValueError):
    """Input the user can correct; the message says how."""


def _label(field: str, value: object) -> str:
    if field == "role":
        return str(Role(str(value)).label) if value in Role.values else str(value)
    if field == "employment_type":
        from discretion.staff.models import EmploymentType

        return str(EmploymentType(str(value)).label) if value in EmploymentType.values else str(value)
    if field == "is_active":
        return "active" if value else "not active"
    return str(value)


def describe(changes: Mapping[str, Any]) -> str:
    """ "role: Press office → Information Governance Officer; active: not active → active"."""
    names = {"role": "role", "employment_type": "employment", "is_active": "account"}
    return "; ".join(
        f"{names.get(f, f)}: {_label(f, old)} → {_label(f, new)}" for f, (old, new) in sorted(changes.items())
    )


def widening(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The part of a change to an account (`before` None: a new account) that gives it record access
    it did not have, as {field: [from, to]}; empty when the change gives none."""
    if after["role"] not in RECORD_ROLES:
        return {}
    if before is None:  # a new account with a record role starts switched off until confirmed
        return {"is_active": [False, True]} if after["is_active"] else {}
    held: dict[str, list[Any]] = {}
    if before["role"] != after["role"]:
        held["role"] = [before["role"], after["role"]]
    if before["employment_type"] in SUPERVISED_TYPES and after["employment_type"] not in SUPERVISED_TYPES:
        held["employment_type"] = [before["employment_type"], after["employment_type"]]
    if not before["is_active"] and after["is_active"]:
        held["is_active"] = [False, True]
    return held


def refuse_self_change(actor: Staff, fields: list[str]) -> NotPermitted:
    """An attempt to change one's own access: refused, audited, information governance alerted."""
    message = "You cannot change your own role, team or access. Ask another administrator"
    raise_alert(
        AlertKind.ACCOUNT_CHANGE,
        about=actor,
        summary=f"{actor.display_name} tried to change their own account ({', '.join(sorted(fields))})",
        evidence={"what": "own account", "fields": sorted(fields)},
    )
    return refusal(
        actor,
        "staff.account_change",
        message,
        object_type="staff",
        object_id=actor.pk,
        details={"fields": fields},
    )


def pending_for(staff_id: int) -> AccountChange | None:
    return AccountChange.objects.filter(staff_id=staff_id, state=AccountChangeState.PENDING).first()


def hold_change(actor: Staff, target: Staff, changes: dict[str, list[Any]]) -> AccountChange:
    """Record a change to `target`'s record access that waits for information governance; the
    caller has saved the account with the held fields at their old values. Audited; alerts."""
    if actor.pk == target.pk:
        raise refuse_self_change(actor, sorted(changes))
    if pending_for(target.pk) is not None:
        raise InvalidInput(
            "A change to this account's access is already waiting for information governance to confirm"
        )
    change = AccountChange.objects.create(staff=target, requested_by=actor, changes=changes)
    audit.record(
        actor.pk,
        "staff.account_change.requested",
        object_type="staff",
        object_id=target.pk,
        details={"change": change.pk, "changes": changes},
    )
    raise_alert(
        AlertKind.ACCOUNT_CHANGE,
        about=actor,
        summary=f"{actor.display_name} changed {target.display_name}'s access ({describe(changes)}): "
        "waiting for information governance to confirm",
        evidence={"staff": target.username, "what": describe(changes), "change": change.pk},
    )
    return change


def may_decide(actor: Staff) -> bool:
    return actor.role == Role.IGO and actor.is_active and not actor.is_supervised and not actor.has_ended()


def changes_for(actor: Staff, *, pending_only: bool = False) -> QuerySet[AccountChange]:
    """Changes to accounts' access, for information governance (those about themselves left out)."""
    if not may_decide(actor):
        raise refusal(actor, "staff.account_changes", "Only information governance can see this.")
    qs = AccountChange.objects.select_related("staff", "requested_by", "decided_by").exclude(staff=actor)
    return qs.filter(state=AccountChangeState.PENDING) if pending_only else qs


def get_change_for(actor: Staff, change_id: int) -> AccountChange:
    change = changes_for(actor).filter(pk=change_id).first()
    if change is None:
        if AccountChange.objects.filter(pk=change_id).exists():
            refusal(actor, "staff.account_change.read", "No such change.", object_type="account_change")
        raise NotFound("No such change.")
    audit.record(actor.pk, "staff.account_change.read", object_type="account_change", object_id=change.pk)
    return change


@transaction.atomic
def decide_change(actor: Staff, change_id: int, *, confirm: bool, note: str) -> AccountChange:
    """An information governance officer other than the administrator who asked (and not the
    account's owner) confirms the change, which then takes effect, or refuses it."""
    if not may_decide(actor):
        raise refusal(
            actor, "staff.account_change.decide", "Only information governance can confirm a change."
        )
    change = (
        AccountChange.objects.select_for_update(of=("self",))
        .select_related("staff", "requested_by")
        .filter(pk=change_id)
        .first()
    )
    if change is None or change.staff_id == actor.pk:
        if change is not None:
            refusal(actor, "staff.account_change.decide", "No such change.", object_type="account_change")
        raise NotFound("No such change.")
    if change.requested_by_id == actor.pk:
        raise refusal(
            actor,
            "staff.account_change.decide",
            "Another information governance officer must confirm a change you made.",
            object_type="account_change",
            object_id=change.pk,
        )
    if change.state != AccountChangeState.PENDING:
        raise InvalidInput("This change has already been decided")
    note = note.strip()
    if not note:
        raise InvalidInput("Enter the reason for your decision")
    change.state = AccountChangeState.CONFIRMED if confirm else AccountChangeState.REFUSED
    change.decided_by, change.decided_at, change.note = actor, timezone.now(), note
    change.save(update_fields=["state", "decided_by", "decided_at", "note"])
    if confirm:
        target = Staff.objects.select_for_update().get(pk=change.staff_id)
        for field, (_old, new) in change.changes.items():
            setattr(target, field, new)
        target.save(update_fields=sorted(change.changes))
    audit.record(
        actor.pk,
        "staff.account_change.confirmed" if confirm else "staff.account_change.refused_by_igo",
        object_type="staff",
        object_id=change.staff_id,
        reason=note,
        details={"change": change.pk, "changes": change.changes, "requested_by": change.requested_by_id},
    )
    return change


# --- account takeover pattern ----------------------------------------------------------------


def _since(window: dt.timedelta) -> str:
    return (timezone.now() - window).astimezone(dt.UTC).isoformat(timespec="microseconds")


def _done_recently(actor_id: int, staff_id: int, action: str, *, password: bool = False) -> bool:
    events = AuditEvent.objects.filter(
        actor_id=actor_id,
        action=action,
        object_type="staff",
        object_id=str(staff_id),
        at__gte=_since(TAKEOVER_WINDOW),
    )
    if password:
        events = events.filter(details__contains='"password"')
    return events.exists()


def note_credential_reset(actor: Staff, staff_id: int, *, what: str) -> None:
    """Called after `actor` reset `staff_id`'s second factor (`what` "second_factor") or set its
    password (`what` "password"): when the same person did the other within 24 hours, they could
    now sign in as the account's owner, and information governance is alerted."""
    if actor.pk == staff_id:
        return
    if what == "password":
        other = _done_recently(actor.pk, staff_id, "auth.otp_device_reset")
    else:
        other = _done_recently(actor.pk, staff_id, "admin.changed", password=True)
    if not other:
        return
    target = Staff.objects.get(pk=staff_id)
    raise_alert(
        AlertKind.ACCOUNT_TAKEOVER,
        about=actor,
        summary=f"{actor.display_name} reset {target.display_name}'s second factor and set their password "
        "within 24 hours: they could sign in as them",
        evidence={"staff": target.username, "what": "second factor reset and password set"},
    )
