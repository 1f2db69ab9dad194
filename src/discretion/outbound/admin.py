"""Admin: recipients' registered keys (configuration of a secure route out, policy 1.1): only
withdrawing one is done here, audited (web/admin_base.py); keys are registered by the service."""

from django.contrib import admin

from discretion.outbound.models import RecipientKey
from discretion.web.admin_base import AuditedAdmin


@admin.register(RecipientKey)
class RecipientKeyAdmin(AuditedAdmin):
    list_display = ("address", "fingerprint", "registered_by", "registered_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("address", "fingerprint")
    readonly_fields = ("address", "public_key", "fingerprint", "registered_by", "registered_at")
    fields = ("address", "public_key", "fingerprint", "registered_by", "registered_at", "revoked")

    def has_add_permission(self, request: object) -> bool:
        # Keys are registered through `services.register_recipient_key` (validated and audited).
        return False
