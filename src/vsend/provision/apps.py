from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "vsend.provision"
    verbose_name = "Costed provision"

    def ready(self) -> None:
        # Provision's stored aggregate kinds (ADR 25).
        from vsend.provision import stored  # noqa: F401
