from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "vsend.submissions"
    verbose_name = "One-time form tokens"
