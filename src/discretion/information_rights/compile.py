"""Compiling a subject-access bundle: everything held about the subject, read through `access`
as the SAR handler (information governance basis, each read audited), and proposed redactions.

ICO right of access: third-party information (DPA 2018 Sch 2 para 16), confidential sources
(policy 3) and other people's special-category data are withheld; staff acting in their
professional role are not redacted by default (setting `SAR_REDACT_STAFF_NAMES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from discretion import access, detect
from discretion.audit import services as audit
from discretion.disclosures.models import Disclosure
from discretion.disclosures.services import recipients_of
from discretion.information_rights.models import Decision, Reason, Redaction, SarCase, SarStatus
from discretion.records.models import Attachment, Case, CaseMember, Entry, Person, Relationship
from discretion.staff.models import Staff

THIRD_PARTY_LABELS = frozenset(
    {
        detect.Label.PERSON,
        detect.Label.DOB,
        detect.Label.ADDRESS,
        detect.Label.POSTCODE,
        detect.Label.NHS_NUMBER,
        detect.Label.PHONE,
        detect.Label.EMAIL,
        detect.Label.NI_NUMBER,
    }
)


@dataclass
class CompiledCase:
    case: Case
    entries: list[Entry]
    # The subject's own case (in full), or another child's case, of which only the entries about the
    # subject are in the bundle, everything else in them proposed for redaction.
    own: bool = True


@dataclass
class CompiledSar:
    person: Person
    aliases: list[str]
    cases: list[CompiledCase]
    attachments: dict[int, list[Attachment]]
    recipients: list[Disclosure]
    # entry id -> [(start, end, reason)] to withhold (accepted or still proposed: withhold by default)
    withheld: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)

    @property
    def entry_ids(self) -> list[int]:
        return [e.pk for c in self.cases for e in c.entries]


def _subject_for(person: Person) -> detect.Subject:
    aliases = tuple(str(n) for n in person.names.exclude(kind="legal"))
    return detect.Subject(
        ref=person.ref,
        family_name=person.family_name,
        given_names=person.given_names,
        aliases=aliases,
        dob=person.date_of_birth,
        nhs_number=person.nhs_number or None,
    )


def _index(
    actor: Staff, subject: Person, case_ids: list[int], requester_name: str = ""
) -> tuple[detect.SubjectIndex, set[str]]:
    """The other people around the subject (case members, relationships), each read through access.
    The requester (a parent asking for their child) is not a third party to themselves: what is about
    them is theirs to see (ICO right of access: information the requester already has or is about
    them), so a person around the subject with the requester's exact name is not redacted."""
    other_ids = set(CaseMember.objects.filter(case_id__in=case_ids).values_list("person_id", flat=True))
    other_ids |= set(Relationship.objects.filter(person=subject).values_list("relative_id", flat=True))
    other_ids |= set(Relationship.objects.filter(relative=subject).values_list("person_id", flat=True))
    other_ids.discard(subject.pk)
    others = [access.get_person_for(actor, pid).person for pid in sorted(other_ids)]
    redact_staff = bool(getattr(settings, "SAR_REDACT_STAFF_NAMES", False))
    staff_rows = list(
        Staff.objects.filter(is_active=True)
        .exclude(last_name="")
        .values_list("first_name", "last_name", "email")
    )
    staff = (
        []
        if redact_staff
        else [
            detect.StaffMember(family_name=last, given_names=first, email=email or None)
            for first, last, email in staff_rows
        ]
    )
    # The subject is in the index too, so their own name is attributed to them (never redacted),
    # not mistaken for a relative sharing a family name.
    subjects = [_subject_for(subject)] + [_subject_for(p) for p in others]
    asker = detect.normalise(requester_name).text
    third_refs = {p.ref for p in others if not asker.strip() or detect.normalise(p.full_name).text != asker}
    if redact_staff:
        subjects += [
            detect.Subject(ref=f"staff-{i}", family_name=last, given_names=first)
            for i, (first, last, _) in enumerate(staff_rows)
        ]
        third_refs |= {f"staff-{i}" for i in range(len(staff_rows))}
    return detect.SubjectIndex(subjects=subjects, staff=staff), third_refs


