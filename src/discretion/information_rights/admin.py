"""Admin: the calendar's one-off days (a proclaimed holiday announced next year needs no release);
every change audited (web/admin_base.py)."""

from __future__ import annotations

from django.contrib import admin

from discretion.information_rights.models import CalendarDay
from discretion.web.admin_base import AuditedAdmin


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ("date", "name", "change", "scope", "note")
    list_filter = ("change", "scope")
    search_fields = ("name", "note")
    date_hierarchy = "date"
