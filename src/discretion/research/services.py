"""Research, audit and monitoring requests (policy 1.4): submit, decide, extract.

A request is a formal submission; research governance approves or refuses it with reasons.
Extracts are anonymised by default (research.anonymise), pseudonymised only where that was
approved, and every extract is a disclosure through `disclosures.services.disclose`.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from discretion import access
from discretion.access import NotFound, NotPermitted
from discretion.audit import services as audit
from discretion.disclosures.models import Channel
from discretion.disclosures.services import Recipient, Release, disclose, sha256_hex
from discretion.research import anonymise
from discretion.research.models import Extract, RequestStatus, ResearchRequest
from discretion.staff.models import Role, Staff


class InvalidInput(ValueError):
    """Input a user can correct; the message says how."""


class ExtractRefused(Exception):
    """The table failed the k-anonymity check; nothing was released."""

    def __init__(self, report: anonymise.Report, diagnosis: anonymise.Diagnosis | None = None) -> None:
        super().__init__(f"The extract cannot be released: {report.reason}.")
        self.report = report
        self.diagnosis = diagnosis or anonymise.Diagnosis((), ())


def deciders_for(req: ResearchRequest) -> list[Staff]:
    """Who may decide a submission: research governance, never the person who submitted it."""
    from discretion.staff.models import Staff

    return [
        s
        for s in Staff.objects.filter(role=Role.RESEARCH, is_active=True).order_by("last_name", "first_name")
        if is_research_governance(s) and s.pk != req.submitted_by_id
    ]


def is_research_governance(actor: Staff) -> bool:
    return (
        actor.role == Role.RESEARCH and not actor.is_supervised and actor.is_active and not actor.has_ended()
    )


def _require_staff(actor: Staff) -> None:
    if not actor.is_active or actor.has_ended():
        raise access.refusal(actor, "research", "Your account is not active.")
    if actor.is_supervised:
        raise access.refusal(
            actor, "research.submit", "Volunteers and students cannot submit research requests."
        )


def default_k() -> int:
    return int(getattr(settings, "RESEARCH_K", 5))


def max_suppressed() -> float:
    return float(getattr(settings, "RESEARCH_MAX_SUPPRESSED", 0.1))


def pseudonym_key(request_id: int) -> bytes:
    """The HMAC key for one request's pseudonyms, derived from the council's secret (settings or
    the environment, never the database): stable across that study's extracts, different for every
    other study, so two studies' extracts cannot be linked by pseudonym. With no secret configured
    there is nothing keeping the pseudonyms from being reversed, so none are made."""
    secret = getattr(settings, "RESEARCH_PSEUDONYM_KEY", None) or os.environ.get("DISCRETION_RESEARCH_KEY")
    if not secret:
        raise InvalidInput(
            "Pseudonymised extracts need the council's research key: set DISCRETION_RESEARCH_KEY"
        )
    return hmac.new(str(secret).encode(), f"research-request:{request_id}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class Submission:
    title: str
    purpose: str
    lawful_basis: str
    fields: Sequence[str]
    retention: str
    audience: str
    requester_name: str
    is_external: bool = False
    organisation: str = ""
    requester_email: str = ""
    identity_checked: bool = False
    identity_check: str = ""
    entitlement_checked: bool = False
    entitlement_check: str = ""
    wants_pseudonyms: bool = False


def check_submission(s: Submission) -> dict[str, str]:
    """Errors by field ("Enter…"/"Select…"); empty when the submission is complete."""
    errors: dict[str, str] = {}
    for name, message in (
        ("title", "Enter a title"),
        ("purpose", "Enter the purpose of the research"),
        ("lawful_basis", "Enter the lawful basis"),
        ("retention", "Enter how long the data will be kept"),
        ("audience", "Enter who will see the data"),
        ("requester_name", "Enter the name of the person asking"),
    ):
        if not str(getattr(s, name)).strip():
            errors[name] = message
    unknown = [f for f in s.fields if f not in anonymise.FIELDS]
    if not s.fields or unknown:
        errors["fields"] = "Select the data wanted"
    if s.is_external:
        # policy 1.4: outside bodies' identity and entitlement are checked; the request is in writing.
        if not s.organisation.strip():
            errors["organisation"] = "Enter the organisation asking"
        if not (s.identity_checked and s.identity_check.strip()):
            errors["identity_check"] = "Enter how the requester's identity was checked"
        if not (s.entitlement_checked and s.entitlement_check.strip()):
            errors["entitlement_check"] = "Enter what entitles the organisation to the data"
    return errors


@transaction.atomic
def submit_request(actor: Staff, submission: Submission) -> ResearchRequest:
    """Any member of staff submits a research, audit or monitoring request (their own, or an
    outside body's written request with the identity and entitlement checks they made)."""
    _require_staff(actor)
    errors = check_submission(submission)
    if errors:
        raise InvalidInput("; ".join(errors.values()))
    s = submission
    req = ResearchRequest.objects.create(
        title=s.title.strip()[:200],
        purpose=s.purpose.strip(),
        lawful_basis=s.lawful_basis.strip(),
        fields=list(dict.fromkeys(s.fields)),
        retention=s.retention.strip()[:200],
        audience=s.audience.strip(),
        is_external=s.is_external,
        organisation=s.organisation.strip()[:200],
        requester_name=s.requester_name.strip()[:200],
        requester_email=s.requester_email.strip()[:254],
        identity_checked=s.identity_checked,
        identity_check=s.identity_check.strip(),
        entitlement_checked=s.entitlement_checked,
        entitlement_check=s.entitlement_check.strip(),
        wants_pseudonyms=s.wants_pseudonyms,
        submitted_by=actor,
        k=default_k(),
    )
    audit.record(
        actor.pk,
        "research.submitted",
        object_type="research_request",
        object_id=req.pk,
        details={"external": s.is_external, "fields": req.fields, "pseudonyms": s.wants_pseudonyms},
    )
    return req


def requests_for(actor: Staff) -> QuerySet[ResearchRequest]:
    """Research governance and information governance see every request; others their own."""
    qs = ResearchRequest.objects.select_related("submitted_by", "decided_by")
    if is_research_governance(actor) or (actor.role == Role.IGO and not actor.is_supervised):
        return qs
    return qs.filter(submitted_by=actor)


def get_request_for(actor: Staff, request_id: int) -> ResearchRequest:
    """A research request for its submitter, research governance or information governance; anyone
    else gets the answer a missing one gets, and the refusal is audited."""
    req = requests_for(actor).filter(pk=request_id).first()
    if req is None:
        if ResearchRequest.objects.filter(pk=request_id).exists():
            access.refusal(actor, "research.request", "No such research request.", object_id=request_id)
        raise NotFound("No such research request.")
    return req


@transaction.atomic
def decide_request(
    actor: Staff,
    request_id: int,
    *,
    approve: bool,
    reasons: str,
    approve_pseudonyms: bool = False,
    k: int | None = None,
) -> ResearchRequest:
    """Research governance approves or refuses a request with reasons (policy 1.4). Pseudonymised
    extracts need their own recorded approval; nobody decides their own submission."""
    if not is_research_governance(actor):
        raise access.refusal(
            actor, "research.decide", "Only research governance can decide research requests."
        )
    req = ResearchRequest.objects.select_for_update().filter(pk=request_id).first()
    if req is None:
        raise NotFound("No such research request.")
    if req.submitted_by_id == actor.pk:
        raise access.refusal(actor, "research.decide", "You cannot decide a request you submitted.")
    if req.status != RequestStatus.SUBMITTED:
        raise InvalidInput("This request has already been decided")
    if not reasons.strip():
        raise InvalidInput("Enter the reasons for your decision")
    if approve_pseudonyms and not (approve and req.wants_pseudonyms):
        raise InvalidInput("Pseudonyms can only be approved on an approved request that asked for them")
    if k is not None and not 2 <= k <= 100:
        raise InvalidInput("Enter a k between 2 and 100")
    if approve and req.is_external and not (req.identity_checked and req.entitlement_checked):
        raise InvalidInput("An outside body's identity and entitlement must be checked before approval")
    req.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_reasons = reasons.strip()
    req.pseudonyms_approved = approve_pseudonyms
    if k is not None:
        req.k = k
    req.save()
    audit.record(
        actor.pk,
        "research.approved" if approve else "research.refused",
        object_type="research_request",
        object_id=req.pk,
        reason=req.decision_reasons,
        details={"pseudonyms": approve_pseudonyms, "k": req.k},
    )
    return req


def _read_source_rows(actor: Staff, req: ResearchRequest) -> list[anonymise.SourceRow]:
    """The approved extract's source rows, read through the one door (access.read_for_research)."""
    return [
        anonymise.SourceRow(
            person_ref=ref,
            date_of_birth=dob,
            gender=gender,
            ethnicity=ethnicity,
            postcode=postcode,
            case_kind=kind,
            opened_on=opened,
            closed_on=closed,
        )
        for _pid, ref, dob, gender, ethnicity, kind, opened, closed, postcode in access.read_for_research(
            actor, req.pk, list(req.fields)
        )
    ]


def _person_ids_for(refs: Sequence[str]) -> list[int]:
    from discretion.records.models import Person

    return list(Person.objects.filter(ref__in=refs).values_list("id", flat=True))


@dataclass(frozen=True)
class ExtractResult:
    extract: Extract
    release: Release
    content: bytes
    report: anonymise.Report


def to_csv(table: anonymise.AnonymisedTable) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table.rows)
    return out.getvalue().encode()