def _mentions(entry: Entry, index: detect.SubjectIndex, subject_ref: str) -> list[tuple[int, int]]:
    """Where the entry names the subject (their name, an alias, their date of birth or NHS number)."""
    return [(f.start, f.end) for f in detect.scan(entry.text, index).findings if f.subject_ref == subject_ref]


def _about_someone_else(
    entry: Entry, index: detect.SubjectIndex, subject_ref: str
) -> list[tuple[int, int, str]]:
    """An entry in another child's file that mentions the subject: that child's data, i.e. every
    sentence that does not name the subject, is proposed for redaction, and in the sentences that do,
    what the finder ties to anyone else (the reviewer may release what is about the subject)."""
    from discretion.information_rights.review import sentences

    text = entry.text
    if entry.confidential_source:
        return [(0, len(text), Reason.CONFIDENTIAL_SOURCE.value)]
    if entry.special_category or entry.third_party:
        # The other child's health or other special-category data, or recorded as about others.
        reason = Reason.THIRD_PARTY_SPECIAL if entry.special_category else Reason.THIRD_PARTY
        return [(0, len(text), reason.value)]
    mentions = _mentions(entry, index, subject_ref)
    out = []
    for sentence in sentences(text):
        if not any(a < sentence.end and b > sentence.start for a, b in mentions):
            out.append((sentence.start, sentence.end, Reason.THIRD_PARTY.value))
    return out


def _proposals(entry: Entry, index: detect.SubjectIndex, third_refs: set[str]) -> list[tuple[int, int, str]]:
    text = entry.text
    whole = (0, len(text))
    if entry.confidential_source:
        return [(*whole, Reason.CONFIDENTIAL_SOURCE.value)]  # policy 3: an anonymous referrer
    found = [
        f
        for f in detect.scan(text, index).findings
        if f.subject_ref in third_refs and f.label in THIRD_PARTY_LABELS
    ]
    if entry.special_category and found:
        return [(*whole, Reason.THIRD_PARTY_SPECIAL.value)]
    if entry.third_party:
        # Recorded as about other people: the whole entry is proposed, as the finder knows only the
        # people on record and a third party may not be (the reviewer can release what is not theirs).
        return [(*whole, Reason.THIRD_PARTY.value)]
    if found:
        return [(f.start, f.end, Reason.THIRD_PARTY.value) for f in found]
    return []


