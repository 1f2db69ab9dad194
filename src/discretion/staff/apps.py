from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "discretion.staff"
    label = "staff"
    verbose_name = "Staff"

    def ready(self) -> None:
        from discretion import access
        from discretion.staff import security  # noqa: F401  (audits authenticator deletions)
        from discretion.staff.services import alerts_for

        # A break-glass trail is shown only to those who may review its alert.
        access.register_alert_reviewer(alerts_for)
