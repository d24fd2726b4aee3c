from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "vsend.provision"
    verbose_name = "Costed provision"
