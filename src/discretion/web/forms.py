"""Forms with GOV.UK error messages ("Enter…", "Select…")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from discretion.staff.forms import SignInForm as SignInForm
from discretion.staff.forms import TwoFactorForm as TwoFactorForm
from discretion.uploads import ALLOWED_UPLOAD_TYPES as ALLOWED_UPLOAD_TYPES
from discretion.uploads import EXTENSIONS as EXTENSIONS
from discretion.uploads import AttachmentForm as AttachmentForm
from discretion.uploads import sniff_content_type as sniff_content_type


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": "Confirm that you have read and will follow the Confidentiality Policy"},
    )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=120, label="Name")
    dob_day = forms.IntegerField(required=False, min_value=1, max_value=31)
    dob_month = forms.IntegerField(required=False, min_value=1, max_value=12)
    dob_year = forms.IntegerField(required=False, min_value=1900, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get("dob_day"), data.get("dob_month"), data.get("dob_year")]
        data["date_of_birth"] = None
        if any(p is not None for p in parts):
            if not all(p is not None for p in parts):
                raise forms.ValidationError("Date of birth must include a day, month and year")
            try:
                data["date_of_birth"] = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))  # type: ignore[arg-type]
            except ValueError:
                raise forms.ValidationError("Date of birth must be a real date") from None
        if not (data.get("q") or "").strip() and data["date_of_birth"] is None:
            raise forms.ValidationError("Enter a name or a date of birth")
        return data


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
        error_messages={
            "required": "Enter why you need to open this record now",
            "min_length": "Reason must be 10 characters or more",
        },
    )
