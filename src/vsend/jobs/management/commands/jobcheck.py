"""`vsend jobcheck`: queue a job that does nothing and wait for a worker to run it."""

import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vsend.jobs.models import WorkerCheck
from vsend.jobs.queue import enqueue


class Command(BaseCommand):
    help = "Check that a job worker (`vsend qcluster`) is running and taking jobs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--wait", type=float, default=30, help="Seconds to wait (default 30)")

    def handle(self, *args: Any, **options: Any) -> None:
        label = f"check-{uuid.uuid4()}"
        started = time.monotonic()
        enqueue("jobs.check", label)
        while time.monotonic() - started < options["wait"]:
            if WorkerCheck.objects.filter(label=label, completed__gte=1).exists():
                WorkerCheck.objects.filter(label=label).delete()
                self.stdout.write(f"A worker ran the check in {time.monotonic() - started:.1f} s")
                return
            time.sleep(0.5)
        raise CommandError(f"No worker ran the check within {options['wait']:.0f} s")
