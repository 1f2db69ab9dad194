from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "discretion.staff"
    label = "staff"
    verbose_name = "Staff"

    def ready(self) -> None:
        from discretion.staff import security  # noqa: F401  (audits authenticator deletions)
