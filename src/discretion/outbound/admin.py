from django.contrib import admin

from discretion.outbound.models import RecipientKey


@admin.register(RecipientKey)
class RecipientKeyAdmin(admin.ModelAdmin[RecipientKey]):
    list_display = ("address", "fingerprint", "registered_by", "registered_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("address", "fingerprint")
    readonly_fields = ("address", "public_key", "fingerprint", "registered_by", "registered_at")
    fields = ("address", "public_key", "fingerprint", "registered_by", "registered_at", "revoked")

    def has_add_permission(self, request: object) -> bool:
        # Keys are registered through `services.register_recipient_key` (validated and audited).
        return False
