from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "vsend.insights"
    verbose_name = "Insight"
