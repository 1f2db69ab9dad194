from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "discretion.requests"
    label = "requests"
    verbose_name = "Requests for information"
