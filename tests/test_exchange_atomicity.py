"""An import process killed at any moment leaves its import wholly in or wholly out.

CI runs a few kills (on PostgreSQL against the test database; on SQLite against a copy of it in
a file, since a fork copies an in-memory database); `vsend exchange_killtest
--runs 200` is the full run (see README). The checker itself is tried on a half-applied
state, so it can fail.
"""

import io
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command

from vsend.children.models import Child, Enrolment


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_killing_the_import_process_never_half_applies(transactional_db, tmp_path):
    from django.db import connection

    if connection.vendor == "postgresql":  # the forked import process reaches the test database
        out = io.StringIO()
        call_command("exchange_killtest", runs=8, rows=40, seed=7, stdout=out)
        text = out.getvalue()
    else:  # an in-memory database is copied, not shared, by a fork: use a file of its own
        target = sqlite3.connect(tmp_path / "vsend.sqlite3")
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["VSEND_DATA_DIR"] = str(tmp_path)
        done = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-c",
                "from vsend.config.cli import main; main()",
                "exchange_killtest",
                "--runs",
                "8",
                "--rows",
                "40",
                "--seed",
                "7",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        text = done.stdout
    assert "0 half-applied imports" in text and "8 kills" in text, text


def test_the_checker_sees_a_half_applied_import(world):
    from vsend.audit.services import Actor
    from vsend.exchange.management.commands.exchange_killtest import Command, _csv
    from vsend.exchange.services import confirm_mapping, start_import

    imp = start_import(
        user=world.users["sendco"], setting=world.other_setting, file_name="k.csv", data=_csv(3, 4)
    )
    confirm_mapping(actor=Actor(user=imp.user), imp=imp, mapping=imp.mapping)
    # Two of the four children written without the rest, the import mark or its audit row.
    for n in range(2):
        child = Child.objects.create(
            authority=world.authority,
            first_name=f"P{n}",
            last_name="Kill3",
            date_of_birth="2016-02-01",
            sex="F",
        )
        Enrolment.objects.create(child=child, setting=world.other_setting, started_on="2026-01-01")
    Enrolment.objects.filter(setting=world.other_setting, child=world.other_setting_child).delete()
    outcome, problem = Command()._check(imp.pk, world.other_setting, 3, 4, killed=True)
    assert outcome == "killed, HALF-APPLIED" and "enrolled=2" in problem
