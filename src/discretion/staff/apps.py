from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "discretion.staff"
    label = "staff"
    verbose_name = "Staff"
