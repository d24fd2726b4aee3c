from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "vsend.voice"
    verbose_name = "The child's own voice"
