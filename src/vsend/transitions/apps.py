from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "vsend.transitions"
    verbose_name = "Transition plans and phase transfer"
