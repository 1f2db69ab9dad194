"""Alerts in the admin are read-only: outcomes are recorded only through `review_alert`, which
audits them (policy 1.2: nothing about an alert is edited silently)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from discretion.staff.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ("created_at", "kind", "subject_staff", "recipient", "outcome")
    list_filter = ("kind", "outcome")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Alert | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Alert | None = None) -> bool:
        return False
