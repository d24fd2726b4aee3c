from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vsend.api"
    verbose_name = "API"
