"""Who may ask the personal-data finder about a text, what they are told, and the audit of it
(red-team review, issue 11, probes 1 and 2).

The finder knows every person on the council's records, so a check ("is there personal data in
this message?") also answers "is this person known to Children's Services?". Therefore:
- every check that matches known people is audited naming them (one event per person, so it shows
  on "who has looked at this child"), by the compose page, the check API and `discretion scan`;
- volunteers and work-experience students cannot run a check (refused, audited, and their
  responsible member of staff alerted, as for a send: policy 1.2);
- a finding about someone the caller has no relationship to (no case they may open; information
  governance has one to everyone, for audit) says only "personal data of someone on the council's
  records": never which record, nor whether a child. The verdict is unchanged: the message is still
  stopped as personal data.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from discretion import access
from discretion.audit import services as audit
from discretion.staff.models import Staff


def related_refs(actor: Staff, refs: Collection[str]) -> frozenset[str]:
    """The references among `refs` of people the actor has a relationship to: a case of theirs the
    actor may open now (need to know), or everyone for information governance."""
    from discretion.records.models import Person

    if not refs:
        return frozenset()
    cases = access.accessible_case_ids(actor)
    if cases is None:
        return frozenset(refs)
    return frozenset(
        Person.objects.filter(ref__in=list(refs), case_memberships__case_id__in=cases).values_list(
            "ref", flat=True
        )
    )


def person_ids(refs: Sequence[str]) -> list[int]:
    # Ids only (for the audit trail), never displayed: not a read of the records.
    return access.person_ids_for_refs(refs)


def refuse_supervised(actor: Staff, refs: Sequence[str], *, what: str) -> access.NotPermitted:
    """A volunteer or student asked for a check: refused (the dull refusal a send gets), audited
    naming whoever the text matched, their responsible member of staff alerted (policy 1.2)."""
    from discretion.disclosures.services import refuse_supervised_release

    refused = refuse_supervised_release(actor, person_ids(refs), what=what)
    assert isinstance(refused, access.NotPermitted)
    return refused


def require_may_check(actor: Staff) -> None:
    """Only a current member of staff who is not under supervision asks the finder anything."""
    if not actor.is_active or actor.has_ended():
        raise access.refusal(actor, "outbound.check", "Your account is not active.")


def scanner(username: str | None) -> Staff:
    """Who runs `discretion scan` against the council's records (`--as USERNAME`): an existing,
    current member of staff who has acknowledged the current policy and is not under supervision.
    Raises NotPermitted (audited) or LookupError with a one-line message."""
    if not username:
        raise LookupError(
            "give --as USERNAME: a scan against the council's records is audited as the person asking"
        )
    actor = Staff.objects.filter(username=username).first()
    if actor is None:
        raise LookupError(f"unknown user {username!r}")
    require_may_check(actor)
    if not access.has_acknowledged_current_policy(actor):
        raise access.refusal(
            actor, "outbound.check", "Read and acknowledge the current Confidentiality Policy first."
        )
    if actor.is_supervised:
        raise refuse_supervised(actor, [], what="discretion scan")
    return actor


def record_check(
    actor: Staff,
    refs: Sequence[str],
    *,
    via: str,
    object_type: str = "",
    object_id: object = "",
    details: dict[str, object] | None = None,
) -> None:
    """Audit a check that matched known people: one event per person (`outbound.checked`)."""
    ids = person_ids(refs)
    audit.record_for_people(
        actor.pk,
        "outbound.checked",
        ids,
        object_type=object_type,
        object_id=object_id,
        details={**(details or {}), "via": via, "people": ids},
    )
