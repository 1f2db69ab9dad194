"""Forms with GOV.UK error messages ("Enter…", "Select…")."""

from __future__ import annotations

from typing import Any

from django import forms

from discretion.information_rights import exemptions
from discretion.information_rights.dates import GovUKDateField
from discretion.information_rights.models import (
    Decision,
    EvidenceKind,
    Outcome,
    Reason,
    Regime,
    RequestChannel,
    Requester,
    ReviewOutcome,
)


def _date(label: str, required: bool = True, help_text: str = "") -> GovUKDateField:
    hint = f"For example, 27 11 2026. {help_text}" if help_text else "For example, 27 11 2026"
    return GovUKDateField(label=label, required=required, help_text=hint)


def _text(
    label: str, required: bool = True, max_length: int = 300, textarea: bool = False
) -> forms.CharField:
    widget = (
        forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4})
        if textarea
        else forms.TextInput(attrs={"class": "govuk-input"})
    )
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=widget,
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


def _choice(label: str, choices: Any, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": f"Select {label[0].lower() + label[1:]}",
            "invalid_choice": f"Select {label[0].lower() + label[1:]}",
        },
    )


def _hours(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=10000,
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a number",
        },
    )


class LogRequestForm(forms.Form):
    regime = _choice("Regime", Regime.choices)
    requester_name = _text("Requester's name", max_length=200)
    requester_contact = _text("Requester's contact address")
    channel = _choice("How it arrived", RequestChannel.choices)
    received_on = _date("Date received", required=False, help_text="Leave blank for today")
    received_on_reason = _text("Reason the date received is not today", required=False)
    wording = _text("Wording of the request", max_length=10_000, textarea=True)


class AssignForm(forms.Form):
    service_area = _text("Service area", max_length=120)
    handler = forms.IntegerField(
        label="Case handler (staff id)",
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
        error_messages={"invalid": "Enter the case handler's staff number"},
    )


class RegimeForm(forms.Form):
    regime = _choice("Regime", Regime.choices)


class SearchForm(forms.Form):
    place = _text("Where you searched", max_length=200)
    hours = _hours("Hours spent")
    found = _text("What you found", required=False, max_length=2000, textarea=True)


class EstimateForm(forms.Form):
    hours = _hours("Estimated hours to comply")


class ClarificationForm(forms.Form):
    requested_on = _date("Date clarification asked for")
    received_on = _date("Date clarification received", required=False)


class FeeForm(forms.Form):
    notice_on = _date("Date of fees notice")
    received_on = _date("Date fee received", required=False)


class ExtendForm(forms.Form):
    new_due_on = _date(
        "New due date", required=False, help_text="FOI only: no later than the 40th working day"
    )
    reason = _text("Reason for the extension")


class ExemptionForm(forms.Form):
    code = _choice(
        "Exemption or exception", [(exemptions.key(e.law, e.code), e.label) for e in exemptions._ALL]
    )
    why_applies = _text("Why it applies", max_length=5000, textarea=True)
    prejudice = _text("The prejudice disclosure would cause", required=False, max_length=5000, textarea=True)
    public_interest = _text("Public-interest test", required=False, max_length=5000, textarea=True)


class OutcomeForm(forms.Form):
    outcome = _choice("Outcome", [c for c in Outcome.choices if c[0] != Outcome.TRANSFERRED])
    response_text = _text("Response", required=False, max_length=50_000, textarea=True)
    publish = forms.BooleanField(label="Publish on the disclosure log", required=False)


class ReviewForm(forms.Form):
    received_on = _date("Date review asked for", required=False)
    extended = forms.BooleanField(label="Complex review (up to 40 working days)", required=False)


class DecideReviewForm(forms.Form):
    review = forms.IntegerField(widget=forms.HiddenInput)
    outcome = _choice("Review outcome", ReviewOutcome.choices)
    notes = _text("Reasons", max_length=5000, textarea=True)


class TransferForm(forms.Form):
    requester_kind = _choice("Who is asking", Requester.choices)


class OpenSarForm(forms.Form):
    requester_name = _text("Requester's name", max_length=200)
    requester_contact = _text("Requester's contact address")
    requester_kind = _choice("Who is asking", Requester.choices)
    subject_ref = _text("Person reference of the subject", required=False, max_length=16)
    received_on = _date("Date received", required=False, help_text="Leave blank for today")
    child_understands = _choice(
        "Is the child old enough to understand the request?",
        [("", "Not applicable"), ("yes", "Yes"), ("no", "No")],
        required=False,
    )
    child_consents = _choice(
        "Does the child consent?", [("", "Not applicable"), ("yes", "Yes"), ("no", "No")], required=False
    )
    written_authority = forms.BooleanField(
        label="Written authority received (representative)", required=False
    )

    def tristate(self, name: str) -> bool | None:
        value = self.cleaned_data.get(name)
        return None if not value else value == "yes"


class VerifyForm(forms.Form):
    evidence = _text("Identity evidence seen", max_length=200)
    received_on = _date("Date evidence received", required=False)
    subject_ref = _text("Person reference of the subject", required=False, max_length=16)


class SarExtendForm(forms.Form):
    reason = _text("Why the request is complex or numerous")


class DecideRedactionForm(forms.Form):
    redaction = forms.IntegerField(widget=forms.HiddenInput)
    decision = _choice("Decision", [(Decision.ACCEPTED, "Accept"), (Decision.REJECTED, "Reject")])
    note = _text("Note", required=False)


class AddRedactionForm(forms.Form):
    entry = forms.IntegerField(
        label="Entry",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
        error_messages={"required": "Enter the entry number", "invalid": "Enter the entry number"},
    )
    passage = _text("Passage to redact", max_length=5000, textarea=True)
    reason = _choice("Reason", Reason.choices)
    note = _text("Note", required=False)


# --- a request made for someone else ----------------------------------------------------------

_YES_NO = [("yes", "Yes"), ("no", "No")]


class AddEvidenceForm(forms.Form):
    code = _choice("What the evidence is", [("", "Select"), *EvidenceKind.choices])
    description = _text("What was received (issuer, date, reference)", max_length=2000, textarea=True)


class CheckEvidenceForm(forms.Form):
    evidence = forms.IntegerField(
        label="Evidence number",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
        error_messages={"required": "Enter the evidence number", "invalid": "Enter the evidence number"},
    )
    accept = _choice("Does it show the requester may act for the person?", [("", "Select"), *_YES_NO])
    note = _text("What you checked", max_length=4000, textarea=True)


class ChildViewForm(forms.Form):
    understands = _choice("Does the child understand the request?", [("", "Select"), *_YES_NO])
    reason = _text("Why you judge so (the child's age and maturity)", max_length=2000, textarea=True)
    consents = _choice(
        "If so, does the child consent to the parent seeing their records?",
        [("", "Not asked"), *_YES_NO],
        required=False,
    )
    child_view = _text(
        "The child's view: how and when they gave it", required=False, max_length=2000, textarea=True
    )
    best_interests = _text(
        "Or why answering the parent is in the child's best interests",
        required=False,
        max_length=2000,
        textarea=True,
    )
