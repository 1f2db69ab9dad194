from django.apps import AppConfig


class InformationRightsConfig(AppConfig):
    name = "discretion.information_rights"
    label = "information_rights"
    verbose_name = "FOI, EIR and subject access"
