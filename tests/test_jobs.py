"""The job queue: jobs survive a worker that dies, run once, and failing jobs are retried."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler

from vsend.jobs import queue

CALLS: list[int] = []


def fails_twice(n: int) -> None:
    CALLS.append(n)
    if len(CALLS) < 3:
        raise RuntimeError("the printer is on fire")


def always_fails(n: int) -> None:
    CALLS.append(n)
    raise RuntimeError("still on fire")


GAVE_UP: list[int] = []


def gave_up(n: int) -> None:
    GAVE_UP.append(n)


def _run_due_retry() -> Schedule:
    """Bring the scheduled retry forward to now and let the scheduler hand it out."""
    retry = Schedule.objects.filter(name__startswith="Retry").order_by("-id").first()
    assert retry is not None
    Schedule.objects.filter(pk=retry.pk).update(next_run=timezone.now() - timedelta(seconds=1))
    scheduler()
    return retry


@pytest.fixture
def failing_jobs(monkeypatch, settings):
    settings.VSEND_JOB_ATTEMPTS = 4
    settings.VSEND_JOB_RETRY_BASE_SECONDS = 30
    CALLS.clear()
    GAVE_UP.clear()
    monkeypatch.setitem(queue.JOBS, "test.fails_twice", ("tests.test_jobs.fails_twice", None))
    monkeypatch.setitem(
        queue.JOBS, "test.always_fails", ("tests.test_jobs.always_fails", "tests.test_jobs.gave_up")
    )


@pytest.mark.django_db
def test_a_failing_job_is_tried_again_later_with_growing_delays(failing_jobs):
    started = timezone.now()
    queue.enqueue("test.fails_twice", 7)
    assert CALLS == [7]
    first = Schedule.objects.get(name__startswith="Retry")
    assert timedelta(seconds=29) < first.next_run - started < timedelta(seconds=35)

    _run_due_retry()
    assert CALLS == [7, 7]
    second = Schedule.objects.filter(name__startswith="Retry").order_by("-id").first()
    assert second.pk != first.pk
    assert timedelta(seconds=59) < second.next_run - timezone.now() < timedelta(seconds=65)

    _run_due_retry()
    assert CALLS == [7, 7, 7]  # the third attempt worked: nothing more is scheduled
    assert not Schedule.objects.filter(name__startswith="Retry", next_run__gt=timezone.now())


@pytest.mark.django_db
def test_a_job_that_keeps_failing_stops_after_its_attempts_and_says_so(failing_jobs):
    queue.enqueue("test.always_fails", 3)
    for _ in range(3):
        _run_due_retry()
    assert CALLS == [3, 3, 3, 3]
    assert GAVE_UP == [3]
    assert [queue.backoff(n).total_seconds() for n in (1, 2, 3, 8)] == [30, 60, 120, 3600]


def test_only_named_jobs_can_be_queued():
    with pytest.raises(queue.UnknownJob):
        queue.enqueue("os.system", "true")


# The worker itself, in real processes, on a database of its own.


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VSEND_ENV")}
    env.update(
        VSEND_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="vsend.config.settings",
        VSEND_JOB_TIMEOUT_SECONDS="15",
        VSEND_JOB_LEASE_SECONDS="17",
        VSEND_JOB_WORKERS="1",
        LOG_LEVEL="WARNING",
    )
    return env


def _vsend(env, *args: str, timeout: float = 300) -> str:
    return subprocess.run(
        [sys.executable, "-m", "vsend.config.cli", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    ).stdout


def _python(env, code: str) -> str:
    setup = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.strip()


def _counts(env) -> tuple[int, int, int]:
    """(started, completed, still queued), read straight from the worker's SQLite file."""
    db = sqlite3.connect(Path(env["VSEND_DATA_DIR"]) / "vsend.sqlite3", timeout=20)
    try:
        row = db.execute(
            "SELECT started, completed FROM jobs_workercheck WHERE label = 'restart'"
        ).fetchone()
        queued = db.execute("SELECT COUNT(*) FROM django_q_ormq").fetchone()[0]
    finally:
        db.close()
    started, completed = row if row else (0, 0)
    return started, completed, queued


def _wait_for(env, done, seconds: float) -> tuple[int, int, int]:
    deadline = time.monotonic() + seconds
    counts = _counts(env)
    while not done(counts) and time.monotonic() < deadline:
        time.sleep(0.2)
        counts = _counts(env)
    return counts


def _worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "vsend.config.cli", "qcluster"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(worker: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    os.killpg(worker.pid, sig)
    try:
        worker.wait(15)
    except subprocess.TimeoutExpired:
        pass  # stopped by force below
    finally:
        # The cluster's own processes share its group: leave none behind.
        try:
            os.killpg(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        worker.wait(15)


def test_a_job_survives_a_worker_that_dies_and_completes_once(tmp_path):
    env = _env(tmp_path)
    _vsend(env, "migrate", "--no-input", "-v0")
    # Queued while no worker runs at all.
    _python(env, "from vsend.jobs.queue import enqueue\nenqueue('jobs.check', 'restart', 10)")
    assert _counts(env) == (0, 0, 1)

    worker = _worker(env)
    try:
        started = _wait_for(env, lambda c: c[0] >= 1, 120)
        assert started[:2] == (1, 0), started
    finally:
        _stop(worker, signal.SIGKILL)  # the worker dies in the middle of the job
    time.sleep(3)
    assert _counts(env) == (1, 0, 1)  # not done, and still queued

    worker = _worker(env)
    try:
        after = _wait_for(env, lambda c: c[1] >= 1 and c[2] == 0, 120)
        assert after[1:] == (1, 0), after  # completed, and gone from the queue
        time.sleep(20)  # past another lease: nothing hands it out again
        assert _counts(env)[1:] == (1, 0)  # ... once
    finally:
        _stop(worker)
