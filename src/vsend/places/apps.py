from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "vsend.places"
    verbose_name = "Special-school place planning"