def compile_sar(actor: Staff, sar: SarCase, *, propose: bool = True) -> CompiledSar:
    """Everything held about the subject, through access; with `propose`, store new proposals."""
    if sar.subject_id is None:
        raise access.NotFound("No subject recorded.")
    person_view = access.get_person_for(actor, sar.subject_id)
    subject = person_view.person
    # Right of access (UK GDPR Art 15) is to the requester-subject's own personal data: their own case
    # files in full, and from any other child's file (a sibling's, where they are a member) only the
    # entries that are about them, never that child's whole file.
    views = [access.get_case_for(actor, case.pk) for case in person_view.cases]
    own_ids = [v.case.pk for v in views if v.case.subject_id == subject.pk]
    others = [v for v in views if v.case.subject_id != subject.pk]
    index, third_refs = _index(
        actor,
        subject,
        [v.case.pk for v in views],
        sar.requester_name if sar.requester_kind != "self" else "",
    )
    cases = []
    for view in views:
        entries = sorted(view.entries, key=lambda e: (e.occurred_on, e.pk))
        if view.case.pk not in own_ids:
            entries = [e for e in entries if _mentions(e, index, subject.ref)]
            if not entries:
                continue
        cases.append(CompiledCase(view.case, entries, own=view.case.pk in own_ids))
    other_case_ids = {v.case.pk for v in others}
    entry_ids = [e.pk for c in cases for e in c.entries]
    attachments: dict[int, list[Attachment]] = {}
    for att_id in Attachment.objects.filter(entry_id__in=entry_ids).values_list("id", flat=True):
        att = access.open_attachment_for(actor, att_id)
        attachments.setdefault(att.entry_id, []).append(att)
    compiled = CompiledSar(
        person_view.person,
        [str(a) for a in person_view.aliases],
        cases,
        attachments,
        recipients_of(person_view.person.pk),
    )
    existing = {(r.entry_id, r.start, r.end, r.reason): r.decision for r in Redaction.objects.filter(sar=sar)}
    if propose:
        third_refs |= {v.case.subject.ref for v in others}  # the other child is a third party, always
        new = []
        for c in cases:
            for entry in c.entries:
                proposed = (
                    _about_someone_else(entry, index, subject.ref) + _proposals(entry, index, third_refs)
                    if c.case.pk in other_case_ids
                    else _proposals(entry, index, third_refs)
                )
                for start, end, reason in proposed:
                    if (entry.pk, start, end, reason) not in existing:
                        existing[(entry.pk, start, end, reason)] = Decision.PROPOSED
                        new.append(
                            Redaction(
                                sar=sar,
                                entry_id=entry.pk,
                                start=start,
                                end=end,
                                text=entry.text[start:end],
                                reason=reason,
                            )
                        )
        Redaction.objects.bulk_create(new, batch_size=1000)
        sar.entry_ids = entry_ids
        sar.compiled_at = timezone.now()
        sar.status = SarStatus.REVIEW if sar.status != SarStatus.RELEASED else sar.status
        sar.save(update_fields=["entry_ids", "compiled_at", "status"])
    texts = {e.pk: e.text for c in cases for e in c.entries}
    for (entry_id, start, end, reason), decision in existing.items():
        # A span only ever applies to the text it was proposed on.
        if decision != Decision.REJECTED and entry_id in texts and end <= len(texts[entry_id]):
            compiled.withheld.setdefault(entry_id, []).append((start, end, reason))
    audit.record(
        actor.pk,
        "ir.sar.compiled",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={
            "cases": [c.case.pk for c in cases],
            "other_childrens_cases": sorted(c.case.pk for c in cases if not c.own),
            "entries": len(entry_ids),
            "attachments": sum(len(v) for v in attachments.values()),
            "recipients": len(compiled.recipients),
        },
    )
    return compiled


# Grounds the marker must not name: saying "confidential source" or "serious harm" would itself
# reveal what is withheld (an informant exists; a harm judgement was made). The redaction log keeps
# the ground; the reader sees a plain marker and the cover letter's general explanation.
UNNAMED_GROUNDS = frozenset(
    {
        Reason.CONFIDENTIAL_SOURCE.value,
        Reason.SERIOUS_HARM.value,
        Reason.CRIME.value,
        Reason.SUBJECT_EXPECTATION.value,
        Reason.COURT.value,
    }
)


def redacted(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The text with each withheld span REMOVED, replaced by a marker naming the reason where
    naming it gives nothing away. Overlapping spans merge (the first reason names the merged span)."""
    if not spans:
        return text
    merged: list[tuple[int, int, str]] = []
    for start, end, reason in sorted(spans):
        if merged and start <= merged[-1][1]:
            first = merged[-1]
            merged[-1] = (first[0], max(first[1], end), first[2])
        else:
            merged.append((start, end, reason))
    out, pos = [], 0
    for start, end, reason in merged:
        out.append(text[pos:start])
        out.append("[redacted]" if reason in UNNAMED_GROUNDS else f"[redacted: {reason.replace('_', ' ')}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def propose_redactions(actor: Staff, sar: SarCase) -> CompiledSar:
    return compile_sar(actor, sar, propose=True)
