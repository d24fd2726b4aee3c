"""The heaviest pages a SENDCo opens, pinned to their number of queries, which must not grow with
the number of profiles, outcomes or actions; and what the pages show stays right."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_insights import make_profile
from vsend.profiles.models import OutcomeReview, Status, SupportAction, SupportOutcome
from vsend.profiles.selectors import is_latest, profile_view

# Statements, leaving out BEGIN and COMMIT (a test runs inside a transaction already). Signing in
# (session, user, memberships) is 3 of each: whether someone without an authenticator app has set
# one up since is asked again only when the session's last-seen time moves on (every 15 seconds
# of use at most). Opening a record is 1 and its audit entry on the hash chain 1 more on
# PostgreSQL (one statement advances the chain and inserts the row) or 3 elsewhere. The summary
# also reads the child's placement and the provision behind the plan's actions (one query for all
# of them); the record reads the child's statutory cases and moves between settings.
AUDIT = 0 if connection.vendor == "postgresql" else 2  # statements beyond one per audit row
SUMMARY_QUERIES = 12 + AUDIT
CHILD_RECORD_QUERIES = 16 + AUDIT
CHILD_LIST_QUERIES = 8 + AUDIT
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", re.IGNORECASE)


def _plan(profile, n: int) -> list[SupportOutcome]:
    outcomes = [
        SupportOutcome.objects.create(
            profile=profile,
            domain="communication",
            position=i,
            what=f"Outcome {profile.number}.{i}",
            how_we_will_know="Observed",
            by_when=date(2026, 12, 1),
        )
        for i in range(n)
    ]
    for i in range(n):
        SupportAction.objects.create(
            profile=profile,
            domain="communication",
            position=i,
            what=f"Action {profile.number}.{i}",
            who="Teacher",
            how_often="Daily",
            starts_on=date(2026, 10, 1),
        )
    return outcomes


def _versions(world, count: int, outcomes: int):
    by = world.users["sendco"]
    profiles, previous = [], None
    for number in range(1, count + 1):
        p = make_profile(
            world.child,
            number,
            date(2025, 1, 1 + number),
            [min(4, number % 5), 1, 2, 0, 1],
            previous=previous,
            by=by,
        )
        earlier = _plan(p, outcomes)
        if previous is not None:
            for o in SupportOutcome.objects.filter(profile=previous):
                OutcomeReview.objects.create(profile=p, outcome=o, result="met", note="")
        profiles.append(p)
        previous = p
        del earlier
    return profiles


def _count(client, url: str) -> tuple[int, str]:
    client.get(url)  # the first request warms per-process caches (frameworks, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    statements = [
        q["sql"] for q in queries.captured_queries if not TRANSACTION_CONTROL.match(q["sql"])
    ]
    return len(statements), response.content.decode()


@pytest.mark.parametrize("versions,outcomes", [(2, 1), (5, 4)])
def test_profile_summary_queries(world, as_user, versions, outcomes):
    profiles = _versions(world, versions, outcomes)
    client = as_user("sendco")
    latest, first = profiles[-1], profiles[0]
    n, html = _count(client, reverse("profiles:summary", kwargs={"pk": latest.pk}))
    assert n == SUMMARY_QUERIES
    assert "Start a review" in html  # the latest finalised profile may be reviewed
    assert f"Outcome {latest.number}.{outcomes - 1}" in html
    assert f"Action {latest.number}.{outcomes - 1}" in html
    assert html.count('href="/profiles/') >= versions  # every version listed
    n, html = _count(client, reverse("profiles:summary", kwargs={"pk": first.pk}))
    assert n == SUMMARY_QUERIES
    assert "Start a review" not in html  # a review was started from it already


@pytest.mark.parametrize("versions,outcomes", [(1, 1), (5, 4)])
def test_child_record_queries(world, as_user, versions, outcomes):
    profiles = _versions(world, versions, outcomes)
    n, html = _count(as_user("sendco"), reverse("children:detail", kwargs={"pk": world.child.pk}))
    assert n == CHILD_RECORD_QUERIES
    assert f"profile {profiles[-1].number}" in html  # "At a glance" shows the latest
    assert world.setting.name in html  # the current placement


def test_child_record_with_no_profile(world, as_user):
    n, html = _count(as_user("sendco"), reverse("children:detail", kwargs={"pk": world.child.pk}))
    # No ratings, outcomes, actions, provision behind them or reviews to read.
    assert n == CHILD_RECORD_QUERIES - 5
    assert world.child.first_name in html


def test_child_list_queries_do_not_grow_with_children(world, as_user):
    from vsend.children.models import Child, Enrolment

    client = as_user("sendco")
    n, html = _count(client, reverse("children:list"))
    assert n == CHILD_LIST_QUERIES
    for i in range(15):
        child = Child.objects.create(
            authority=world.authority,
            first_name=f"Extra{i}",
            last_name="Child",
            sex="F",
            date_of_birth=date(2018, 1, 1),
            sen_provision="K",
            primary_need="SLCN",
        )
        Enrolment.objects.create(child=child, setting=world.setting, started_on=date(2025, 9, 1))
    n, html = _count(client, reverse("children:list"))
    assert n == CHILD_LIST_QUERIES
    assert "Extra14" in html


def test_the_profile_view_reads_the_same_with_or_without_the_history(world):
    profiles = _versions(world, 3, 2)
    latest = type(profiles[-1]).objects.get(pk=profiles[-1].pk)
    cold = profile_view(type(latest).objects.get(pk=latest.pk))
    warm = profile_view(latest)
    for view in (cold, warm):
        assert [d.previous_need for d in view.domains] == [d.previous_need for d in cold.domains]
        assert [o.what for o in view.previous_outcomes] == ["Outcome 2.0", "Outcome 2.1"]
        assert [o.what for o in view.outcomes] == ["Outcome 3.0", "Outcome 3.1"]
        assert len(view.reviews) == 2
    assert cold.domains[0].previous_need == 2 and cold.domains[0].change == 1
    assert is_latest(latest) and not is_latest(profiles[0])
    assert profiles[0].status == Status.FINALISED
