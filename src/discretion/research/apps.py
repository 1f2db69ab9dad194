from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "discretion.research"
    label = "research"
    verbose_name = "Research, audit and monitoring"
