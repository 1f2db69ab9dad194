"""Staff-duty forms with GOV.UK error messages ("Enter…", "Select…")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from discretion.staff.models import AlertOutcome, Staff


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account is not active",
    }


class TwoFactorForm(forms.Form):
    """The 6-digit code from an authenticator app; the service checks it."""

    code = forms.CharField(
        max_length=20,
        strip=True,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


def _date_parts(data: dict[str, Any], prefix: str, label: str) -> dt.date | None:
    parts = [data.get(f"{prefix}_day"), data.get(f"{prefix}_month"), data.get(f"{prefix}_year")]
    if all(p is None for p in parts):
        raise forms.ValidationError(f"Enter the {label}")
    if not all(p is not None for p in parts):
        raise forms.ValidationError(f"The {label} must include a day, month and year")
    try:
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))  # type: ignore[arg-type]
    except ValueError:
        raise forms.ValidationError(f"The {label} must be a real date") from None


class InductionForm(forms.Form):
    staff = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        label="New starter",
        error_messages={"required": "Select the new starter", "invalid_choice": "Select the new starter"},
    )
    discussed_day = forms.IntegerField(required=False, min_value=1, max_value=31)
    discussed_month = forms.IntegerField(required=False, min_value=1, max_value=12)
    discussed_year = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, starters: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if starters is not None:
            self.fields["staff"].queryset = starters  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["discussed_on"] = _date_parts(data, "discussed", "date confidentiality was discussed")
        except forms.ValidationError as exc:
            self.add_error("discussed_day", exc)
        return data


class PublishPolicyForm(forms.Form):
    version = forms.CharField(
        max_length=32, error_messages={"required": "Enter the version, for example 2026-11"}
    )
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the title of the policy"})
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}), error_messages={"required": "Enter the text of the policy"}
    )


class ReviewAlertForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(o.value, o.label) for o in AlertOutcome if o != AlertOutcome.OPEN],
        error_messages={
            "required": "Select the outcome of your review",
            "invalid_choice": "Select the outcome of your review",
        },
    )
    note = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what you found"},
    )


class DecideAccountChangeForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("confirm", "Confirm: the change takes effect"),
            ("refuse", "Refuse: the account stays as it is"),
        ],
        error_messages={"required": "Select confirm or refuse", "invalid_choice": "Select confirm or refuse"},
    )
    note = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for your decision"},
    )
