"""Prometheus metrics through prometheus-client (ADR 22).

- vsend_request_seconds{view,method,status}: every request's server time, by the URL's name.
- vsend_dashboard_seconds{part}: time spent computing dashboard figures (cache misses only).
- vsend_job_failures_total{job,final}: job attempts that raised (final: no attempt left).
- vsend_job_queue_depth, vsend_job_retries_waiting, vsend_jobs_failed_stored: read from the
  queue's tables when the metrics are scraped, so they are right whichever process is asked.

Under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty directory, the same for every process of
one host) so the figures of all workers are added up; `vsend/ops/gunicorn.py` tidies it.
"""

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

request_log = logging.getLogger("vsend.requests")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10)

REQUEST_SECONDS = Histogram(
    "vsend_request_seconds",
    "Server time of a request, by the view's URL name",
    ["view", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
DASHBOARD_SECONDS = Histogram(
    "vsend_dashboard_seconds",
    "Time spent computing dashboard figures that were not in the cache",
    ["part"],
    buckets=LATENCY_BUCKETS,
)
JOB_FAILURES = Counter(
    "vsend_job_failures",
    "Job attempts that raised an error (final: it will not be tried again)",
    ["job", "final"],
)


QUEUE_METRICS = {
    "vsend_job_queue_depth": "Jobs queued, not yet done",
    "vsend_job_retries_waiting": "Failed jobs waiting to be tried again",
    "vsend_jobs_failed_stored": "Jobs the worker recorded as failed",
}


class QueueCollector(Collector):
    """The job queue as stored in the database, read at scrape time."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """The metrics' names, without reading the database (asked when registering)."""
        for name, doc in QUEUE_METRICS.items():
            yield GaugeMetricFamily(name, doc)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db import DatabaseError
        from django_q.models import Failure, OrmQ, Schedule

        try:
            depth = OrmQ.objects.count()
            retries = Schedule.objects.filter(name__startswith="Retry ").count()
            failed = Failure.objects.count()
        except DatabaseError:
            return
        for (name, doc), value in zip(QUEUE_METRICS.items(), (depth, retries, failed), strict=True):
            yield GaugeMetricFamily(name, doc, value=value)


_queue_collector = QueueCollector()


def register_collectors() -> None:
    if not multiprocess_dir():
        try:
            REGISTRY.register(_queue_collector)
        except ValueError:
            pass  # registered already (the app was set up twice)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def exposition() -> bytes:
    """Every metric in Prometheus' text format, added up over all processes when multi-process."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_queue_collector)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@contextmanager
def timed_dashboard(part: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        DASHBOARD_SECONDS.labels(part=part[:40]).observe(time.perf_counter() - start)


def job_failed(job: str, final: bool) -> None:
    JOB_FAILURES.labels(job=job, final="yes" if final else "no").inc()


class RequestMetricsMiddleware:
    """Times each request from the outermost middleware, labelled by the URL's name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        seconds = time.perf_counter() - start
        REQUEST_SECONDS.labels(
            view=view, method=request.method or "", status=f"{response.status_code // 100}xx"
        ).observe(seconds)
        request_log.info(
            "%s %s %s",
            request.method,
            view,
            response.status_code,
            extra={"view": view, "status": response.status_code, "ms": round(seconds * 1000, 1)},
        )
        return response


def metrics_response() -> HttpResponse:
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
