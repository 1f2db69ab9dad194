from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "discretion.audit"
    label = "audit"
    verbose_name = "Audit"
