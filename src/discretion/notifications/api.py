"""Notification endpoints: your own notifications and the unread count; mark one or all read."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from discretion.api import actor
from discretion.notifications import services
from discretion.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    link: str
    urgent: bool
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationsOut(Schema):
    unread: int
    notifications: list[NotificationOut]


def _out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.pk,
        kind=n.kind,
        text=n.text,
        link=n.link,
        urgent=n.urgent,
        created_at=n.created_at,
        read_at=n.read_at,
    )


@router.get("/", response=NotificationsOut)
def notification_list(request: HttpRequest) -> NotificationsOut:
    """Your notifications, newest first, and how many are unread."""
    staff = actor(request)
    rows = services.notifications_for(staff)
    return NotificationsOut(unread=services.unread_count(staff), notifications=[_out(n) for n in rows])


@router.post("/{notification_id}/read", response=NotificationOut)
def read(request: HttpRequest, notification_id: int) -> NotificationOut:
    """Mark one of your notifications read (anyone else's answers 404)."""
    return _out(services.open_notification(actor(request), notification_id))


@router.post("/read-all", response=dict[str, int])
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.mark_all_read(actor(request))}
