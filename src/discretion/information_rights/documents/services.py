"""The reviewer's actions on document pages: one function per action (permission, rule, write,
audit). Information governance officers only; anyone else gets the dull answer a missing page
gets, and the refusal is audited (checked outside the write transaction, so it is never rolled
back). Every decision on a box is kept (PageBoxDecision): the redaction log."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from discretion import access
from discretion.audit import services as audit
from discretion.information_rights.documents import boxes as finder
from discretion.information_rights.documents.models import PageBox, PageBoxDecision, PageSource, SarPage
from discretion.information_rights.documents.ocr import Word
from discretion.information_rights.models import Decision, Reason, Requester, SarCase, SarStatus
from discretion.staff.models import Role, Staff

MIN_SIDE = 0.002  # a box narrower or shorter than this (fractions of the page) is a slip


class InvalidInput(ValueError):
    """Bad input; the message says what to enter (the pages and API show it as such)."""


def is_igo(actor: Staff) -> bool:
    """An information governance officer, active, who has acknowledged the current policy (1.2)."""
    return (
        actor.is_active
        and not actor.has_ended()
        and actor.role == Role.IGO
        and not actor.is_supervised
        and access.has_acknowledged_current_policy(actor)
    )


def refuse(actor: Staff, object_type: str, object_id: int, what: str) -> access.NotFound:
    audit.record(actor.pk, "ir.sar.refused", object_type=object_type, object_id=object_id)
    return access.NotFound(f"No such {what}.")


def sar_for(actor: Staff, sar_id: int) -> SarCase:
    """The case for an IGO; anyone else, or a missing case: the same dull answer, audited."""
    sar = SarCase.objects.filter(pk=sar_id).first() if is_igo(actor) else None
    if sar is None:
        raise refuse(actor, "sar", sar_id, "subject-access case")
    return sar


def page_for_action(actor: Staff, page_id: int) -> SarPage:
    page = (
        SarPage.objects.select_related("document", "sar").filter(pk=page_id).first()
        if is_igo(actor)
        else None
    )
    if page is None:
        raise refuse(actor, "sar_page", page_id, "page")
    return page


def box_for_action(actor: Staff, box_id: int) -> PageBox:
    box = (
        PageBox.objects.select_related("page__document", "sar").filter(pk=box_id).first()
        if is_igo(actor)
        else None
    )
    if box is None:
        raise refuse(actor, "sar_box", box_id, "box")
    return box


def _open(sar: SarCase) -> None:
    if sar.status == SarStatus.RELEASED:
        raise InvalidInput("The bundle has been released")


def _geometry(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    values = (x0, y0, x1, y1)
    if any(v != v or v < 0 or v > 1 for v in values):  # v != v: not a number
        raise InvalidInput("Enter a box inside the page: each edge between 0 and 100 per cent")
    if x1 - x0 < MIN_SIDE or y1 - y0 < MIN_SIDE:
        raise InvalidInput("Enter a box whose right edge is right of its left, and bottom below its top")
    return values


def _reason(sar: SarCase, reason: str) -> str:
    if reason not in Reason.values:
        raise InvalidInput("Select the reason for the redaction")
    if reason == Reason.SUBJECT_EXPECTATION and sar.requester_kind != Requester.PARENT:
        raise InvalidInput(
            "The child's expectations exemption applies only when a parent asks for a child's records"
        )
    return reason


def _log(box: PageBox, actor: Staff, action: str, note: str = "") -> None:
    PageBoxDecision.objects.create(
        box=box,
        action=action,
        decision=box.decision,
        geometry=[box.x0, box.y0, box.x1, box.y1],
        note=(note or "").strip()[:300],
        decided_by=actor,
    )


def _audit(actor: Staff, sar: SarCase, action: str, **details: object) -> None:
    audit.record(
        actor.pk, action, object_type="sar", object_id=sar.pk, person_id=sar.subject_id, details=details
    )


def decide_box(actor: Staff, box_id: int, *, decision: str, note: str = "") -> PageBox:
    """Accept or reject a box."""
    box_for_action(actor, box_id)
    with transaction.atomic():
        box = PageBox.objects.select_for_update().select_related("sar").get(pk=box_id)
        _open(box.sar)
        if decision not in (Decision.ACCEPTED, Decision.REJECTED):
            raise InvalidInput("Select accept or reject")
        box.decision = decision
        box.save(update_fields=["decision"])
        _log(box, actor, "decide", note)
        _audit(actor, box.sar, "ir.sar.box_decided", box=box.pk, page=box.page_id, decision=decision)
    return box


def resize_box(
    actor: Staff, box_id: int, *, x0: float, y0: float, x1: float, y1: float, note: str = ""
) -> PageBox:
    """Move or resize a box; a resized box is accepted (the reviewer has drawn it)."""
    box_for_action(actor, box_id)
    with transaction.atomic():
        box = PageBox.objects.select_for_update().select_related("sar").get(pk=box_id)
        _open(box.sar)
        box.x0, box.y0, box.x1, box.y1 = _geometry(x0, y0, x1, y1)
        box.decision = Decision.ACCEPTED
        box.save(update_fields=["x0", "y0", "x1", "y1", "decision"])
        _log(box, actor, "resize", note)
        _audit(actor, box.sar, "ir.sar.box_resized", box=box.pk, page=box.page_id)
    return box


def _words(page: SarPage) -> list[Word]:
    return [Word(w[0], w[1], w[2], w[3], str(w[4]), int(w[5])) for w in page.words]


def _covered_text(page: SarPage, box: tuple[float, float, float, float]) -> str:
    x0, y0, x1, y1 = box
    return " ".join(
        w.text for w in _words(page) if x0 <= (w.x0 + w.x1) / 2 <= x1 and y0 <= (w.y0 + w.y1) / 2 <= y1
    )


def draw_box(
    actor: Staff, page_id: int, *, x0: float, y0: float, x1: float, y1: float, reason: str, note: str = ""
) -> PageBox:
    """The reviewer draws a box (accepted)."""
    page_for_action(actor, page_id)
    with transaction.atomic():
        page = SarPage.objects.select_related("sar").get(pk=page_id)
        _open(page.sar)
        geometry = _geometry(x0, y0, x1, y1)
        text = _covered_text(page, geometry)
        box = PageBox.objects.create(
            sar=page.sar,
            page=page,
            x0=geometry[0],
            y0=geometry[1],
            x1=geometry[2],
            y1=geometry[3],
            text=text[:500],
            match_key=finder.fold(text)[:200],
            reason=_reason(page.sar, reason),
            proposed_by_system=False,
            decision=Decision.ACCEPTED,
        )
        _log(box, actor, "draw", note)
        _audit(actor, page.sar, "ir.sar.box_drawn", box=box.pk, page=page.pk, reason=reason)
    return box


def box_words(
    actor: Staff, page_id: int, *, word_indexes: Iterable[int], reason: str, note: str = ""
) -> list[PageBox]:
    """Without JavaScript: the reviewer picks words from the page's list; a box per line."""
    page_for_action(actor, page_id)
    with transaction.atomic():
        page = SarPage.objects.select_related("sar").get(pk=page_id)
        _open(page.sar)
        words = _words(page)
        chosen = sorted(set(word_indexes))
        if not chosen or any(i < 0 or i >= len(words) for i in chosen):
            raise InvalidInput("Select the words to redact")
        reason = _reason(page.sar, reason)
        made = []
        for p in finder.box_words(words, chosen, reason, ""):
            box = PageBox.objects.create(
                sar=page.sar,
                page=page,
                x0=p.x0,
                y0=p.y0,
                x1=p.x1,
                y1=p.y1,
                text=p.text[:500],
                match_key=finder.fold(p.text)[:200],
                reason=reason,
                proposed_by_system=False,
                decision=Decision.ACCEPTED,
            )
            _log(box, actor, "words", note)
            made.append(box)
        _audit(actor, page.sar, "ir.sar.box_drawn", boxes=[b.pk for b in made], page=page.pk, reason=reason)
    return made


