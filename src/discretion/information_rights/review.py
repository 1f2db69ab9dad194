"""The subject-access redaction review as a reviewer works it, and the second pair of eyes.

A reviewer marks what to withhold by selecting it in the entry's text (the page sends where the
selection starts and ends, and the text selected, which is checked against the entry), or without
JavaScript by ticking sentences or choosing a first and last word. A proposal's extent can be
changed by choosing its first and last word. Proposals still open can be accepted all at once.

Before release a second information governance officer signs the bundle off (four eyes: someone
other than the officer who prepared it). What they sign is the review as it stood when it was
prepared — which entries, every redaction's extent and decision, every attachment decision — kept
as a digest; any change after that needs a new sign-off. Every step is audited.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.information_rights import notify
from discretion.information_rights.models import (
    AttachmentReview,
    Decision,
    InfoRequest,
    Reason,
    Redaction,
    RedactionDecision,
    Requester,
    SarCase,
    SarStatus,
)
from discretion.information_rights.services import InvalidInput, is_igo, lock_sar, require_igo
from discretion.staff.models import Role, Staff

WORD = re.compile(r"\S+")
# A sentence ends at . ! or ? (with any closing quotes or brackets) before a space, or at a line end.
SENTENCE = re.compile(r"[^\s].*?(?:[.!?][\"'”’)\]]*(?=\s)|\n|$)", re.DOTALL)
MAX_CHOICES = 400  # words offered in one list; a longer entry is selected by sentence or in the text


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def words(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def sentences(text: str) -> list[Span]:
    spans = []
    for m in SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(Span(start, end, text[start:end]))
    return spans


# --- the review's state and its sign-off --------------------------------------------------


def state_digest(sar: SarCase) -> str:
    """The review as it stands: the entries, each redaction's extent, reason and decision, and the
    latest decision on each attachment. Signing off binds to this."""
    latest: dict[int, bool] = {}
    for attachment_id, include in (
        AttachmentReview.objects.filter(sar=sar).order_by("id").values_list("attachment_id", "include")
    ):
        latest[attachment_id] = include
    state = {
        "entries": sorted(sar.entry_ids),
        "redactions": list(
            Redaction.objects.filter(sar=sar)
            .order_by("id")
            .values_list("id", "entry_id", "start", "end", "reason", "decision")
        ),
        "attachments": sorted(latest.items()),
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def is_signed_off(sar: SarCase) -> bool:
    """Signed off by a second officer, and nothing in the review has changed since."""
    return sar.signed_off_by_id is not None and sar.prepared_state == state_digest(sar)


def signer_name(sar: SarCase) -> str:
    return sar.signed_off_by.display_name if is_signed_off(sar) and sar.signed_off_by else ""


def who_can_sign_off(prepared_by_id: int | None) -> list[Staff]:
    """Information governance officers other than the one who prepared it."""
    officers = Staff.objects.filter(role=Role.IGO, is_active=True, responsible_staff__isnull=True)
    return [s for s in officers.order_by("last_name", "first_name") if s.pk != prepared_by_id and is_igo(s)]


@transaction.atomic
def ask_for_sign_off(actor: Staff, sar_id: int) -> SarCase:
    """The reviewer has finished: the review as it now stands waits for a second officer."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    if sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    if sar.compiled_at is None or sar.status not in (SarStatus.REVIEW, SarStatus.READY):
        raise InvalidInput("Compile the records and review the redactions first")
    sar.prepared_by, sar.prepared_state = actor, state_digest(sar)
    sar.signed_off_by, sar.signed_off_at = None, None
    sar.save(update_fields=["prepared_by", "prepared_state", "signed_off_by", "signed_off_at"])
    audit.record(
        actor.pk, "ir.sar.sign_off_asked", object_type="sar", object_id=sar.pk, person_id=sar.subject_id
    )
    notify.bundle_waits(sar, actor)
    return sar


