from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vsend.demo"
    verbose_name = "Demo authority"
