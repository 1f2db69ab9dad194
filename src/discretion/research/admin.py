"""Commercial records (contracts, agreements, provider information) are entered in the admin,
every change audited (policy 1.3; web/admin_base.py). Research requests and extracts are not
here: they name requesters and carry released data, and go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from discretion.research.models import CommercialRecord
from discretion.web.admin_base import AuditedAdmin


@admin.register(CommercialRecord)
class CommercialRecordAdmin(AuditedAdmin):
    list_display = ("title", "kind", "counterparty", "team")
    exclude = ("created_by", "created_at")

    def save_model(self, request: HttpRequest, obj: CommercialRecord, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
