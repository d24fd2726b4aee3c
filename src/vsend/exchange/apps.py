from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "vsend.exchange"
    verbose_name = "Registers and Common Transfer Files in and out"
