from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "vsend.statutory"
    verbose_name = "EHC needs assessments, plans and annual reviews"
