"""How vsend spends its database round trips (ADR 39): rows recording a read commit without
waiting for the disk, every change waits; PostgreSQL prepares statements a connection repeats."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import Actor, record

PG = connection.vendor == "postgresql"
ASYNC = "SET LOCAL synchronous_commit = off"
pytestmark = pytest.mark.skipif(not PG, reason="PostgreSQL's commit and prepare behaviour")


def _write(action: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        record(Actor(user=None, path="/x/"), action, object_type="child", object_id=1, summary="s")
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db(transaction=True)
def test_a_read_on_its_own_commits_without_waiting_and_a_change_waits() -> None:
    assert ASYNC in _write(Action.VIEW)
    assert ASYNC not in _write(Action.UPDATE)
    assert ASYNC not in _write(Action.ACCESS_REFUSED)
    # Both rows are in the chain, committed.
    assert AuditEvent.objects.filter(action=Action.VIEW).exists()
    assert AuditEvent.objects.filter(action=Action.UPDATE).exists()


@pytest.mark.django_db(transaction=True)
def test_a_read_written_with_other_writes_keeps_their_durable_commit() -> None:
    with transaction.atomic():
        assert ASYNC not in _write(Action.VIEW)


@pytest.mark.django_db(transaction=True)
def test_durable_reads_can_be_chosen(settings) -> None:  # type: ignore[no-untyped-def]
    settings.VSEND_AUDIT_DURABLE_READS = True
    assert ASYNC not in _write(Action.VIEW)


@pytest.mark.django_db
def test_a_statement_run_again_on_a_connection_is_prepared() -> None:
    from vsend.children.models import Child

    for pk in (1, 2, 3):
        list(Child.objects.filter(pk=pk).only("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "children_child"' in s for s in statements), statements
