from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "discretion.disclosures"
    label = "disclosures"
    verbose_name = "Disclosure register"
