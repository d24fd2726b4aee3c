from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "vsend.frameworks"
    verbose_name = "Needs frameworks"

    def ready(self) -> None:
        # A broken framework file stops start-up with a message naming the file and the place.
        from vsend.frameworks import registry

        registry.load_configured()
