"""Operations: request ids, JSON logs, the protected metrics endpoint, readiness with the shared
cache, and the cache and session settings REDIS_URL selects."""

import json
import logging
import os
import socket
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client

from vsend.ops.logs import JsonFormatter, RequestIdFilter, current_request_id, logging_config
from vsend.ops.metrics import job_failed, timed_dashboard

TOKEN = "a-metrics-token-for-tests-0123456789"


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def scrape(client: Client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return response.content.decode()


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 if absent)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        if head.split("{")[0] != name:
            continue
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            return float(value)
    return 0.0


# Request ids


def test_every_response_carries_a_request_id(db):
    first = Client().get("/healthz")
    second = Client().get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_plain_request_id_from_the_proxy_is_kept_and_anything_else_replaced(db):
    kept = Client().get("/healthz", HTTP_X_REQUEST_ID="proxy-abc-12345678")
    assert kept["X-Request-ID"] == "proxy-abc-12345678"
    replaced = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(replaced["X-Request-ID"]) == 32


def test_log_lines_written_during_a_request_carry_its_id(db, caplog):
    with caplog.at_level(logging.INFO, logger="vsend.requests"):
        response = Client().get("/healthz")
    records = [r for r in caplog.records if r.name == "vsend.requests"]
    assert records
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["request_id"] == response["X-Request-ID"]
    assert line["view"] == "healthz"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert isinstance(line["ms"], float)


def test_json_formatter_writes_one_object_with_the_current_request_id():
    token = current_request_id.set("req-0001-abcdef")
    try:
        record = logging.makeLogRecord(
            {"name": "vsend.test", "levelname": "WARNING", "msg": "Job %s failed", "args": (7,)}
        )
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        current_request_id.reset(token)
    assert line["message"] == "Job 7 failed"
    assert line["request_id"] == "req-0001-abcdef"
    assert line["logger"] == "vsend.test"


def test_logging_config_chooses_json_or_text():
    assert logging_config("json", "INFO")["formatters"] == {
        "vsend": {"()": "vsend.ops.logs.JsonFormatter"}
    }
    text = logging_config("text", "INFO")["formatters"]
    assert "%(request_id)s" in text["vsend"]["format"]  # type: ignore[index]


# Metrics


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}"])
def test_metrics_are_not_found_without_the_token(db, settings, header):
    settings.VSEND_METRICS_TOKEN = TOKEN
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert Client().get("/metrics", **extra).status_code == 404


def test_metrics_are_not_found_when_no_token_is_configured(db, settings):
    settings.VSEND_METRICS_TOKEN = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_report_latency_by_view(db, settings):
    settings.VSEND_METRICS_TOKEN = TOKEN
    client = Client()
    before = sample(scrape(client), "vsend_request_seconds_count", view="healthz", status="2xx")
    for _ in range(3):
        client.get("/healthz")
    after = sample(scrape(client), "vsend_request_seconds_count", view="healthz", status="2xx")
    assert after == before + 3


def test_metrics_report_queue_depth_and_failures(db, settings, monkeypatch):
    from django_q.conf import Conf

    from vsend.jobs import queue

    settings.VSEND_METRICS_TOKEN = TOKEN
    monkeypatch.setattr(Conf, "SYNC", False)
    client = Client()
    assert sample(scrape(client), "vsend_job_queue_depth") == 0
    queue.enqueue("jobs.check", "metrics")
    queue.enqueue("jobs.check", "metrics")
    assert sample(scrape(client), "vsend_job_queue_depth") == 2

    failed = sample(scrape(client), "vsend_job_failures_total", job="jobs.check", final="yes")
    job_failed("jobs.check", final=True)
    assert sample(scrape(client), "vsend_job_failures_total", job="jobs.check", final="yes") == (
        failed + 1
    )


def test_a_failing_job_attempt_is_counted(db, settings, monkeypatch):
    from vsend.jobs import queue

    settings.VSEND_METRICS_TOKEN = TOKEN
    settings.VSEND_JOB_ATTEMPTS = 1

    def boom(label: str) -> None:
        raise RuntimeError("no")

    monkeypatch.setattr("vsend.jobs.checks.check", boom)
    before = sample(scrape(Client()), "vsend_job_failures_total", job="jobs.check", final="yes")
    queue.run("jobs.check", ["x"], attempt=1)
    after = sample(scrape(Client()), "vsend_job_failures_total", job="jobs.check", final="yes")
    assert after == before + 1


def test_dashboard_computation_is_timed_on_a_cache_miss_only(db, settings):
    from vsend.insights.cache import cached

    settings.VSEND_METRICS_TOKEN = TOKEN
    client = Client()
    before = sample(scrape(client), "vsend_dashboard_seconds_count", part="ops-test")
    assert cached(1, ("ops-test", 1), lambda: 41) == 41
    assert cached(1, ("ops-test", 1), lambda: 42) == 41  # from the cache: not computed again
    with timed_dashboard("ops-test"):
        pass
    assert sample(scrape(client), "vsend_dashboard_seconds_count", part="ops-test") == before + 2


# Readiness and the shared cache


def test_readiness_without_redis_checks_only_the_database(db, settings):
    settings.REDIS_URL = ""
    body = Client().get("/readyz").json()
    assert body == {"status": "ok", "checks": {"database": "ok"}}


def test_readiness_fails_when_the_shared_cache_is_down(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unreachable"}


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_readiness_and_the_cache_with_redis(db, settings):
    url = "redis://127.0.0.1:6379/13"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    response = Client().get("/readyz")
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    cache.set("ops-shared", {"figures": [1, 2]})
    import redis

    assert redis.Redis.from_url(url).exists(":1:ops-shared") == 1  # really in Redis
    cache.clear()


def _settings_with(env: dict[str, str]) -> dict[str, str]:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], "
        "'location': s.CACHES['default'].get('LOCATION', ''), 'session': s.SESSION_ENGINE}))"
    )
    clean = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "vsend.config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_redis_url_selects_djangos_redis_cache_and_cached_sessions():
    shared = _settings_with({"REDIS_URL": "redis://127.0.0.1:6379/2"})
    assert shared == {
        "cache": "django.core.cache.backends.redis.RedisCache",
        "location": "redis://127.0.0.1:6379/2",
        "session": "django.contrib.sessions.backends.cached_db",
    }
    local = _settings_with({})
    assert local["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert local["session"] == "django.contrib.sessions.backends.db"
