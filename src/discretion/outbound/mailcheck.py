"""The finder over the parts of a mail message (outbound/extract.py), for the smart host and the check
API alike: the same Check the compose page makes from its fields (policy 1.1)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from discretion.detect import scan
from discretion.outbound import finder_access
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
    """A council mail server asks whether a message may leave (policy 1.1). Audited, no release: one
    event per person matched (so it shows on "who has looked at this child"); findings about people
    the caller has no relationship to are masked (outbound/finder_access.py)."""
    finder_access.require_may_check(actor)
    check = check_parts(parse_recipients(list(to)), parts)
    if actor.is_supervised:
        raise finder_access.refuse_supervised(actor, check.subject_refs, what="mail check")
    check = dataclasses.replace(check, related=finder_access.related_refs(actor, check.subject_refs))
    finder_access.record_check(
        actor,
        check.subject_refs,
        via="mail_server",
        object_type="mail",
        details={**check.audit_details(), "sender_domain": domain_of(sender) if sender else ""},
    )
    return check
