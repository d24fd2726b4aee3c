"""A job that does nothing but say it ran: to check a worker is taking jobs."""

import time

from django.db.models import F
from django.utils import timezone

from vsend.jobs.models import WorkerCheck


def check(label: str, seconds: float = 0) -> None:
    WorkerCheck.objects.get_or_create(label=label)
    WorkerCheck.objects.filter(label=label).update(started=F("started") + 1)
    time.sleep(min(seconds, 30))
    WorkerCheck.objects.filter(label=label).update(
        completed=F("completed") + 1, completed_at=timezone.now()
    )
