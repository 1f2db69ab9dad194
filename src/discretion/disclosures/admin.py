"""Admin: the register and the outbox are read-only here; releases go only through `disclose`."""

from __future__ import annotations

from django.contrib import admin

from discretion.disclosures.models import Disclosure, OutboxMessage
from discretion.web.admin_base import ReadOnlyAdmin


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ("id", "released_at", "recipient_organisation", "channel", "source")
    list_filter = ("channel", "source")


@admin.register(OutboxMessage)
class OutboxAdmin(ReadOnlyAdmin):
    list_display = ("id", "channel", "status", "attempts", "created_at", "sent_at")
    exclude = ("payload",)
