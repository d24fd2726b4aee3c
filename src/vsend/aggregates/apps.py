from django.apps import AppConfig


class AggregatesConfig(AppConfig):
    name = "vsend.aggregates"
    label = "aggregates"
    verbose_name = "Stored aggregates"

    def ready(self) -> None:
        # Each domain's aggregate kinds register themselves when their module is imported.
        from vsend.insights import aggregate  # noqa: F401
