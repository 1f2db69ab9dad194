"""Closing a request: the handler after release or refusal; the press office its media referrals."""

from __future__ import annotations

from django.db import transaction

from discretion import access
from discretion.errors import InvalidInput, NotPermitted
from discretion.requests.models import (
    Request,
    State,
)
from discretion.requests.permissions import lock_request, may_act_for, require_handler
from discretion.requests.workflow import record_event
from discretion.staff.models import Staff


@transaction.atomic
def close_request(actor: Staff, request_id: int, *, note: str) -> Request:
    """Close a request: the handler after release or refusal; the press office its media referrals."""
    access._require_active(actor)
    req = lock_request(request_id, actor)
    is_press = "press_office" in req.decision.get("route_to", []) and may_act_for(actor, req, "press_office")
    if not is_press:
        require_handler(actor, req)
        if req.state not in {State.RELEASED, State.REFUSED, State.NEED_MORE}:
            raise NotPermitted("Only a released, refused or stalled request can be closed.")
    if req.state == State.CLOSED:
        raise NotPermitted("This request is already closed.")
    if not note.strip():
        raise InvalidInput("Enter why the request is being closed")
    record_event(req, actor, "closed", to_state=State.CLOSED, note=note.strip())
    return req
