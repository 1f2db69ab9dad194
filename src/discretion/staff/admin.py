"""Alerts in the admin are read-only: outcomes are recorded only through `review_alert`, which
audits them (policy 1.2: nothing about an alert is edited silently)."""

from __future__ import annotations

from django.contrib import admin

from discretion.staff.models import Alert
from discretion.web.admin_base import ReadOnlyAdmin


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "subject_staff", "recipient", "outcome")
    list_filter = ("kind", "outcome")
