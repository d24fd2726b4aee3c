from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "vsend.profiles"
    verbose_name = "Valuing SEND profiles"
