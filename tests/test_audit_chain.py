"""The hash chain over audit rows, and `vsend audit_verify`."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from vsend.audit.chain import GENESIS, row_hash, verify
from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import Actor, record

PG = connection.vendor == "postgresql"


def _rows(n: int) -> list[AuditEvent]:
    actor = Actor(user=None, ip_address="2001:db8::1", path="/children/")
    return [
        record(
            actor,
            Action.VIEW,
            object_type="child",
            object_id=i,
            summary=f"Row {i}",
            detail={"child_ids": [i, i + 1], "b": {"z": 1, "a": "é"}},
        )
        for i in range(n)
    ]


def _owner_sql(sql: str, params: list) -> None:
    """Change the table as its owner would: with the append-only triggers set aside."""
    with connection.cursor() as cursor:
        if PG:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute(sql, params)
            cursor.execute(
                "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
            )


def _verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    assert failure.value.returncode == 1
    return str(failure.value)


def test_each_row_is_linked_to_the_one_before(db):
    rows = _rows(3)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    # The hash holds for the row as the database gives it back.
    for r in rows:
        assert row_hash(AuditEvent.objects.get(pk=r.pk)) == r.hash
    assert verify().ok and verify().checked == 3


def test_the_verifier_reports_a_chain_that_holds(db, capsys):
    rows = _rows(2)
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "holds: 2 rows" in out and f"2:{rows[1].hash}" in out
    call_command("audit_verify", expect_head=f"2:{rows[1].hash}")


def test_the_verifier_finds_a_row_changed_by_the_tables_owner(db):
    rows = _rows(4)
    _owner_sql("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["Nothing", rows[2].pk])
    assert AuditEvent.objects.get(pk=rows[2].pk).summary == "Nothing"
    message = _verify_fails()
    assert f"audit row id {rows[2].pk} (row number 3)" in message
    assert "changed after it was written" in message


def test_the_verifier_finds_a_row_changed_with_its_hash_recomputed(db):
    rows = _rows(3)
    changed = AuditEvent.objects.get(pk=rows[1].pk)
    changed.summary = "Nothing"
    _owner_sql(
        "UPDATE audit_auditevent SET summary = %s, hash = %s WHERE id = %s",
        ["Nothing", row_hash(changed), rows[1].pk],
    )
    assert f"audit row id {rows[2].pk}" in _verify_fails()


def test_the_verifier_finds_a_removed_row(db):
    rows = _rows(3)
    with connection.cursor() as cursor:
        if PG:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
        if PG:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    assert "row number 2 is missing" in _verify_fails()


def test_the_verifier_finds_a_whole_chain_rewritten_from_a_recorded_head(db):
    rows = _rows(2)
    anchor = f"2:{rows[1].hash}"
    changed = AuditEvent.objects.get(pk=rows[1].pk)
    changed.summary = "Nothing"
    _owner_sql(
        "UPDATE audit_auditevent SET summary = %s, hash = %s WHERE id = %s",
        ["Nothing", row_hash(changed), rows[1].pk],
    )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_chainhead SET last_hash = %s", [row_hash(changed)])
    call_command("audit_verify")  # consistent on its own ...
    with pytest.raises(CommandError, match="rewritten"):
        call_command("audit_verify", expect_head=anchor)  # ... but not with the recorded head


def test_the_verifier_finds_a_row_written_outside_the_chain(db):
    _rows(1)
    AuditEvent.objects.create(action=Action.VIEW)  # not through record()
    assert "outside the chain" in _verify_fails()


@pytest.mark.skipif(not PG, reason="SQLite's test database is one in-memory connection")
@pytest.mark.django_db(transaction=True)
def test_rows_appended_at_once_from_many_connections_do_not_fork_the_chain():
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                with transaction.atomic():
                    record(Actor(user=None), Action.VIEW, summary=f"thread {n} row {i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    verdict = verify()
    assert verdict.ok and verdict.checked == 80


@pytest.mark.skipif(PG, reason="runs on its own SQLite file; the PostgreSQL case is above")
def test_processes_appending_to_one_sqlite_file_do_not_fork_the_chain(tmp_path):
    script = Path(__file__).parent / "scripts" / "chain_processes.py"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "vsend.config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chain.sqlite3'}",
        "VSEND_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("True 100")


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_rows_written_before_it():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_append_only_triggers")])
    with connection.cursor() as cursor:
        for i in range(3):
            cursor.execute(
                "INSERT INTO audit_auditevent (at, actor_label, action, object_type, object_id,"
                " child_id, summary, detail, channel, ip_address, user_agent, path)"
                " VALUES (%s, %s, 'view', 'child', %s, %s, 'Record viewed', %s, 'web',"
                " '127.0.0.1', '', '/')",
                [
                    f"2026-11-2{i} 10:00:00.123456+00:00",
                    "a@example.org",
                    str(i),
                    i,
                    '{"fields": ["upn"], "n": 1}',
                ],
            )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    verdict = verify()
    assert verdict.ok and verdict.checked == 3
    # The append-only trigger is still there after the back-fill.
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'x'")
    record(Actor(user=None), Action.VIEW, summary="After the migration")
    assert verify().checked == 4


def test_an_address_hashes_the_same_however_it_is_written(db):
    row = record(Actor(user=None, ip_address="::ffff:192.0.2.1"), Action.VIEW, summary="mapped")
    stored = AuditEvent.objects.get(pk=row.pk)
    assert row_hash(stored) == row.hash
    assert verify().ok
