from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "vsend.family"
    verbose_name = "The family's window"
