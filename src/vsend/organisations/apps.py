from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "vsend.organisations"
    verbose_name = "Organisations"
