"""Admin: read-only views of requests and their history (changes go through the services)."""

from __future__ import annotations

from django.contrib import admin

from discretion.requests.models import Approval, DecisionRecord, Request, RequestEvent, Task
from discretion.web.admin_base import ReadOnlyAdmin


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "state", "received_at", "handler")
    list_filter = ("state",)


for model in (DecisionRecord, RequestEvent, Approval, Task):
    admin.site.register(model, ReadOnlyAdmin)
