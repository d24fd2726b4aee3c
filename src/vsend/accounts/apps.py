from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vsend.accounts"
    verbose_name = "Accounts"
