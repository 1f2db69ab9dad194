"""The Django admin holds configuration only (web/admin.py), and every write made in it is audited.

`AuditedAdmin` writes one event to the hash chain for each object an administrator adds, changes or
deletes (`admin.added`, `admin.changed`, `admin.deleted`), in the same transaction as the write,
naming the model and the fields changed, never their values (a password is named "password").
It hooks Django's own admin log (log_addition, log_change, log_deletions), which every stock admin
write calls: the add and change forms, list editing, the delete page, the bulk delete action and the
password form. No other admin action is offered, so there is no write the chain does not see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest

from discretion.audit import services as audit

FIELDS_ATTR = "discretion_admin_fields"


def _field_names(form: BaseForm | None, formsets: Any, *, add: bool) -> list[str]:
    names: set[str] = set()
    if form is not None:
        if add:  # every field given a value, not only those that differ from the defaults
            names.update(
                n for n, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "", [], ())
            )
        else:
            names.update(form.changed_data)
    for formset in formsets or ():
        for inline_form in formset.forms:
            names.update(f"{formset.prefix}.{n}" for n in inline_form.changed_data)
    # A password set in the admin is named, whatever the form calls its fields.
    return sorted({"password" if "password" in n else n for n in names})


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin whose every write is audited in the hash chain."""

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[dict[str, Any]]:
        setattr(request, FIELDS_ATTR, _field_names(form, formsets, add=add))
        message: list[dict[str, Any]] = super().construct_change_message(request, form, formsets, add)
        return message

    def _audit(self, request: HttpRequest, action: str, obj: Model, fields: list[str] | None = None) -> None:
        details: dict[str, object] = {"model": obj._meta.label_lower}
        if fields is not None:
            details["fields"] = fields
        audit.record(
            request.user.pk,
            action,
            object_type=obj._meta.model_name or "",
            object_id=obj.pk,
            details=details,
        )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        self._audit(request, "admin.added", obj, getattr(request, FIELDS_ATTR, []))
        return entry

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        self._audit(request, "admin.changed", obj, getattr(request, FIELDS_ATTR, []))
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        """Called just before the deletion (one object from the delete page, several in bulk)."""
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self._audit(request, "admin.deleted", obj)
        return entries

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        """Bulk delete only, in one transaction with its audit events."""
        actions: dict[str, Any] = super().get_actions(request)
        return {
            name: (_atomic(func), action_name, description)
            for name, (func, action_name, description) in actions.items()
            if name == "delete_selected"
        }


def _atomic(func: Callable[..., Any]) -> Callable[..., Any]:
    def run(modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        with transaction.atomic():
            return func(modeladmin, request, queryset)

    return run


class ReadOnlyAdmin(AuditedAdmin):
    """Shown in the admin for reading; adding, changing and deleting go through the services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
