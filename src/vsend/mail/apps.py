from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "vsend.mail"
    verbose_name = "Email"
