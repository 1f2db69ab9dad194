"""Research request forms with GOV.UK error messages."""

from __future__ import annotations

from typing import Any

from django import forms

from discretion.research.anonymise import FIELDS
from discretion.research.services import Submission, check_submission


class SubmissionForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    purpose = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    lawful_basis = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    data_wanted = forms.MultipleChoiceField(
        choices=list(FIELDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Data wanted",
        error_messages={"invalid_choice": "Select the data wanted"},
    )
    retention = forms.CharField(max_length=200, required=False)
    audience = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    requester_name = forms.CharField(max_length=200, required=False)
    requester_email = forms.EmailField(
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    is_external = forms.BooleanField(required=False)
    organisation = forms.CharField(max_length=200, required=False)
    identity_checked = forms.BooleanField(required=False)
    identity_check = forms.CharField(required=False, max_length=2000)
    entitlement_checked = forms.BooleanField(required=False)
    entitlement_check = forms.CharField(required=False, max_length=2000)
    wants_pseudonyms = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        submission = self.submission(data)
        for name, message in check_submission(submission).items():
            self.add_error("data_wanted" if name == "fields" else name, message)
        return data

    @staticmethod
    def submission(data: dict[str, Any]) -> Submission:
        def text(name: str) -> str:
            return str(data.get(name) or "")

        return Submission(
            title=text("title"),
            purpose=text("purpose"),
            lawful_basis=text("lawful_basis"),
            fields=list(data.get("data_wanted") or []),
            retention=text("retention"),
            audience=text("audience"),
            requester_name=text("requester_name"),
            is_external=bool(data.get("is_external")),
            organisation=text("organisation"),
            requester_email=text("requester_email"),
            identity_checked=bool(data.get("identity_checked")),
            identity_check=text("identity_check"),
            entitlement_checked=bool(data.get("entitlement_checked")),
            entitlement_check=text("entitlement_check"),
            wants_pseudonyms=bool(data.get("wants_pseudonyms")),
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        error_messages={"required": "Select approve or refuse", "invalid_choice": "Select approve or refuse"},
    )
    reasons = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reasons for your decision"},
    )
    approve_pseudonyms = forms.BooleanField(required=False)
    k = forms.IntegerField(
        required=False,
        min_value=2,
        max_value=100,
        error_messages={
            "min_value": "Enter a k between 2 and 100",
            "max_value": "Enter a k between 2 and 100",
            "invalid": "Enter a k between 2 and 100",
        },
    )


class ExtractForm(forms.Form):
    pseudonymised = forms.BooleanField(required=False)
