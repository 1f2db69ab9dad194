"""Staff accounts, roles and teams are configuration, kept in the admin (every write audited:
web/admin_base.py). Alerts, inductions, absences, API tokens and authenticators are not: they
are about people, and each has its own audited page or command (web/admin.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from discretion.staff import accounts
from discretion.staff.models import PolicyVersion, Staff, Team
from discretion.web.admin_base import FIELDS_ATTR, AuditedAdmin, ReadOnlyAdmin

HELD_ATTR = "discretion_admin_held"
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

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        """The form refuses a change to one's own access (audited, alerting information governance),
        and a change to access while an earlier one waits for information governance."""
        base = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class GuardedForm(base):  # type: ignore[valid-type,misc]
            def clean(self) -> Any:
                data = super().clean()
                pk = self.instance.pk
                if pk is not None and pk == actor.pk:
                    touched = [f for f in accounts.SELF_PROTECTED if f in self.changed_data]
                    if touched:
                        assert isinstance(actor, Staff)
                        raise forms.ValidationError(str(accounts.refuse_self_change(actor, touched)))
                held = any(f in self.changed_data for f in accounts.HELD_FIELDS)
                if pk is not None and held and accounts.pending_for(pk) is not None:
                    raise forms.ValidationError(
                        "A change to this account's access is already waiting for information "
                        "governance to confirm: ask them to decide it first"
                    )
                return data

        return GuardedForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A change that gives another account record access is saved without it and held for an
        information governance officer to confirm (staff/accounts.py)."""
        actor = request.user
        assert isinstance(actor, Staff)
        before = Staff.objects.filter(pk=obj.pk).values(*accounts.HELD_FIELDS).first() if change else None
        held: dict[str, list[Any]] = {}
        if obj.pk != actor.pk:
            held = accounts.widening(before, {f: getattr(obj, f) for f in accounts.HELD_FIELDS})
        for field, (old, _new) in held.items():
            setattr(obj, field, old)
        super().save_model(request, obj, form, change)
        if held:
            accounts.hold_change(actor, obj, held)
            setattr(request, HELD_ATTR, sorted(held))
            messages.warning(
                request,
                f"{obj}: {accounts.describe(held)} waits for an information governance officer to confirm it.",
            )

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[dict[str, Any]]:
        """The admin's audit event names what took effect, not what was held for confirmation."""
        message = super().construct_change_message(request, form, formsets, add)
        held = getattr(request, HELD_ATTR, [])
        setattr(request, FIELDS_ATTR, [n for n in getattr(request, FIELDS_ATTR, []) if n not in held])
        return message

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # The new password and its audit event are written together or not at all.
        with transaction.atomic():
            response: HttpResponse = super().user_change_password(request, id, form_url)
            if response.status_code == 302 and isinstance(request.user, Staff) and str(id).isdigit():
                accounts.note_credential_reset(request.user, int(id), what="password")
        return response


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "manager")
    search_fields = ("name",)
    ordering = ("name",)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        """Nobody makes themselves a team's manager (it opens the team's cases)."""
        base = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class GuardedForm(base):  # type: ignore[valid-type,misc]
            def clean(self) -> Any:
                data = super().clean()
                manager: Model | None = data.get("manager") if data else None
                if "manager" in self.changed_data and manager is not None and manager.pk == actor.pk:
                    assert isinstance(actor, Staff)
                    raise forms.ValidationError(str(accounts.refuse_self_change(actor, ["team_manager"])))
                return data

        return GuardedForm


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    """Read only: a version is published through its own page (staff acknowledge that text), so
    the words someone acknowledged are never changed afterwards."""

    list_display = ("version", "title", "published_at")
