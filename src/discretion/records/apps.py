from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "discretion.records"
    label = "records"
    verbose_name = "Records"
