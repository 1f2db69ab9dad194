"""The signed-in member of staff, loaded once per request with what every request asks of them.

Every page and API call checks, besides loading the account: whether it has acknowledged the
current policy (the policy gate), whether a newer sign-in has ended this session (the session
limit) and, for the navigation, its team and whether it may use commercial records. Asked one at a
time that is five queries on every request; here it is one, as the authentication backends load
the session's account. Nothing is cached beyond the request: each request loads afresh, so a
policy published, a sign-in elsewhere or a permission withdrawn counts at the very next request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, Subquery

from discretion.audit.models import AuditEvent
from discretion.staff.models import Acknowledgement, PolicyVersion, Staff

SIGN_IN = "auth.sign_in"
COMMERCIAL_APP, COMMERCIAL_CODENAME = "research", "view_commercial_records"
# Attributes the loaded account carries (read by access, the session limit and the navigation).
ACKNOWLEDGED = "_acknowledged_current_policy"
NTH_LATEST_SIGN_IN = "_discretion_nth_latest_sign_in"
COMMERCIAL_PERMISSION = "_discretion_commercial_permission"


def _max_sessions() -> int:
    return int(getattr(settings, "DISCRETION_MAX_SESSIONS", 1))


def load(user_id: Any) -> Staff | None:
    """The account with `user_id` and its per-request answers, in one query (None if gone)."""
    newest_policy = PolicyVersion.objects.order_by("-published_at", "-id")
    acknowledged_newest = Acknowledgement.objects.filter(
        staff=OuterRef(OuterRef("pk")), policy=OuterRef("pk")
    )
    rows = Staff.objects.select_related("team").annotate(
        _has_policy=Exists(newest_policy),
        _acknowledged=Subquery(newest_policy.annotate(by=Exists(acknowledged_newest)).values("by")[:1]),
        _commercial=Exists(
            Permission.objects.filter(
                content_type__app_label=COMMERCIAL_APP, codename=COMMERCIAL_CODENAME
            ).filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")))
        ),
    )
    limit = _max_sessions()
    if limit > 0:
        # The limit-th newest complete sign-in: a session that began before it is superseded.
        rows = rows.annotate(
            _nth_sign_in=Subquery(
                AuditEvent.objects.filter(actor_id=OuterRef("pk"), action=SIGN_IN)
                .order_by("-id")
                .values("id")[limit - 1 : limit]
            )
        )
    staff = rows.filter(pk=user_id).first()
    if staff is None:
        return None
    setattr(staff, ACKNOWLEDGED, (not staff._has_policy) or bool(staff._acknowledged))
    setattr(staff, COMMERCIAL_PERMISSION, bool(staff._commercial))
    if limit > 0:
        setattr(staff, NTH_LATEST_SIGN_IN, int(staff._nth_sign_in or 0))  # type: ignore[attr-defined]
    return staff


class LoadsSignedInStaff:
    """For the authentication backends: load the session's account with `load`."""

    def get_user(self, user_id: Any) -> Staff | None:
        staff = load(user_id)
        if staff is None:
            return None
        can = getattr(self, "user_can_authenticate", None)
        return staff if can is None or can(staff) else None


def superseded(staff: Any, staff_id: int, sign_in_seq: int) -> bool | None:
    """Whether a session whose sign-in was event `sign_in_seq` is superseded, from the loaded
    account; None when it was not loaded here (then ask security.is_superseded)."""
    nth = getattr(staff, NTH_LATEST_SIGN_IN, None)
    if nth is None or getattr(staff, "pk", None) != staff_id:
        return None
    return bool(nth > sign_in_seq)


def may_use_commercial_permission(staff: Any) -> bool | None:
    """`staff.has_perm(research.view_commercial_records)` from the loaded account, or None."""
    granted = getattr(staff, COMMERCIAL_PERMISSION, None)
    if granted is None:
        return None
    if not staff.is_active:
        return False
    return bool(staff.is_superuser or granted)
