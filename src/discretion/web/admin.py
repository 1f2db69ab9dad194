"""The Django admin holds configuration only (UK GDPR Art 5(1)(f), Art 32; policy 1.2).

Loaded last of the admin modules (this app is last in INSTALLED_APPS), it takes out what other
packages register: authenticator devices (their secrets and QR codes; an authenticator is reset on
its own audited page), django-axes's records of sign-in attempts (monitoring data about staff; a
lock ends by itself, or `discretion manage axes_reset_username USERNAME`) and background-task
results (their arguments and errors can carry personal data). Groups stay, audited like every
admin write (web/admin_base.py). Nothing about children, families, requests, requesters,
disclosures, alerts or tokens is registered anywhere.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group

from discretion.web.admin_base import AuditedAdmin


def _unregister_secrets_and_monitoring() -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    for model in (TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog, DBTaskResult, Group):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_secrets_and_monitoring()


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    """Groups of permissions, audited."""


admin.site.site_header = "Discretion administration (configuration only)"
admin.site.site_title = "Discretion administration"
