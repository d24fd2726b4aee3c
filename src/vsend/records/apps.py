from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "vsend.records"
    verbose_name = "Portable records"
