"""Reads for pages and the API: requests and subject-access cases, for those with a part in them."""

from __future__ import annotations

from discretion import access
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.compile import CompiledSar, compile_sar
from discretion.information_rights.models import (
    InfoRequest,
    Redaction,
    SarCase,
)
from discretion.information_rights.permissions import party_request, require_igo
from discretion.staff.models import Staff


def get_request_for(actor: Staff, request_id: int) -> InfoRequest:
    """An IGO, or the request's handler; the read is audited (requester details are personal data).
    Anyone else is told "no such request", as for a missing one, and the refusal is audited."""
    req = party_request(actor, request_id)
    audit.record(actor.pk, "ir.request.read", object_type="info_request", object_id=req.pk)
    return req


def list_requests(actor: Staff) -> list[InfoRequest]:
    """The FOI/EIR list shows requesters' names, so it is audited (ids shown, never names)."""
    require_igo(actor)
    rows = list(InfoRequest.objects.select_related("handler").order_by("-received_on", "-id")[:500])
    audit.record(
        actor.pk, "ir.requests.listed", object_type="info_request", details={"shown": [r.pk for r in rows]}
    )
    return rows


def get_sar_for(actor: Staff, sar_id: int) -> SarCase:
    """A subject-access case for an IGO; its subject is read through access (the information-
    governance basis), so the look at the person is audited like any other."""
    require_igo(actor)
    sar = SarCase.objects.select_related("handler").filter(pk=sar_id).first()
    if sar is None:
        raise access.NotFound("No such subject-access case.")
    if sar.subject_id is not None:
        sar.subject = access.get_person_for(actor, sar.subject_id).person
    audit.record(actor.pk, "ir.sar.read", object_type="sar", object_id=sar.pk, person_id=sar.subject_id)
    return sar


def list_sars(actor: Staff) -> list[SarCase]:
    """The subject-access list (requesters are data subjects or act for one): audited, ids only."""
    require_igo(actor)
    rows = list(SarCase.objects.select_related("handler").order_by("-received_on", "-id")[:500])
    audit.record_for_people(
        actor.pk,
        "ir.sars.listed",
        [s.subject_id for s in rows if s.subject_id is not None],
        object_type="sar",
        details={"shown": [s.pk for s in rows]},
    )
    return rows


def review_view(actor: Staff, sar_id: int) -> tuple[SarCase, CompiledSar, list[Redaction]]:
    """The redaction review: the compiled records (read through access) and every redaction."""
    require_igo(actor)
    sar = get_sar_for(actor, sar_id)
    if sar.compiled_at is None:
        raise InvalidInput("Compile the records first")
    compiled = compile_sar(actor, sar, propose=False)
    return sar, compiled, list(Redaction.objects.filter(sar=sar).order_by("entry_id", "start"))
