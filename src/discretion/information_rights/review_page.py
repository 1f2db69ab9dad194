"""The redaction review page: its forms, and each entry's text laid out for selecting what to
withhold (in the text with JavaScript; from lists of sentences and words without it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms

from discretion.information_rights.models import Decision, Reason, Redaction, Requester, SarCase
from discretion.information_rights.review import MAX_CHOICES, Span, sentences, words

MAX_SENTENCES = 2000
EXTENT_WINDOW = 15  # words either side of a redaction offered when changing its extent
# Past this many entries on one review page, the word lists are left out (sentences and selecting
# in the text remain): a page of hundreds of entries would otherwise weigh megabytes.
WORD_LISTS_UP_TO = 60


def _int(widget: forms.Widget | None = None) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=0,
        widget=widget or forms.HiddenInput,
        error_messages={"required": "Select the text to withhold", "invalid": "Select the text to withhold"},
    )


def _reason() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Why it is withheld",
        choices=[("", "Select a reason"), *Reason.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": "Select why it is withheld",
            "invalid_choice": "Select why it is withheld",
        },
    )


def _note() -> forms.CharField:
    return forms.CharField(
        label="Note for the redaction log (optional)",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"max_length": "The note must be 300 characters or fewer"},
    )


def _word(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "")] + [(str(n), str(n)) for n in range(MAX_CHOICES)],
        error_messages={"invalid_choice": "Select words from the list"},
    )


class SelectionForm(forms.Form):
    """What the reviewer selected in the entry's text (filled in by the page's script)."""

    entry = _int()
    start = _int()
    end = _int()
    passage = forms.CharField(required=False, max_length=20000, strip=False, widget=forms.HiddenInput)
    reason = _reason()
    note = _note()


class ChoicesForm(forms.Form):
    """Without JavaScript: sentences ticked, or a first and last word chosen."""

    entry = _int()
    sentence = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        choices=[(str(n), str(n)) for n in range(MAX_SENTENCES)],
        error_messages={"invalid_choice": "Select sentences from the list"},
    )
    first_word = _word("First word to withhold")
    last_word = _word("Last word to withhold")
    reason = _reason()
    note = _note()


class ExtentForm(forms.Form):
    redaction = _int()
    first_word = _word("Withhold from")
    last_word = _word("Withhold to")
    note = _note()


class AcceptAllForm(forms.Form):
    entry = forms.IntegerField(required=False, widget=forms.HiddenInput)


# --- the page ------------------------------------------------------------------------------


@dataclass
class Segment:
    text: str
    state: str  # "", "proposed" or "accepted"


@dataclass
class WordChoice:
    number: int
    label: str


@dataclass
class ProposalRow:
    redaction: Redaction
    words: list[WordChoice]
    first_word: int | None
    last_word: int | None


@dataclass
class EntryText:
    segments: list[Segment]
    sentences: list[Span]
    words: list[WordChoice]
    proposals: list[ProposalRow] = field(default_factory=list)
    open_proposals: int = 0


def _label(listed: list[Span], n: int) -> str:
    before = " ".join(w.text for w in listed[max(0, n - 2) : n])
    after = " ".join(w.text for w in listed[n + 1 : n + 3])
    context = " ".join(part for part in (before, f"[{listed[n].text}]", after) if part)
    return f"{listed[n].text} – “{context}”"


def segments(text: str, redactions: list[Redaction]) -> list[Segment]:
    """The entry's text in runs, each marked as withheld (proposed or accepted) or not. Joined, the
    runs are exactly the text, so a selection in the page counts characters of the entry itself."""
    state = [""] * len(text)
    for red in redactions:
        if red.decision == Decision.REJECTED:
            continue
        mark = "accepted" if red.decision == Decision.ACCEPTED else "proposed"
        for i in range(max(0, red.start), min(len(text), red.end)):
            if state[i] != "accepted":
                state[i] = mark
    runs: list[Segment] = []
    for ch, mark in zip(text, state, strict=True):
        if runs and runs[-1].state == mark:
            runs[-1].text += ch
        else:
            runs.append(Segment(ch, mark))
    return runs


def entry_text(text: str, redactions: list[Redaction], *, word_lists: bool = True) -> EntryText:
    listed = words(text)
    choices = (
        [WordChoice(n, _label(listed, n)) for n in range(len(listed))]
        if word_lists and len(listed) <= MAX_CHOICES
        else []
    )
    shown = EntryText(segments(text, redactions), sentences(text)[:MAX_SENTENCES], choices)
    for red in redactions:
        inside = [n for n, w in enumerate(listed) if w.end > red.start and w.start < red.end]
        first, last = (inside[0], inside[-1]) if inside else (None, None)
        low = max(0, (first or 0) - EXTENT_WINDOW)
        high = min(len(listed), (last if last is not None else 0) + EXTENT_WINDOW + 1, MAX_CHOICES)
        window = [WordChoice(n, _label(listed, n)) for n in range(low, high)]
        shown.proposals.append(ProposalRow(red, window, first, last))
        if red.decision == Decision.PROPOSED:
            shown.open_proposals += 1
    return shown


def reasons_for(sar: SarCase) -> list[tuple[str, str]]:
    """The reasons a reviewer may give here (the child's expectations only for a parent's request)."""
    return [
        (value, label)
        for value, label in Reason.choices
        if value != Reason.SUBJECT_EXPECTATION or sar.requester_kind == Requester.PARENT
    ]


def anchor_for(result: Any) -> str:
    """Where on the review page to come back to after an action: the entry acted on."""
    if isinstance(result, list) and result and isinstance(result[0], Redaction):
        result = result[0]
    if isinstance(result, Redaction):
        return f"#entry-{result.entry_id}"
    return ""
