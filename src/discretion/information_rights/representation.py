"""A subject-access request made for someone else: is the requester entitled to act for them?

ICO right of access (requests made on behalf of others; children's data): the right belongs to the
person, whatever their age. Someone acting for them must show they may: a parent, evidence of parental
responsibility; anyone else, the person's written authority. Such evidence counts once a second
information governance officer has checked it (`discretion.second_check`, the same rule as a request's
documents). Where the child is likely to understand their rights (in Scotland a child of 12 or over is
presumed to, DPA 2018 s208; in England, Wales and Northern Ireland it is a judgement of the child's
maturity, and the council asks for it to be recorded for a child of 12 or over), the officer records
that judgement and why; a child who understands holds the right, so the parent is answered only with
the child's consent (their view recorded) or where answering the parent is recorded as in the child's
best interests, and never against the child's refusal.

Until all of that is in place the records are not compiled, built or released (`require_entitled`,
called by `services.compile_records` and `services.build_bundle`: the page, the API and
`discretion sar compile` all go through them).
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import transaction
from django.utils import timezone

from discretion import access, second_check
from discretion.audit import services as audit
from discretion.errors import InvalidInput
from discretion.information_rights.inputs import required_text
from discretion.information_rights.models import EvidenceKind, Requester, SarCase, SarEvidence, SarStatus
from discretion.information_rights.permissions import lock_sar, require_igo, require_sar_open
from discretion.information_rights.services import sar_nation
from discretion.staff.models import Staff

LIKELY_TO_UNDERSTAND_AGE = 12
ACTING_FOR_OTHERS = {Requester.PARENT, Requester.REPRESENTATIVE}


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _subject_is_child(sar: SarCase) -> bool:
    from discretion.records.models import Person

    row = Person.objects.filter(pk=sar.subject_id or 0).values_list("is_child", "date_of_birth").first()
    if row is None:
        return True
    is_child, born = row
    age = _age(born, timezone.localdate())
    return bool(is_child) and (age is None or age < 18)


def _subject_age(sar: SarCase) -> int | None:
    from discretion.records.models import Person

    born = Person.objects.filter(pk=sar.subject_id or 0).values_list("date_of_birth", flat=True).first()
    return _age(born, timezone.localdate())


def presumed_to_understand(sar: SarCase) -> bool:
    """Scotland: a child of 12 or over is presumed to understand (DPA 2018 s208)."""
    age = _subject_age(sar)
    return sar_nation() == "scotland" and age is not None and age >= LIKELY_TO_UNDERSTAND_AGE


def judgement_needed(sar: SarCase) -> bool:
    """Whether the officer must record why they judge the child does or does not understand: for a
    child of 12 or over (or of unknown age), and whenever the child is judged to understand."""
    age = _subject_age(sar)
    return age is None or age >= LIKELY_TO_UNDERSTAND_AGE or bool(sar.child_understands)


def child_understands(sar: SarCase) -> bool:
    if sar.child_understands is None:
        return presumed_to_understand(sar)
    return sar.child_understands


def unmet(sar: SarCase) -> list[str]:
    """What must still be done before a request made for someone else is answered (empty: nothing)."""
    if sar.requester_kind not in ACTING_FOR_OTHERS:
        return []
    missing: list[str] = []
    if sar.id_verified_on is None:
        missing.append("verify the requester's identity")
    is_child = _subject_is_child(sar)
    parent = sar.requester_kind == Requester.PARENT and is_child
    accepted = {
        code
        for code in SarEvidence.objects.filter(sar=sar, accepted=True, checked_at__isnull=False).values_list(
            "code", flat=True
        )
    }
    wanted = (
        {EvidenceKind.PARENTAL_RESPONSIBILITY, EvidenceKind.WRITTEN_AUTHORITY}
        if parent
        else {EvidenceKind.WRITTEN_AUTHORITY}
    )
    if not accepted & wanted:
        missing.append(
            "add evidence of the requester's parental responsibility (or the child's written authority) "
            "and have a second information governance officer check it"
            if parent
            else "add the person's written authority for the requester and have a second information "
            "governance officer check it"
        )
    if parent:
        if judgement_needed(sar) and (sar.child_understands is None or not sar.competence_reason.strip()):
            if sar.child_understands is None and not presumed_to_understand(sar):
                missing.append("record whether the child understands the request, and why you judge so")
            elif not sar.competence_reason.strip():
                missing.append("record why you judge whether the child understands the request")
        if child_understands(sar):
            if sar.child_consents is False:
                missing.append(
                    "the child understands the request and does not consent: respond to the child, not the parent"
                )
            elif (
                not (sar.child_consents and sar.child_view.strip()) and not sar.best_interests_reason.strip()
            ):
                missing.append(
                    "record the child's view (their consent to the parent seeing their records), or why "
                    "answering the parent is in the child's best interests"
                )
    return missing


def require_entitled(sar: SarCase) -> None:
    missing = unmet(sar)
    if missing:
        raise InvalidInput(
            "The request is made for someone else, so first: " + "; ".join(missing) + " (ICO right of access)"
        )


@transaction.atomic
def add_evidence(
    actor: Staff,
    sar_id: int,
    *,
    code: str,
    description: str,
    upload: IO[bytes] | None = None,
    name: str = "",
    content_type: str = "",
) -> SarEvidence:
    """The officer records the evidence that came with a request made for someone else. It is not
    yet a fact: it waits for a second officer's check (`check_evidence`)."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    require_sar_open(sar)
    if code not in EvidenceKind.values:
        raise InvalidInput("Select what the evidence is")
    evidence = SarEvidence(
        sar=sar,
        code=code,
        description=required_text(
            description, "Enter what was received (issuer, date, reference)", max_length=2000
        ),
        uploaded_by=actor,
    )
    second_check.store(evidence, upload, name=name, content_type=content_type, stem=f"sar-{sar.pk}")
    evidence.save()
    audit.record(
        actor.pk,
        "ir.sar.evidence_added",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"evidence": evidence.pk, "code": code, "sha256": evidence.sha256},
    )
    return evidence


