from django.apps import AppConfig


class OutboundConfig(AppConfig):
    name = "discretion.outbound"
    label = "outbound"
    verbose_name = "Outbound guard"
