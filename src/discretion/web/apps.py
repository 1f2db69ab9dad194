from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "discretion.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from discretion.web import signals  # noqa: F401  (connects the sign-in audit receivers)
