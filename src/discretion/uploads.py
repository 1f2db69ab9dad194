"""The attachment upload every app's forms share: PDF, image or Word, checked by its first bytes.

Below the apps and the web layer (Django forms only), so an app's forms and API may use it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

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