@transaction.atomic
def sign_off(actor: Staff, sar_id: int) -> SarCase:
    """A second information governance officer signs off the bundle before it is released."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    if sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    if sar.prepared_by_id is None:
        raise InvalidInput("The reviewer has not asked for sign-off yet")
    if sar.prepared_by_id == actor.pk:
        raise access.refusal(
            actor,
            "ir.sar.sign_off",
            "Someone other than you must sign off this bundle: you prepared it",
            object_type="sar",
            object_id=sar.pk,
            person_ids=[sar.subject_id] if sar.subject_id else [],
        )
    if sar.prepared_state != state_digest(sar):
        raise InvalidInput(
            "The review has changed since it was prepared: the reviewer must ask for sign-off again"
        )
    sar.signed_off_by, sar.signed_off_at = actor, timezone.now()
    sar.save(update_fields=["signed_off_by", "signed_off_at"])
    audit.record(
        actor.pk,
        "ir.sar.signed_off",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"prepared_by": sar.prepared_by_id, "state": sar.prepared_state},
    )
    notify.bundle_signed_off(sar, actor)
    return sar


def waiting_for_sign_off(actor: Staff) -> tuple[list[InfoRequest], list[SarCase]]:
    """The FOI and EIR answers and the subject-access bundles another officer prepared that wait for
    `actor`'s sign-off (information governance only; anyone else has none). References and who
    prepared them only, nothing personal, so the list itself is not an audited read."""
    from discretion.information_rights.foi_letters import ANSWERED

    if not is_igo(actor) or actor.is_supervised:
        return [], []
    answers = (
        InfoRequest.objects.filter(
            outcome__in=ANSWERED, answer_signed_off_by__isnull=True, answer_prepared_by__isnull=False
        )
        .exclude(answer_prepared_by=actor)
        .select_related("answer_prepared_by")
        .order_by("due_on", "id")
    )
    bundles = [
        sar
        for sar in SarCase.objects.filter(prepared_by__isnull=False, signed_off_by__isnull=True)
        .exclude(status=SarStatus.RELEASED)
        .exclude(prepared_by=actor)
        .select_related("prepared_by")
        .order_by("due_on", "id")
        if sar.prepared_state == state_digest(sar)
    ]
    return list(answers[:100]), bundles[:100]


def require_signed_off(sar: SarCase) -> None:
    if sar.signed_off_by_id is None:
        raise InvalidInput(
            "A second information governance officer must sign off the bundle before it is released"
        )
    if sar.prepared_state != state_digest(sar):
        raise InvalidInput("The review has changed since it was signed off: ask for sign-off again")


# --- marking what to withhold -------------------------------------------------------------


def _reviewable(actor: Staff, sar_id: int, entry_id: int, reason: str) -> tuple[SarCase, str]:
    """The case and the entry's text (read through access), once the rules allow a redaction."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    if sar.status not in (SarStatus.REVIEW, SarStatus.READY):
        raise InvalidInput("Compile the records before adding redactions")
    if reason not in Reason.values:
        raise InvalidInput("Select the reason for the redaction")
    if reason == Reason.SUBJECT_EXPECTATION and sar.requester_kind != Requester.PARENT:
        # DPA 2018 Sch 3 para 10: only a request made for the child by someone with parental
        # responsibility can be refused on the child's expectations.
        raise InvalidInput(
            "The child's expectations exemption applies only when a parent asks for a child's records"
        )
    if entry_id not in set(sar.entry_ids):
        raise InvalidInput("Select an entry in this bundle")
    entry, _ = access.get_entry_for(actor, entry_id)
    return sar, entry.text


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _located(text: str, start: int, end: int, passage: str) -> tuple[int, int]:
    """Where the selected passage is: at the offsets the page sent, or (a browser may count line
    ends differently) the occurrence nearest to them."""
    if 0 <= start < end <= len(text) and (not passage or text[start:end] == passage):
        return _trim(text, start, end)
    wanted = passage.replace("\r\n", "\n")
    found = [m.start() for m in re.finditer(re.escape(wanted), text)] if wanted.strip() else []
    if not found:
        raise InvalidInput("Select the text to withhold again: it was not found in the entry")
    best = min(found, key=lambda at: abs(at - start))
    return _trim(text, best, best + len(wanted))


def _make(
    actor: Staff,
    sar: SarCase,
    entry_id: int,
    text: str,
    spans: Sequence[tuple[int, int]],
    reason: str,
    note: str,
) -> list[Redaction]:
    made = []
    for start, end in spans:
        if end <= start:
            continue
        red = Redaction.objects.create(
            sar=sar,
            entry_id=entry_id,
            start=start,
            end=end,
            text=text[start:end],
            reason=reason,
            proposed_by_system=False,
            decision=Decision.ACCEPTED,
        )
        RedactionDecision.objects.create(
            redaction=red, decision=Decision.ACCEPTED, note=(note or "").strip()[:300], decided_by=actor
        )
        made.append(red)
    if not made:
        raise InvalidInput("Select the text to withhold")
    sar.status = SarStatus.REVIEW
    sar.save(update_fields=["status"])
    audit.record(
        actor.pk,
        "ir.sar.redaction_added",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"entry": entry_id, "redactions": [r.pk for r in made], "reason": reason},
    )
    return made