def make_extract(actor: Staff, request_id: int, *, pseudonymised: bool = False) -> ExtractResult:
    """Research governance makes and releases an extract for an approved request.

    Anonymised by default; pseudonymised only when approval for pseudonyms is recorded. If the
    table fails the k-anonymity check nothing is released and `ExtractRefused` carries the report
    (the refusal is audited). Otherwise the extract is registered as a disclosure (secure link).
    """
    if not is_research_governance(actor):
        raise access.refusal(
            actor, "research.extract", "Only research governance can issue research extracts."
        )
    req = ResearchRequest.objects.filter(pk=request_id).select_related("decided_by").first()
    if req is None:
        raise NotFound("No such research request.")
    if req.status != RequestStatus.APPROVED:
        raise InvalidInput("Only approved requests can have an extract")
    if pseudonymised and not req.pseudonyms_approved:
        raise NotPermitted("Pseudonymised extracts need approval recorded for them.")
    from discretion.research.basis import require_basis_for_outside_body

    require_basis_for_outside_body(actor, req, pseudonymised=pseudonymised)
    key = pseudonym_key(req.pk) if pseudonymised else None
    source = _read_source_rows(actor, req)
    table = anonymise.anonymise(
        source,
        req.fields,
        k=req.k,
        on=timezone.localdate(),
        max_suppressed=max_suppressed(),
        pseudonym_key=key,
    )
    if not table.report.passed:
        with transaction.atomic():
            audit.record(
                actor.pk,
                "research.extract_refused",
                object_type="research_request",
                object_id=req.pk,
                details=table.report.as_dict(),
            )
        # Which fields make groups too small, and what would pass (tried against the same check).
        diagnosis = anonymise.diagnose(
            source, req.fields, k=req.k, on=timezone.localdate(), max_suppressed=max_suppressed()
        )
        raise ExtractRefused(table.report, diagnosis)
    content = to_csv(table)
    # Pseudonymised data is still personal data (UK GDPR recital 26): the register names the
    # people in it. An anonymised table is not, so it names none.
    person_ids: list[int] = []
    if pseudonymised:
        kept_pseudonyms = {row["pseudonym"] for row in table.rows}
        assert key is not None
        refs = sorted(
            {r.person_ref for r in source if anonymise.pseudonym(key, r.person_ref) in kept_pseudonyms}
        )
        person_ids = _person_ids_for(refs)
    with transaction.atomic():
        release = disclose(
            actor,
            recipient=Recipient(
                name=req.requester_name,
                organisation=req.organisation or "Internal",
                category="researcher",
                address=req.requester_email,
            ),
            channel=Channel.SECURE_LINK,
            content=content,
            content_name=f"research-{req.pk}.csv",
            source="research",
            source_id=str(req.pk),
            person_ids=person_ids,
            purpose="research",
            legal_basis=req.lawful_basis,
            rules=["1.4"],
            approved_by=req.decided_by,
            summary=f"{'Pseudonymised' if pseudonymised else 'Anonymised'} research extract: "
            f"{table.report.rows_out} rows, k={req.k}",
            message_subject=f"Research extract for request {req.pk}",
        )
        extract = Extract.objects.create(
            request=req,
            made_by=actor,
            pseudonymised=pseudonymised,
            rows=table.report.rows_out,
            report=table.report.as_dict(),
            sha256=sha256_hex(content),
            disclosure=release.disclosure,
        )
        audit.record(
            actor.pk,
            "research.extract_released",
            object_type="research_request",
            object_id=req.pk,
            details={
                "extract": extract.pk,
                "disclosure": release.disclosure.pk,
                "rows": extract.rows,
                "pseudonymised": pseudonymised,
            },
        )
    return ExtractResult(extract, release, content, table.report)
