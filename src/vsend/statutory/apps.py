from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "vsend.statutory"
    verbose_name = "EHC needs assessments, plans and annual reviews"

    def ready(self) -> None:
        # Timeliness as stored aggregates (ADR 25).
        from vsend.statutory import stored  # noqa: F401