def _apply_on_page(
    actor: Staff, page: SarPage, phrase: str, decision: str, reason: str, *, action: str
) -> int:
    """Give `decision` to every occurrence of `phrase` on the page: boxes already there are
    decided; an occurrence no box covers gets a new one (when withholding)."""
    words = _words(page)
    changed = 0
    existing = list(page.boxes.all())
    for run in finder.find_phrase(words, phrase, fuzzy=page.source == PageSource.OCR):
        for p in finder.box_words(words, run, reason, finder.fold(phrase)):
            cx, cy = (p.x0 + p.x1) / 2, (p.y0 + p.y1) / 2
            hit = [
                b for b in existing if b.x0 <= cx <= b.x1 and b.y0 <= cy <= b.y1 and b.text != "(whole page)"
            ]
            for box in hit:
                if box.decision != decision:
                    box.decision = decision
                    box.save(update_fields=["decision"])
                    _log(box, actor, action)
                    changed += 1
            if not hit and decision == Decision.ACCEPTED:
                box = PageBox.objects.create(
                    sar_id=page.sar_id,
                    page=page,
                    x0=p.x0,
                    y0=p.y0,
                    x1=p.x1,
                    y1=p.y1,
                    text=p.text[:500],
                    match_key=p.match_key[:200],
                    reason=reason,
                    proposed_by_system=False,
                    decision=decision,
                )
                _log(box, actor, action)
                existing.append(box)
                changed += 1
    return changed


