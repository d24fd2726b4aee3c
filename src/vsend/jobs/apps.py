from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class JobsConfig(AppConfig):
    name = "vsend.jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        post_migrate.connect(_ensure_schedules, sender=self)


def _ensure_schedules(**kwargs: Any) -> None:
    from vsend.jobs.queue import ensure_schedules

    ensure_schedules(using=kwargs.get("using", "default"))
