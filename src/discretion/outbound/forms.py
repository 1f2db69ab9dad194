"""The compose form, with GOV.UK error messages ("Enter…")."""

from __future__ import annotations

from typing import Any

from django import forms

from discretion.outbound import services


class ComposeForm(forms.Form):
    request = forms.TypedChoiceField(
        label="Which request does this answer?",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Personal data about a child or family goes only in answer to a request whose decision "
        "allows it (policy 1.1). Leave empty for a message with no personal data.",
    )
    to = forms.CharField(
        label="To",
        max_length=2000,
        help_text="The recipient's e-mail address. Separate several with commas.",
        error_messages={"required": "Enter the recipient's e-mail address"},
    )
    recipient_name = forms.CharField(label="Recipient's name", max_length=200, required=False)
    recipient_organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    purpose = forms.CharField(
        label="Why are you sending this?",
        max_length=60,
        required=False,
        help_text="For example: school update, GP referral, court bundle.",
    )
    subject = forms.CharField(label="Subject", max_length=200, required=False)
    body = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 10}), max_length=100_000, required=False
    )

    def __init__(self, *args: Any, answerable: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["request"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "No request: no personal data")] + [
            (str(r.pk), f"Request {r.pk} from {r.requester_name}") for r in answerable
        ]
        field.error_messages["invalid_choice"] = "Select one of your approved requests"

    def clean_to(self) -> tuple[str, ...]:
        try:
            return services.parse_recipients(self.cleaned_data["to"])
        except services.InvalidInput as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("subject") or "").strip() and not (data.get("body") or "").strip():
            self.add_error("body", "Enter a message")
        return data