@transaction.atomic
def check_evidence(actor: Staff, sar_id: int, evidence_id: int, *, accept: bool, note: str) -> SarEvidence:
    """A second information governance officer, who is not handling the request, checks the evidence."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    require_sar_open(sar)
    evidence = SarEvidence.objects.filter(pk=evidence_id, sar=sar).first()
    if evidence is None:
        raise access.NotFound("No such evidence.")
    checked: SarEvidence = second_check.check(
        actor,
        evidence,
        accept=accept,
        note=note,
        involved={sar.handler_id, sar.created_by_id, sar.prepared_by_id},
        action="ir.sar.evidence_checked",
        refusal_action="ir.sar.evidence_check",
        object_type="sar",
        object_id=sar.pk,
        invalid=InvalidInput,
        person_ids=[sar.subject_id] if sar.subject_id else [],
    )
    return checked


@transaction.atomic
def record_child(
    actor: Staff,
    sar_id: int,
    *,
    understands: bool,
    reason: str,
    consents: bool | None = None,
    child_view: str = "",
    best_interests: str = "",
) -> SarCase:
    """For a parent's request: the officer's judgement of whether the child understands the request
    and why; if so, the child's view (do they consent?) or why answering the parent is in the child's
    best interests."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    require_sar_open(sar)
    if sar.requester_kind != Requester.PARENT:
        raise InvalidInput("The child's view is recorded for a parent's request only")
    if sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    sar.child_understands = understands
    sar.competence_reason = required_text(
        reason, "Enter why you judge so (the child's age and maturity)", max_length=2000
    )
    if understands:
        sar.child_consents = consents
        sar.child_view = child_view.strip()[:2000]
        if consents and not sar.child_view:
            raise InvalidInput("Enter the child's view: how and when they gave their consent")
        sar.best_interests_reason = best_interests.strip()[:2000]
        if consents is False and sar.best_interests_reason:
            raise InvalidInput(
                "The child does not consent: their refusal is not overridden by best interests; respond to the child"
            )
    else:
        sar.child_consents, sar.child_view, sar.best_interests_reason = None, "", ""
    sar.save(
        update_fields=[
            "child_understands",
            "child_consents",
            "competence_reason",
            "child_view",
            "best_interests_reason",
        ]
    )
    audit.record(
        actor.pk,
        "ir.sar.child_recorded",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        reason=sar.competence_reason,
        details={
            "understands": understands,
            "consents": sar.child_consents,
            "best_interests": bool(sar.best_interests_reason),
        },
    )
    return sar
