"""Staff accounts, roles and teams are configuration, kept in the admin (every write audited:
web/admin_base.py). Alerts, inductions, absences, API tokens and authenticators are not: they
are about people, and each has its own audited page or command (web/admin.py)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from discretion.staff.models import PolicyVersion, Staff, Team
from discretion.web.admin_base import AuditedAdmin, ReadOnlyAdmin

ROLE_FIELDS = ("role", "employment_type", "team", "responsible_staff", "end_on")


@admin.register(Staff)
class StaffAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    """Personal accounts (policy 1.2): who, which role and team, who is responsible for a
    volunteer or student, when an agency account ends."""

    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "team",
        "employment_type",
        "is_active",
        "end_on",
    )
    list_filter = ("role", "employment_type", "is_active", "team")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Name and e-mail", {"fields": ("first_name", "last_name", "email")}),
        ("Role (policy 1.2)", {"fields": ROLE_FIELDS}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "usable_password",
                    "password1",
                    "password2",
                    "first_name",
                    "last_name",
                    "email",
                    *ROLE_FIELDS,
                ),
            },
        ),
    )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # The new password and its audit event are written together or not at all.
        with transaction.atomic():
            response: HttpResponse = super().user_change_password(request, id, form_url)
        return response


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "manager")
    search_fields = ("name",)
    ordering = ("name",)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    """Read only: a version is published through its own page (staff acknowledge that text), so
    the words someone acknowledged are never changed afterwards."""

    list_display = ("version", "title", "published_at")
