"""Who may act on FOI/EIR requests and subject-access cases, and loading them for a change: anyone
without a part gets the answer a missing record gets."""

from __future__ import annotations

from discretion import access
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.models import (
    InfoRequest,
    SarCase,
    SarStatus,
)
from discretion.staff.models import Role, Staff


def is_igo(actor: Staff) -> bool:
    return actor.is_active and not actor.has_ended() and actor.role == Role.IGO and not actor.is_supervised


def require_igo(actor: Staff) -> None:
    """FOI, EIR and subject-access casework is information governance's; a refusal is audited."""
    if not actor.is_active or actor.has_ended():
        raise access.refusal(actor, "information_rights", "Your account is not active.")
    if actor.role != Role.IGO or actor.is_supervised:
        raise access.refusal(
            actor, "information_rights", "Only an information governance officer can do this."
        )


def require_handler_or_igo(actor: Staff, req: InfoRequest) -> None:
    if req.handler_id == actor.pk and actor.is_active and not actor.is_supervised:
        return
    require_igo(actor)


def party_request(actor: Staff, request_id: int) -> InfoRequest:
    """A request for its handler or an IGO. Anyone else gets the answer a missing request gets, so
    nobody can tell which requests exist (one dull answer, STYLE "access_*"); the refusal is audited.

    Called outside any write transaction, so the refusal's audit event is never rolled back."""
    req = InfoRequest.objects.select_related("handler").filter(pk=request_id).first()
    if req is not None:
        try:
            require_handler_or_igo(actor, req)
        except NotPermitted:
            req = None
    if req is None:
        audit.record(actor.pk, "ir.request.refused", object_type="info_request", object_id=request_id)
        raise access.NotFound("No such request.")
    return req


def get_info_request(request_id: int, *, for_update: bool = True) -> InfoRequest:
    qs = InfoRequest.objects.select_for_update() if for_update else InfoRequest.objects
    try:
        return qs.get(pk=request_id)
    except InfoRequest.DoesNotExist:
        raise access.NotFound("No such request.") from None


def require_request_open(req: InfoRequest) -> None:
    if not req.is_open:
        raise InvalidInput("This request is closed.")


def require_sar_open(sar: SarCase) -> None:
    if sar.status == SarStatus.RELEASED or sar.closed_on is not None:
        raise InvalidInput("This subject-access case is closed")


def lock_sar(sar_id: int) -> SarCase:
    try:
        return SarCase.objects.select_for_update().get(pk=sar_id)
    except SarCase.DoesNotExist:
        raise access.NotFound("No such subject-access case.") from None
