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
def test_the_relaxed_commit_lasts_for_its_own_statement_only() -> None:
    """What the page view's statement relies on: set_config(..., true) in a statement run on
    its own holds while that statement's transaction commits, and is gone afterwards."""
    from vsend.audit.chain import RELAXED_SQL

    with connection.cursor() as cursor:
        statement = (
            "WITH " + RELAXED_SQL + "x AS (SELECT 1) SELECT current_setting(%s) FROM x, relaxed"  # noqa: S608 - constants only
        )
        cursor.execute(statement, ["synchronous_commit"])
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)


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


@pytest.mark.django_db
def test_a_finalised_profiles_ratings_are_read_once_and_a_drafts_every_time(world) -> None:  # type: ignore[no-untyped-def]
    from tests.test_page_queries import _versions
    from vsend.profiles import finalised, selectors
    from vsend.profiles.models import DomainRating, Status

    first, second = _versions(world, 2, 1)
    second.status, second.finalised_at = Status.DRAFT, None
    second.save(update_fields=["status", "finalised_at"])
    finalised.forget()
    selectors.history(world.child)
    with CaptureQueriesContext(connection) as again:
        versions = selectors.history(world.child)
    ratings = [q["sql"] for q in again.captured_queries if "profiles_domainrating" in q["sql"]]
    assert len(ratings) == 1  # the draft's, not the finalised profile's
    assert f"IN ({second.pk})" in ratings[0] or f"= {second.pk}" in ratings[0]
    # A change to the draft shows at once; the finalised profile's ratings are as they were.
    area = second.ratings.order_by("domain").first().domain
    DomainRating.objects.filter(profile=second, domain=area).update(need_level=4)
    versions = selectors.history(world.child)
    by_pk = {p.pk: {r.domain: r.need_level for r in p.ratings.all()} for p in versions}
    assert by_pk[second.pk][area] == 4
    assert by_pk[first.pk] == dict(first.ratings.values_list("domain", "need_level"))
    # Kept ratings point to no request's profile, and each request gets its own objects.
    kept = [r for p in versions if p.pk == first.pk for r in p.ratings.all()]
    assert all("profile" not in r._state.fields_cache for r in kept)
    again_kept = [
        r for p in selectors.history(world.child) if p.pk == first.pk for r in p.ratings.all()
    ]
    assert not {id(r) for r in kept} & {id(r) for r in again_kept}
