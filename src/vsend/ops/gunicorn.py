"""Gunicorn settings for vsend: `gunicorn -c python:vsend.ops.gunicorn vsend.config.wsgi`.

Everything can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("VSEND_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = None  # vsend logs each request itself, as JSON with its request id
max_requests = 2000
max_requests_jitter = 200
# One control socket per user by default: two instances on one host would fight over it.
control_socket_disable = True
# The application (Django, WeasyPrint, every view: config/wsgi.py) is imported once, by the
# master, before it forks the workers: a worker started then or after max_requests is ready at
# once, instead of importing everything again while the others carry its share of requests. New
# code is loaded by restarting gunicorn (a HUP reloads the workers from the master's copy).
preload_app = True


def when_ready(server: object) -> None:
    """Workers must not share the master's connections: close any it opened while loading."""
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    for cache in caches.all(initialized_only=True):
        cache.close()


def child_exit(server: object, worker: object) -> None:
    """Forget a finished worker's live gauges (multi-process metrics, ops/metrics.py)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
