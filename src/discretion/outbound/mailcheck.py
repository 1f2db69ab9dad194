"""The finder over the parts of a mail message (outbound/extract.py), for the smart host and the check
API alike: the same Check the compose page makes from its fields (policy 1.1)."""

from __future__ import annotations

from collections.abc import Sequence

from discretion.audit import services as audit
from discretion.detect import scan
from discretion.outbound.extract import Part
from discretion.outbound.models import RecipientKey
from discretion.outbound.services import Check, PartFinding, domain_of, parse_recipients
from discretion.outbound.subjects import get_index
from discretion.staff.models import Staff


def check_parts(recipients: Sequence[str], parts: Sequence[Part]) -> Check:
    index = get_index()
    findings: list[PartFinding] = []
    unscanned: list[str] = []
    for part in parts:
        if part.text is None:
            unscanned.append(part.name)
        elif part.text:
            findings.extend(PartFinding(part.where, f) for f in scan(part.text, index).findings)
    recipients = tuple(recipients)
    keyed = (
        frozenset(
            RecipientKey.objects.filter(address__in=recipients, revoked=False).values_list(
                "address", flat=True
            )
        )
        if recipients
        else frozenset()
    )
    return Check(recipients, tuple(findings), tuple(unscanned), keyed)


def check_for_mail_server(actor: Staff, *, sender: str, to: Sequence[str], parts: Sequence[Part]) -> Check:
    """A council mail server asks whether a message may leave (policy 1.1). Audited, no release."""
    from discretion.outbound.services import _person_ids

    check = check_parts(parse_recipients(list(to)), parts)
    audit.record(
        actor.pk,
        "outbound.checked",
        object_type="mail",
        object_id="",
        details={
            **check.audit_details(),
            "sender_domain": domain_of(sender) if sender else "",
            "people": _person_ids(check.subject_refs),
        },
    )
    return check
