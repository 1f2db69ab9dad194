"""An FOI request for the requester's own personal data is handled as subject access (FOIA s40(1),
policy 3): the transfer and its letter."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.models import (
    ExemptionClaim,
    InfoRequest,
    Outcome,
    Regime,
    Requester,
    SarCase,
)
from discretion.information_rights.permissions import get_info_request, require_igo, require_request_open
from discretion.information_rights.sar_opening import open_sar
from discretion.staff.models import Staff


def transfer_letter(req: InfoRequest, sar: SarCase) -> str:
    return render_to_string(
        "information_rights/letters/transfer.txt",
        {"req": req, "sar": sar, "council_name": settings.COUNCIL_NAME},
    )


@transaction.atomic
def transfer_to_sar(actor: Staff, request_id: int, *, requester_kind: str = Requester.SELF) -> SarCase:
    """A request for the requester's own personal data is exempt under FOIA s40(1) (EIR reg 5(3))
    and is handled as a subject-access request under the Access to Records Procedure (policy 3);
    the requester is told."""
    require_igo(actor)
    req = get_info_request(request_id)
    require_request_open(req)
    if requester_kind not in Requester.values:
        raise InvalidInput("Select who is asking")
    if req.regime == Regime.FOI:
        ExemptionClaim.objects.create(
            request=req,
            code="FOIA:s40(1)",
            added_by=actor,
            why_applies="The requester asks for their own personal data.",
        )
    sar = open_sar(
        actor,
        requester_name=req.requester_name,
        requester_contact=req.requester_contact,
        requester_kind=requester_kind,
        received_on=req.received_on,
        from_request=req,
    )
    req.outcome = Outcome.TRANSFERRED
    req.closed_on = timezone.localdate()
    req.response_text = transfer_letter(req, sar)
    req.save()
    audit.record(
        actor.pk,
        "ir.request.transferred",
        object_type="info_request",
        object_id=req.pk,
        details={"sar": sar.pk},
    )
    return sar