def apply_to_all(actor: Staff, box_id: int, *, decision: str) -> int:
    """One decision for every occurrence of the box's name (or words) in the whole file: every page
    is searched, misread letters allowed on OCR pages. Returns how many boxes changed or were added."""
    box_for_action(actor, box_id)
    with transaction.atomic():
        box = PageBox.objects.select_for_update().select_related("sar").get(pk=box_id)
        _open(box.sar)
        if decision not in (Decision.ACCEPTED, Decision.REJECTED):
            raise InvalidInput("Select accept or reject")
        phrase = box.text if box.text != "(whole page)" else ""
        if not finder.fold(phrase):
            raise InvalidInput("This box covers no words to look for: decide it on its own")
        if box.decision != decision:
            box.decision = decision
            box.save(update_fields=["decision"])
            _log(box, actor, "apply_to_all")
        changed = sum(
            _apply_on_page(actor, page, phrase, decision, box.reason, action="apply_to_all")
            for page in SarPage.objects.filter(sar=box.sar).prefetch_related("boxes")
        )
        _audit(actor, box.sar, "ir.sar.boxes_applied", box=box.pk, decision=decision, changed=changed)
    return changed


def decide_duplicates(actor: Staff, page_id: int) -> int:
    """Decide once: every duplicate of this page takes its boxes and their decisions, and is marked
    checked. Returns how many duplicate pages were decided."""
    page_for_action(actor, page_id)
    with transaction.atomic():
        page = SarPage.objects.select_related("sar").get(pk=page_id)
        _open(page.sar)
        copies = list(SarPage.objects.filter(duplicate_of=page).prefetch_related("boxes"))
        if not copies:
            raise InvalidInput("This page has no duplicates")
        originals = list(page.boxes.all())
        for copy in copies:
            _copy_decisions(actor, originals, copy)
        SarPage.objects.filter(pk__in=[c.pk for c in copies]).update(
            checked_by=actor, checked_at=timezone.now()
        )
        _audit(actor, page.sar, "ir.sar.duplicates_decided", page=page.pk, duplicates=[c.pk for c in copies])
    return len(copies)


def _centre(box: PageBox) -> tuple[float, float]:
    return (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2


def _copy_decisions(actor: Staff, originals: list[PageBox], copy: SarPage) -> None:
    """Each box on the copy takes the decision of the original's box with the same words nearest
    to it; an original box with no counterpart (one drawn by hand) is drawn on the copy too."""
    unmatched = list(originals)
    for twin in sorted(copy.boxes.all(), key=lambda b: (b.y0, b.x0)):
        same = [b for b in unmatched if finder.fold(b.text) == finder.fold(twin.text)]
        if not same:
            continue
        tx, ty = _centre(twin)
        nearest = min(same, key=lambda b: (_centre(b)[0] - tx) ** 2 + (_centre(b)[1] - ty) ** 2)
        unmatched.remove(nearest)
        if twin.decision != nearest.decision:
            twin.decision = nearest.decision
            twin.save(update_fields=["decision"])
            _log(twin, actor, "duplicate")
    for box in unmatched:
        if box.decision == Decision.REJECTED:
            continue
        made = PageBox.objects.create(
            sar_id=copy.sar_id,
            page=copy,
            x0=box.x0,
            y0=box.y0,
            x1=box.x1,
            y1=box.y1,
            text=box.text,
            match_key=box.match_key,
            reason=box.reason,
            proposed_by_system=False,
            decision=box.decision,
        )
        _log(made, actor, "duplicate")


def check_page(actor: Staff, page_id: int) -> SarPage:
    """A person has read the page (a page OCR read poorly goes to a person first)."""
    page_for_action(actor, page_id)
    with transaction.atomic():
        page = SarPage.objects.select_for_update().select_related("sar").get(pk=page_id)
        _open(page.sar)
        page.checked_by, page.checked_at = actor, timezone.now()
        page.save(update_fields=["checked_by", "checked_at"])
        _audit(actor, page.sar, "ir.sar.page_checked", page=page.pk)
    return page
