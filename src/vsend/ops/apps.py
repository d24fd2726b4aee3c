from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running vsend in production: metrics, request ids and JSON logs, backups."""

    name = "vsend.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from vsend.ops import metrics

        metrics.register_collectors()
