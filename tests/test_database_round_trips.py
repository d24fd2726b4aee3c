"""How vsend spends its database round trips (ADR 40): rows recording a read commit without
waiting for the disk, every change waits; PostgreSQL prepares statements a connection repeats."""

import os

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import Actor, record

PG = connection.vendor == "postgresql"
ASYNC = "set_config('synchronous_commit', 'off', true)"
pytestmark = pytest.mark.skipif(not PG, reason="PostgreSQL's commit and prepare behaviour")


def _statements(sql: list[str]) -> list[str]:
    return [s for s in sql if ASYNC in s]


def _write(action: str, *, page_view: bool = True) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        record(
            Actor(user=None, path="/x/"),
            action,
            object_type="child",
            object_id=1,
            summary="s",
            page_view=page_view,
        )
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db(transaction=True)
def test_a_page_view_on_its_own_commits_without_waiting_and_a_change_waits() -> None:
    _write(Action.UPDATE)  # an emptied database starts its chain head first
    viewed = _write(Action.VIEW)
    # One statement, its own transaction: no BEGIN, SET or COMMIT around it.
    assert len(viewed) == 1 and _statements(viewed), viewed
    assert not _statements(_write(Action.UPDATE))
    assert not _statements(_write(Action.ACCESS_REFUSED))
    # Both rows are in the chain, committed.
    assert AuditEvent.objects.filter(action=Action.VIEW).exists()
    assert AuditEvent.objects.filter(action=Action.UPDATE).exists()


@pytest.mark.django_db(transaction=True)
def test_an_export_download_or_list_waits_for_the_disk() -> None:
    assert not _statements(_write(Action.VIEW, page_view=False))


@pytest.mark.django_db(transaction=True)
def test_opening_a_profile_is_a_page_view_and_downloading_its_pdf_is_not(world) -> None:  # type: ignore[no-untyped-def]
    from tests.test_page_queries import _versions
    from vsend.profiles import selectors

    profile = _versions(world, 1, 1)[-1]
    actor = Actor(user=world.users["sendco"], path="/p/")
    with CaptureQueriesContext(connection) as opened:
        selectors.open_profile(actor, profile.pk)
    with CaptureQueriesContext(connection) as downloaded:
        selectors.open_profile(actor, profile.pk, "PDF downloaded", page_view=False)
    assert _statements([q["sql"] for q in opened.captured_queries])
    assert not _statements([q["sql"] for q in downloaded.captured_queries])


@pytest.mark.django_db(transaction=True)
def test_a_read_written_with_other_writes_keeps_their_durable_commit() -> None:
    with transaction.atomic():
        assert not _statements(_write(Action.VIEW))


@pytest.mark.django_db(transaction=True)
def test_durable_reads_can_be_chosen(settings) -> None:  # type: ignore[no-untyped-def]
    settings.VSEND_AUDIT_DURABLE_READS = True
    assert not _statements(_write(Action.VIEW))


@pytest.mark.django_db(transaction=True)
def test_the_page_views_own_statement_commits_without_waiting_and_only_it() -> None:
    """The statement a page view is written with, run again with its RETURNING asking for the
    setting: off while it runs, as it was before once it has committed."""
    sent: list[tuple[str, list]] = []

    def keep(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        _write(Action.VIEW)
    sql, params = next((q, p) for q, p in sent if "audit_auditevent" in q)
    probe = sql.replace("RETURNING id, seq, prev_hash, hash", "RETURNING current_setting(%s)")
    assert probe != sql
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = on")  # the session's own, whatever the server's
        cursor.execute(probe, [*params, "synchronous_commit"])
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)
        cursor.execute("RESET synchronous_commit")


@pytest.mark.django_db(transaction=True)
def test_without_autocommit_a_page_view_waits_like_everything_else() -> None:
    connection.set_autocommit(False)
    try:
        assert not _statements(_write(Action.VIEW))
    finally:
        connection.rollback()
        connection.set_autocommit(True)


@pytest.mark.django_db
def test_a_statement_run_again_on_a_connection_is_prepared() -> None:
    from vsend.children.models import Child

    for pk in (1, 2, 3):
        list(Child.objects.filter(pk=pk).only("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "children_child"' in s for s in statements), statements


@pytest.mark.django_db
def test_a_finalised_profile_is_read_once_and_its_provision_every_time(world) -> None:  # type: ignore[no-untyped-def]
    """What never changes is read once per process; the provision carrying out each action is
    read on every visit."""
    from tests.test_page_queries import _versions
    from vsend.profiles import finalised, selectors

    profile = _versions(world, 2, 2)[-1]
    finalised.forget()
    with CaptureQueriesContext(connection) as first:
        finalised.parts(profile)
    with CaptureQueriesContext(connection) as again:
        parts = finalised.parts(profile)

    def tables(queries: CaptureQueriesContext) -> str:
        return " ".join(q["sql"] for q in queries.captured_queries)

    kept = ("profiles_supportoutcome", "profiles_supportaction", "profiles_outcomereview")
    for table in (*kept, "profiles_familyanswers"):
        assert table in tables(first)
        assert table not in tables(again)
    assert "provision_place" in tables(again)
    assert [o.what for o in parts[0]] == ["Outcome 2.0", "Outcome 2.1"]
    assert [o.what for o in parts[1]] == ["Outcome 1.0", "Outcome 1.1"]
    assert len(parts[3]) == 2  # the verdicts on the first profile's outcomes
    assert parts[4] is None  # the family was not asked
    assert [o.pk for o in selectors.profile_view(profile).outcomes] == [o.pk for o in parts[0]]


@pytest.mark.django_db
def test_a_draft_is_read_afresh_every_time(world) -> None:  # type: ignore[no-untyped-def]
    from tests.test_page_queries import _versions
    from vsend.profiles import finalised
    from vsend.profiles.models import Status

    draft = _versions(world, 1, 1)[-1]
    draft.status, draft.finalised_at = Status.DRAFT, None
    finalised.parts(draft)
    with CaptureQueriesContext(connection) as again:
        finalised.parts(draft)
    assert "profiles_supportoutcome" in " ".join(q["sql"] for q in again.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_audit_verify_makes_every_row_durable_before_it_prints_the_head() -> None:
    from django.core.management import call_command

    _write(Action.VIEW)  # committed without waiting
    with CaptureQueriesContext(connection) as queries:
        call_command("audit_verify", stdout=open(os.devnull, "w"))  # noqa: SIM115
    statements = [q["sql"] for q in queries.captured_queries]
    first_read = next(i for i, s in enumerate(statements) if "audit_auditevent" in s)
    assert any('UPDATE "audit_chainhead"' in s for s in statements[:first_read])
