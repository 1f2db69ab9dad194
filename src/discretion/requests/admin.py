"""Admin: read-only views of requests and their history (changes go through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from discretion.requests.models import Approval, DecisionRecord, Request, RequestEvent, Task


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Request)
class RequestAdmin(ReadOnly):
    list_display = ("id", "state", "received_at", "handler")
    list_filter = ("state",)


for model in (DecisionRecord, RequestEvent, Approval, Task):
    admin.site.register(model, ReadOnly)
