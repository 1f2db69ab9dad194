"""The navigation each role sees: only links it can use, each with how much waits there, and who is
signed in. Counts are numbers only (nothing is read, so nothing is audited); they are worked out
only when a page's navigation shows them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import IntegerField, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from discretion.access import has_acknowledged_current_policy
from discretion.disclosures.models import Channel, OutboxMessage
from discretion.information_rights.models import InfoRequest, SarCase
from discretion.requests.services import waiting_count
from discretion.research.models import RequestStatus, ResearchRequest
from discretion.staff import services as staff
from discretion.staff.models import Role, Staff

COMMERCIAL_PERMISSION = "research.view_commercial_records"


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    count: int = 0
    count_text: str = ""  # what the count means, for screen readers ("3 waiting for you")
    current: bool = False


class _CountOf(Subquery):
    """How many rows a queryset has, as an expression (so several counts are one query)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def _letters(actor: Staff) -> QuerySet[Any]:
    rows = OutboxMessage.objects.filter(
        channel=Channel.POST, posted_on__isnull=True, disclosure__isnull=False
    )
    if actor.role != Role.IGO:
        rows = rows.filter(disclosure__released_by=actor)
    return rows


def _own_counts(actor: Staff) -> dict[str, int]:
    """Letters to post, open alerts and unread notifications of a member of staff who is not
    supervised: in one query, as the navigation of every page shows them."""
    from discretion.notifications.models import Notification

    parts = {
        "letters": _letters(actor),
        "alerts": staff.alerts_for(actor, open_only=True),
        "unread": Notification.objects.filter(recipient=actor, read_at__isnull=True),
    }
    row = (
        Staff.objects.filter(pk=actor.pk)
        .annotate(**{name: _CountOf(qs.order_by().values("pk")) for name, qs in parts.items()})
        .values(*parts)
        .first()
    )
    return {name: int((row or {}).get(name) or 0) for name in parts}


def _due_count(today: dt.date) -> int:
    """Open FOI, EIR and subject-access cases due by the end of this week, or overdue."""

    week_end = today + dt.timedelta(days=6 - today.weekday())
    running_foi = Q(clarification_requested_on__isnull=True) | Q(clarification_received_on__isnull=False)
    return (
        InfoRequest.objects.filter(closed_on__isnull=True, due_on__lte=week_end).filter(running_foi).count()
        + SarCase.objects.filter(closed_on__isnull=True, due_on__lte=week_end).filter(running_foi).count()
    )


def _research_count(actor: Staff) -> int:
    return ResearchRequest.objects.filter(status=RequestStatus.SUBMITTED).exclude(submitted_by=actor).count()


def may_use_commercial_records(actor: Staff) -> bool:
    """Those with the permission (their team's and council-wide records) and the team managers who
    answer their staff's questions about remit (policy 1.3); never volunteers, students or the
    system administrator (who keeps the records in the admin)."""
    if actor.is_supervised or actor.role == Role.ADMIN:
        return False
    if actor.role == Role.TEAM_MANAGER:
        return True
    from discretion.staff.signed_in import may_use_commercial_permission

    # Loaded with the signed-in account (staff.signed_in), else asked of the backends.
    granted = may_use_commercial_permission(actor)
    return actor.has_perm(COMMERCIAL_PERMISSION) if granted is None else granted


def items_for(actor: Staff, path: str) -> list[NavItem]:
    """The links `actor` can use, in the order they work in."""
    role = actor.role
    supervised = actor.is_supervised
    own = _own_counts(actor) if not supervised else {"letters": 0, "alerts": 0, "unread": 0}
    items: list[tuple[str, str, int, str]] = [
        ("My cases" if supervised else "My work", reverse("web:home"), 0, ""),
    ]
    if role not in (Role.PRESS, Role.ADMIN):
        items.append(("Find a person", reverse("web:search"), 0, ""))
    if role != Role.ADMIN and not supervised:
        waiting = waiting_count(actor)
        items.append(("Requests", reverse("requests:queue"), waiting, f"{waiting} waiting for you"))
    letters = own["letters"]
    if not supervised and (role in (Role.PRACTITIONER, Role.TEAM_MANAGER, Role.IGO) or letters):
        items.append(("Letters to post", reverse("disclosures:print-queue"), letters, f"{letters} to post"))
        items.append(("Secure links sent", reverse("disclosures:links"), 0, ""))
    if role == Role.IGO and not supervised:
        due = _due_count(timezone.localdate())
        items.append(
            ("FOI and subject access", reverse("information_rights:dashboard"), due, f"{due} due this week")
        )
    if role in (Role.RESEARCH, Role.IGO) and not supervised:
        waiting = _research_count(actor) if role == Role.RESEARCH else 0
        items.append(("Research", reverse("research:list"), waiting, f"{waiting} waiting for a decision"))
    if role in (Role.IGO, Role.TEAM_MANAGER) and not supervised:
        items.append(("Disclosure register", reverse("disclosures:register"), 0, ""))
    if not supervised:
        # Managers, governance and administrators review alerts; anyone else sees the link only
        # while an alert sent to them waits (a volunteer they supervise tried to send data out).
        alerts = own["alerts"]
        if alerts or role in (Role.IGO, Role.TEAM_MANAGER, Role.ADMIN):
            items.append(("Alerts", reverse("staff:alerts"), alerts, f"{alerts} not yet reviewed"))
    if role == Role.IGO and not supervised:
        from discretion.staff.accounts import changes_for, may_decide

        waiting = changes_for(actor, pending_only=True).count() if may_decide(actor) else 0
        if waiting:  # an administrator's change to an account's access waits for a second person
            items.append(("Staff access", reverse("staff:account-changes"), waiting, f"{waiting} to confirm"))
    if role in (Role.IGO, Role.TEAM_MANAGER, Role.ADMIN) and not supervised:
        items.append(("Compliance", reverse("staff:compliance"), 0, ""))
    if may_use_commercial_records(actor):
        items.append(("Commercial records", reverse("research:commercial"), 0, ""))
    if role == Role.ADMIN and actor.is_staff:
        items.append(("Administration", reverse("admin:index"), 0, ""))
    if not supervised:
        unread = own["unread"]
        items.append(("Notifications", reverse("notifications:list"), unread, f"{unread} unread"))
    home = reverse("web:home")
    return [
        NavItem(label, href, count, text, current=path == href if href == home else path.startswith(href))
        for label, href, count, text in items
    ]


def role_label(actor: Staff) -> str:
    """Who is signed in, as others would say it: "Team manager, Chorley Safeguarding"."""
    if actor.is_supervised:
        sponsor = actor.responsible_staff
        return f"{actor.get_employment_type_display()}" + (
            f", with {sponsor.display_name}" if sponsor else ""
        )
    label = actor.get_role_display()
    if actor.employment_type == "agency":
        label += " (agency)"
    return label + (f", {actor.team.name}" if actor.team_id and actor.team else "")


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the navigation and who is signed in, for a signed-in member of staff who
    has acknowledged the current policy (before that, only signing out is offered)."""
    user = getattr(request, "user", None)
    if not isinstance(user, Staff) or not user.is_authenticated or request.path.startswith("/admin/"):
        return {}

    if not has_acknowledged_current_policy(user):
        return {"signed_in_as": SimpleLazyObject(lambda: role_label(user))}
    return {
        "nav_items": SimpleLazyObject(lambda: items_for(user, request.path)),
        "signed_in_as": SimpleLazyObject(lambda: role_label(user)),
    }
