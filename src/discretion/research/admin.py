"""Research requests and extracts are read-only in the admin: decisions and releases go through
the services, which audit them and register the disclosure (policy 1.4)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from discretion.audit import services as audit
from discretion.research.models import CommercialRecord, Extract, ResearchRequest
from discretion.staff.models import Absence, Induction
from discretion.web.admin_base import ReadOnlyAdmin


@admin.register(ResearchRequest)
class ResearchRequestAdmin(ReadOnlyAdmin):
    list_display = ("submitted_at", "title", "organisation", "status")
    list_filter = ("status", "is_external")


@admin.register(Extract)
class ExtractAdmin(ReadOnlyAdmin):
    list_display = ("made_at", "request", "rows", "pseudonymised", "disclosure")


@admin.register(Induction)
class InductionAdmin(ReadOnlyAdmin):
    list_display = ("discussed_on", "staff", "discussed_by")


@admin.register(Absence)
class AbsenceAdmin(ReadOnlyAdmin):
    list_display = ("staff", "start_on", "end_on", "recorded_by")


@admin.register(CommercialRecord)
class CommercialRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Commercial records are entered here; every change is audited (policy 1.3)."""

    list_display = ("title", "kind", "counterparty", "team")
    exclude = ("created_by", "created_at")

    def save_model(self, request: HttpRequest, obj: CommercialRecord, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        audit.record(
            request.user.pk,
            "commercial.updated" if change else "commercial.created",
            object_type="commercial",
            object_id=obj.pk,
        )
