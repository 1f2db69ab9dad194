from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "discretion.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from discretion import safety  # noqa: F401  (registers the refuse-to-run-unsafely check)
        from discretion.web import signals  # noqa: F401  (connects the sign-in audit receivers)
