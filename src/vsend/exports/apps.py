from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "vsend.exports"
    verbose_name = "Downloads made in the background"
