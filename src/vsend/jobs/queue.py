"""One way to run work in the background: Django-Q2 on the database (ADR 14).

Jobs are named in JOBS, so a queued row can only ever call vsend's own job functions. A job that
raises is tried again later with exponential back-off; a worker that dies mid-job leaves the task
leased, and the broker hands it out again once the lease (Q_CLUSTER["retry"]) runs out.
"""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from vsend.ops.metrics import job_failed

log = logging.getLogger(__name__)

# name -> (the function, and what to call with the same arguments once every attempt failed).
JOBS: dict[str, tuple[str, str | None]] = {
    "exports.build": (
        "vsend.exports.services.build_export",
        "vsend.exports.services.export_failed",
    ),
    "exports.delete_expired": ("vsend.exports.services.delete_expired", None),
    "exchange.apply": (
        "vsend.exchange.jobs.apply_in_background",
        "vsend.exchange.jobs.apply_failed",
    ),
    "jobs.check": ("vsend.jobs.checks.check", None),
    "aggregates.process_events": ("vsend.aggregates.events.process_events", None),
    "aggregates.refresh": ("vsend.aggregates.events.refresh", None),
    # (kind, id): the message is built when the job runs (see vsend/mail/services.py).
    "mail.send": ("vsend.mail.services.send", "vsend.mail.services.send_failed"),
    "statutory.daily_reminders": ("vsend.statutory.services.reminders.daily_reminders", None),
}

# Jobs that run on their own at fixed times: name -> (job, schedule type).
SCHEDULES: dict[str, tuple[str, str]] = {
    "Delete expired downloads": ("exports.delete_expired", Schedule.HOURLY),
    "Aggregates: events no handler processed": ("aggregates.process_events", Schedule.HOURLY),
    "Aggregates: every stored row again": ("aggregates.refresh", Schedule.DAILY),
    "Statutory deadline reminders": ("statutory.daily_reminders", Schedule.DAILY),
}


class UnknownJob(ValueError):
    pass


def backoff(attempt: int) -> timedelta:
    """How long to wait before attempt + 1: base, 2 x base, 4 x base, ... capped at an hour."""
    base: int = settings.VSEND_JOB_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** (attempt - 1), 3600))


def enqueue(job: str, *args: Any, attempt: int = 1) -> str:
    if job not in JOBS:
        raise UnknownJob(job)
    return str(async_task("vsend.jobs.queue.run", job, list(args), attempt, task_name=job[:100]))


def run(job: str, args: list[Any], attempt: int = 1) -> Any:
    """The entry point the worker calls for every vsend job."""
    path, on_failure = JOBS[job]
    func = import_string(path)
    try:
        return func(*args)
    except Exception:
        attempts: int = settings.VSEND_JOB_ATTEMPTS
        job_failed(job, final=attempt >= attempts)
        if attempt >= attempts:
            log.exception("Job %s%r failed on its last attempt (%s)", job, args, attempt)
            if on_failure:
                import_string(on_failure)(*args)
            return None  # logged and handed to on_failure; delivering it again would not help
        delay = backoff(attempt)
        log.warning("Job %s%r failed (attempt %s); trying again in %s", job, args, attempt, delay)
        schedule(
            "vsend.jobs.queue.run",
            job,
            list(args),
            attempt + 1,
            name=f"Retry {job} #{attempt + 1} {timezone.now().isoformat()}",
            schedule_type=Schedule.ONCE,
            repeats=1,
            next_run=timezone.now() + delay,
        )
        return None


def ensure_schedules(using: str = "default") -> None:
    for name, (job, kind) in SCHEDULES.items():
        Schedule.objects.using(using).update_or_create(
            name=name,
            defaults={
                "func": "vsend.jobs.queue.run",
                "args": repr((job, [])),
                "schedule_type": kind,
                "repeats": -1,
            },
        )