@transaction.atomic
def redact_selection(
    actor: Staff,
    sar_id: int,
    *,
    entry_id: int,
    start: int,
    end: int,
    passage: str = "",
    reason: str,
    note: str = "",
) -> list[Redaction]:
    """Withhold the text the reviewer selected in the entry."""
    sar, text = _reviewable(actor, sar_id, entry_id, reason)
    span = _located(text, start, end, passage)
    return _make(actor, sar, entry_id, text, [span], reason, note)


@transaction.atomic
def redact_choices(
    actor: Staff,
    sar_id: int,
    *,
    entry_id: int,
    sentence_numbers: Sequence[int] = (),
    first_word: int | None = None,
    last_word: int | None = None,
    reason: str,
    note: str = "",
) -> list[Redaction]:
    """Without JavaScript: withhold the sentences ticked, and/or the words from a first to a last."""
    sar, text = _reviewable(actor, sar_id, entry_id, reason)
    spans: list[tuple[int, int]] = []
    listed = sentences(text)
    for n in sorted(set(sentence_numbers)):
        if not 0 <= n < len(listed):
            raise InvalidInput("Select sentences from the list")
        spans.append((listed[n].start, listed[n].end))
    if first_word is not None or last_word is not None:
        spans.append(_word_range(text, first_word, last_word))
    if not spans:
        raise InvalidInput("Select the sentences or words to withhold")
    return _make(actor, sar, entry_id, text, spans, reason, note)


def _word_range(text: str, first_word: int | None, last_word: int | None) -> tuple[int, int]:
    listed = words(text)
    if first_word is None or last_word is None:
        raise InvalidInput("Select the first and the last word to withhold")
    if not (0 <= first_word < len(listed) and 0 <= last_word < len(listed)):
        raise InvalidInput("Select words from the list")
    if last_word < first_word:
        raise InvalidInput("The last word to withhold must come after the first")
    return listed[first_word].start, listed[last_word].end


@transaction.atomic
def change_extent(
    actor: Staff,
    sar_id: int,
    redaction_id: int,
    *,
    first_word: int | None,
    last_word: int | None,
    note: str = "",
) -> Redaction:
    """Widen or narrow a redaction to run from one word to another; the redaction is then accepted."""
    require_igo(actor)
    red = (
        Redaction.objects.select_for_update()
        .select_related("sar")
        .filter(pk=redaction_id, sar_id=sar_id)
        .first()
    )
    if red is None:
        raise access.NotFound("No such redaction.")
    if red.sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    entry, _ = access.get_entry_for(actor, red.entry_id)
    start, end = _word_range(entry.text, first_word, last_word)
    before = (red.start, red.end)
    red.start, red.end, red.text, red.decision = start, end, entry.text[start:end], Decision.ACCEPTED
    red.save(update_fields=["start", "end", "text", "decision"])
    RedactionDecision.objects.create(
        redaction=red,
        decision=Decision.ACCEPTED,
        note=("Extent changed. " + (note or "").strip())[:300],
        decided_by=actor,
    )
    audit.record(
        actor.pk,
        "ir.sar.redaction_extent_changed",
        object_type="sar",
        object_id=red.sar_id,
        person_id=red.sar.subject_id,
        details={"redaction": red.pk, "before": list(before), "after": [start, end]},
    )
    return red


@transaction.atomic
def accept_proposed(actor: Staff, sar_id: int, *, entry_id: int | None = None) -> list[Redaction]:
    """Accept every proposal still open (in one entry, or in the whole bundle)."""
    require_igo(actor)
    sar = lock_sar(sar_id)
    if sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")
    open_ = Redaction.objects.select_for_update().filter(sar=sar, decision=Decision.PROPOSED)
    if entry_id is not None:
        open_ = open_.filter(entry_id=entry_id)
    reds = list(open_.order_by("entry_id", "start"))
    if not reds:
        raise InvalidInput("There are no proposed redactions left to accept")
    for red in reds:
        red.decision = Decision.ACCEPTED
        red.save(update_fields=["decision"])
        RedactionDecision.objects.create(
            redaction=red, decision=Decision.ACCEPTED, note="Accepted with the others", decided_by=actor
        )
    audit.record(
        actor.pk,
        "ir.sar.redactions_accepted",
        object_type="sar",
        object_id=sar.pk,
        person_id=sar.subject_id,
        details={"redactions": [r.pk for r in reds], "entry": entry_id},
    )
    return reds
