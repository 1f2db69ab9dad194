"""Admin: the register and the outbox are read-only here; releases go only through `disclose`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from discretion.disclosures.models import Disclosure, OutboxMessage


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnly):
    list_display = ("id", "released_at", "recipient_organisation", "channel", "source")
    list_filter = ("channel", "source")


@admin.register(OutboxMessage)
class OutboxAdmin(ReadOnly):
    list_display = ("id", "channel", "status", "attempts", "created_at", "sent_at")
    exclude = ("payload",)
