"""Backups: scripts/restore_check.py restores a pg_dump into a new database and checks it passes
`vsend check` with the same row counts and the same audit trail; and it fails when they differ."""

import importlib.util
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from tests import processes as p
from tests.test_insights import make_profile

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "restore_check.py"


def _script():
    spec = importlib.util.spec_from_file_location("restore_check", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_count_differences_are_reported():
    compare = _script().compare_counts
    assert compare({"a": 1, "b": 2}, {"a": 1, "b": 2}) == []
    assert compare({"a": 1, "b": 2}, {"a": 1, "b": 3}) == ["b: 2 rows, 3 restored"]
    assert compare({"a": 1}, {}) == ["a: missing from the restored database"]


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "vsend.config.settings"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_a_dump_restores_with_the_same_counts_and_audit_trail(transactional_db, world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need the tests' database to be PostgreSQL")
    by = world.users["sendco"]
    first = make_profile(world.child, 1, date(2026, 3, 10), [2, 1, 1, 0, 1], by=by)
    make_profile(world.child, 2, date(2026, 10, 5), [3, 1, 2, 0, 1], previous=first, by=by)
    client = Client()
    client.force_login(by)
    assert client.get(f"/children/{world.child.pk}/").status_code == 200  # audited reads
    assert client.get(f"/profiles/{first.pk}/").status_code == 200

    url = p.database_url(connection.settings_dict)
    dump = tmp_path / "vsend.dump"
    pg_dump = shutil.which("pg_dump") or "pg_dump"
    subprocess.run([pg_dump, "--format=custom", "--file", str(dump), url], check=True)
    passed = _run(url, "--dump", str(dump))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "vsend check: passed" in passed.stdout
    assert "the same after restoring" in passed.stdout
    assert "Restore check passed." in passed.stdout

    # Something happens after the dump: the restored copy is no longer the same.
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    failed = _run(url, "--dump", str(dump))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "audit_auditevent:" in failed.stdout
    assert "the restored audit trail is not the original's" in failed.stdout
