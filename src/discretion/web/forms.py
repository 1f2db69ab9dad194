"""Forms with GOV.UK error messages ("Enter…", "Select…")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

ALLOWED_UPLOAD_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
}
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
}


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


def sniff_content_type(name: str, head: bytes) -> str | None:
    """The file's type from its extension, confirmed by its first bytes; None if they disagree."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = EXTENSIONS.get(suffix)
    if content_type is None:
        return None
    return content_type if head.startswith(ALLOWED_UPLOAD_TYPES[content_type]) else None


class AttachmentForm(forms.Form):
    file = forms.FileField(error_messages={"required": "Select a file"})

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            limit_mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The selected file must be smaller than {limit_mb}MB")
        head = upload.read(16)
        upload.seek(0)
        content_type = sniff_content_type(upload.name, head)
        if content_type is None:
            raise forms.ValidationError("The selected file must be a PDF, PNG, JPEG or Word document")
        upload.detected_content_type = content_type
        return upload
