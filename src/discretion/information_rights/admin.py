"""Admin: the calendar's one-off days (a proclaimed holiday announced next year needs no release)."""

from __future__ import annotations

from django.contrib import admin

from discretion.information_rights.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ("date", "name", "change", "scope", "note")
    list_filter = ("change", "scope")
    search_fields = ("name", "note")
    date_hierarchy = "date"
