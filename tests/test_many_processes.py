"""Two gunicorn instances and a job worker on one PostgreSQL database and one Redis: a change
made through one instance is seen at once through the other, a dashboard computed by one is
served by the other from the shared cache, a session made on one works on the other, and a job
queued through one is done by the worker and downloaded through the other.

Runs wherever PostgreSQL and Redis answer on loopback (CI starts both); skipped otherwise."""

import os
import time
import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests import processes as p
from tests.conftest import PASSWORD
from tests.test_insights import make_profile
from vsend.accounts.services import create_api_token
from vsend.audit.services import SYSTEM

METRICS_TOKEN = "many-processes-metrics-token-0123"


@pytest.fixture
def services(transactional_db):
    """The test database (committed as it goes, so other processes read it) and Redis."""
    redis = p.redis_url()
    if connection.vendor != "postgresql":
        pytest.skip(
            "runs when the tests' database is PostgreSQL (DATABASE_URL): several processes "
            "cannot share the in-memory SQLite test database"
        )
    if redis is None:
        reason = "needs Redis on 127.0.0.1:6379"
        if p.required():
            pytest.fail(reason)
        pytest.skip(reason)
    return p.database_url(connection.settings_dict), redis


def _seed(world) -> tuple[str, int, int, int, str]:
    by = world.users["sendco"]
    earlier = make_profile(world.child, 1, date(2026, 3, 10), [2, 1, 1, 0, 1], by=by)
    final = make_profile(
        world.child, 2, date(2026, 10, 5), [3, 1, 2, 0, 1], previous=earlier, by=by
    )
    draft = make_profile(
        world.classmate, 1, date(2026, 10, 6), [1, 1, 1, 1, 1], status="draft", by=by
    )
    token = create_api_token(actor=SYSTEM, user=by, name="processes")
    # The servers check passwords with the production hashers, not the tests' fast one.
    by.password = PBKDF2PasswordHasher().encode(PASSWORD, "processes-salt")
    by.save(update_fields=["password"])
    return token, world.setting.pk, draft.pk, final.pk, by.email


def test_two_instances_a_worker_one_database_and_one_redis(services, world, tmp_path: Path):
    database, redis = services
    token, setting, draft, final, email = _seed(world)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "VSEND_CACHE_PREFIX": f"processes-{uuid.uuid4().hex[:8]}",
        "VSEND_METRICS_TOKEN": METRICS_TOKEN,
        "VSEND_DATA_DIR": str(tmp_path),
        "VSEND_ENV": "development",
        "VSEND_LOG_FORMAT": "json",
        "VSEND_DEMO_PASSWORD": PASSWORD,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "vsend.config.settings",
    }
    ports = p.free_port(), p.free_port()
    running = [
        p.gunicorn(env, ports[0], tmp_path / "a.log"),
        p.gunicorn(env, ports[1], tmp_path / "b.log"),
        p.worker(env, tmp_path / "worker.log"),
    ]
    try:
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        for base in (a, b):
            p.wait_ready(base)
        _check(a, b, token, setting, draft, final, email)
    finally:
        for process in running:
            p.stop(process)
        import redis as redis_client

        r = redis_client.Redis.from_url(redis)
        for key in r.scan_iter(f"{env['VSEND_CACHE_PREFIX']}:*"):
            r.delete(key)


def _check(a: str, b: str, token: str, setting: int, draft: int, final: int, email: str) -> None:
    api = {"Authorization": f"Bearer {token}"}
    scraper = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    with httpx.Client(headers=api, timeout=30) as client:
        # Readiness says both the database and the shared cache answer.
        assert client.get(f"{b}/readyz").json()["checks"] == {"database": "ok", "cache": "ok"}

        # A change through A is seen at once through B.
        before = client.get(f"{b}/api/v1/profiles/{draft}/").json()
        key = before["ratings"][0]["domain"]
        level = (before["ratings"][0]["need_level"] or 0) % 4 + 1
        changed = client.patch(
            f"{a}/api/v1/profiles/{draft}/",
            json={"lock_version": before["lock_version"], "ratings": {key: {"need_level": level}}},
        )
        assert changed.status_code == 200, changed.text
        seen = client.get(f"{b}/api/v1/profiles/{draft}/").json()
        assert seen["lock_version"] == before["lock_version"] + 1
        assert seen["ratings"][0]["need_level"] == level

        # A filtered dashboard (computed, not read from the stored rows) computed through B is
        # served through A from the shared cache.
        insight = f"/api/v1/insight/settings/{setting}/?sen_provision=K"
        first = client.get(f"{b}{insight}")
        assert first.status_code == 200, first.text
        computed_by_b = sample(client.get(f"{b}/metrics", headers=scraper).text, _DASH)
        assert computed_by_b > 0
        second = client.get(f"{a}{insight}")
        assert second.json() == first.json()
        assert sample(client.get(f"{a}/metrics", headers=scraper).text, _DASH) == 0

        # A job queued through A is done by the worker and downloaded through B.
        queued = client.get(f"{a}/api/v1/profiles/{final}/pdf", follow_redirects=False)
        assert queued.status_code in (200, 202), queued.text
        if queued.status_code == 202:
            status_url = b + queued.headers["Location"]
            deadline = time.monotonic() + 120
            answer = client.get(status_url, follow_redirects=False)
            while answer.status_code != 303 and time.monotonic() < deadline:
                time.sleep(0.5)
                answer = client.get(status_url, follow_redirects=False)
            assert answer.status_code == 303, answer.text
            pdf = client.get(b + answer.headers["Location"])
        else:
            pdf = queued
        assert pdf.content.startswith(b"%PDF")

    # A session made by signing in through A is a session on B too.
    with httpx.Client(timeout=30) as browser:
        form = browser.get(f"{a}/sign-in/")
        csrf = form.cookies.get("vsend_csrftoken") or browser.cookies.get("vsend_csrftoken")
        signed_in = browser.post(
            f"{a}/sign-in/",
            data={
                "csrfmiddlewaretoken": csrf,
                "username": email,
                "password": PASSWORD,
            },
            headers={"Referer": f"{a}/sign-in/"},
        )
        assert signed_in.status_code == 302, signed_in.text[:500]
        home = browser.get(f"{b}/", follow_redirects=False)
        assert home.status_code == 200
        assert "Sign out" in home.text


_DASH = "vsend_dashboard_seconds_count"


def sample(text: str, name: str) -> float:
    """The sum of a metric's samples over all its labels."""
    return sum(
        float(line.rpartition(" ")[2])
        for line in text.splitlines()
        if line.split("{")[0].split(" ")[0] == name
    )
