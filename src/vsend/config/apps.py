from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """vsend's own commands (migrate as the database owner) and deployment checks."""

    name = "vsend.config"
    label = "vsend_config"
    verbose_name = "vsend configuration"

    def ready(self) -> None:
        from vsend.config import checks  # noqa: F401  (registers the deployment checks)
