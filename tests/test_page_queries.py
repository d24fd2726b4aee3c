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
# is 2 of each (the session, and the user read with their memberships: accounts.backends); whether
# someone without an authenticator app has set one up since is asked again only when the session's
# last-seen time moves on (every 15 seconds of use at most). Opening a record is 1 and its audit
# entry on the hash chain 1 more on PostgreSQL (one statement advances the chain and inserts the
# row) or 3 elsewhere. The summary also reads the child's placement and the provision behind the
# plan's actions (one query for all of them); the record reads the child's statutory cases,
# transition plans and moves between settings. The three views of need read the family's sent
# answers and the child's own "All about me" (one query each). A finalised profile's ratings,
# outcomes, actions, verdicts on the previous plan and the family's answers never change: a process
# reads them once (ADR 40), so the second request, counted here, does not read them again (a
# draft's ratings are read on every request that shows them: one query for all of a child's drafts;
# a summary shows only its own profile's and the one it reviewed).
AUDIT = 0 if connection.vendor == "postgresql" else 2  # statements beyond one per audit row
SUMMARY_QUERIES = 8 + AUDIT
CHILD_RECORD_QUERIES = 12 + AUDIT
CHILD_LIST_QUERIES = 7 + AUDIT
# The LA's pages read from stored rows: signing in, access, the settings, the stored rows'
# stamps (a row that changed since this process last read it costs one query more; _count
# measures the second of two requests), the cases of children at no setting (timeliness), and
# the audit entry; the same whatever the number of cases or children.
TIMELINESS_QUERIES = 11 + AUDIT
PROVISION_AUTHORITY_QUERIES = 7 + AUDIT
# The plan and its annual review, with need, provision and outcomes by area (two profiles and
# their ratings, the places in provision, the outcomes).
PLAN_QUERIES = 11 + AUDIT
REVIEW_QUERIES = 17 + AUDIT
# The family's home for a child and its access log (family/): see the tests at the end.
FAMILY_HOME_QUERIES = 10 + AUDIT
FAMILY_ACCESS_QUERIES = 10 + AUDIT
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


def test_the_summary_orders_in_sql_only_what_it_must(world, as_user):
    """Reads by primary key and a child's short lists (memberships, placements, versions) are
    sorted in Python: Django builds an ORDER BY over a wide row more slowly than the database
    runs the query. Only the child's newest "All about me" of many is ordered by the database."""
    latest = _versions(world, 3, 1)[-1]
    client = as_user("sendco")
    url = reverse("profiles:summary", kwargs={"pk": latest.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    ordered = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]
    assert len(ordered) == 1 and "voice_aboutme" in ordered[0], ordered
    # ...and what was sorted in Python is in order: the versions newest first.
    numbers = [int(n) for n in re.findall(r'href="/profiles/\d+/">Profile (\d+)</a>', html)]
    assert numbers == [3, 2, 1], numbers


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
    # No provision behind actions to read (the rest is kept once read, see above).
    assert n == CHILD_RECORD_QUERIES - 1
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


def test_the_authority_pages_read_stored_rows_whatever_the_cases(world, as_user):
    """The authority's provision view and statutory timeliness are read from the stored
    per-setting rows (ADR 25, ADR 32): the same number of queries with one case or twelve."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.conftest import _child
    from vsend.audit.services import Actor
    from vsend.insights.terms import previous_term, term_containing
    from vsend.statutory import services

    term = previous_term(term_containing(timezone.localdate()))

    def request(child) -> None:
        services.request_assessment(
            actor=Actor(user=world.users["sendco"]),
            child=child,
            requester="setting",
            setting=world.setting,
            reasons="Needs more help",
            received_on=term.starts + timedelta(days=7),
        )

    officer, admin = as_user("la_officer"), as_user("la_admin")
    timeliness, provision = reverse("statutory:timeliness"), reverse("provision:authority")
    request(world.child)
    _count(officer, timeliness)  # the stored rows of the term made on the first read
    _count(admin, provision)
    few = (_count(officer, timeliness)[0], _count(admin, provision)[0])
    for i in range(11):
        request(_child(world.authority, world.setting, f"Case{i}", date(2017, 1, 1)))
    many = (_count(officer, timeliness)[0], _count(admin, provision)[0])
    assert few == many == (TIMELINESS_QUERIES, PROVISION_AUTHORITY_QUERIES)


def _plan_with_outcomes(world, n: int):
    from tests.test_statutory_api import issued_plan
    from vsend.audit.services import Actor
    from vsend.statutory import services

    _, plan = issued_plan(world)
    for i in range(n):
        services.add_plan_outcome(
            actor=Actor(user=world.users["caseworker"]),
            plan=plan,
            areas=["semh", "independence"],
            outcome=f"Outcome {i}",
        )
    return plan


@pytest.mark.parametrize("outcomes", [1, 6])
def test_plan_and_review_pages_do_not_grow_with_outcomes(world, as_user, outcomes):
    plan = _plan_with_outcomes(world, outcomes)
    _versions(world, 2, 1)
    client = as_user("caseworker")
    n, html = _count(client, reverse("statutory:plan", kwargs={"pk": plan.pk}))
    assert n == PLAN_QUERIES, n
    assert f"Outcome {outcomes - 1}" in html
    review = plan.reviews.get()
    n, html = _count(client, reverse("statutory:case", kwargs={"pk": review.pk}))
    assert n == REVIEW_QUERIES, n
    assert f"Outcome {outcomes - 1}" in html


# The family's window (issue 15): the same reads however many profiles or log rows there are.
@pytest.mark.parametrize("versions", [2, 5])
def test_family_window_queries_do_not_grow_with_profiles(world, as_user, versions):
    _versions(world, versions, 1)
    n, page = _count(as_user("parent"), reverse("family:home", kwargs={"pk": world.child.pk}))
    assert n == FAMILY_HOME_QUERIES, n
    assert "The picture now" in page


@pytest.mark.parametrize("views", [3, 30])
def test_family_access_log_queries_do_not_grow_with_rows(world, as_user, views):
    sendco = as_user("sendco")
    for _ in range(views):
        sendco.get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    n, page = _count(as_user("parent"), reverse("family:access", kwargs={"pk": world.child.pk}))
    assert n == FAMILY_ACCESS_QUERIES, n
    assert "A SENDCo at Setting A1 looked at the record." in page


def test_the_summary_reads_the_provision_behind_its_actions_in_one_query(world, as_user):
    """Each action's places in provision come with their groups: one query however many."""
    from tests.provision_helpers import world_group
    from vsend.audit.services import Actor
    from vsend.provision import services as provision

    latest = _versions(world, 2, 3)[-1]
    actor = Actor(user=world.users["sendco"])
    talk = world_group(world).provision
    actions = list(SupportAction.objects.filter(profile=latest).order_by("position"))
    for i, action in enumerate(actions):
        provision.start_group(
            actor=actor,
            provision=talk,
            name=f"Talk group {i}",
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 12, 31),
            child_ids=[world.child.pk],
            action_id=action.pk,
            action_child_id=world.child.pk,
        )
    n, html = _count(as_user("sendco"), reverse("profiles:summary", kwargs={"pk": latest.pk}))
    assert n == SUMMARY_QUERIES
    for i in range(len(actions)):
        assert f"Talk group {i}" in html


def test_a_summary_reads_only_the_ratings_it_shows(world, as_user):
    """A finalised profile's summary beside a draft review reads no ratings (its own and the
    one it reviewed are kept); the draft's summary reads its own, which show its latest."""
    from vsend.profiles.models import DomainRating, Profile, Status

    first, second, third = _versions(world, 3, 1)
    third.status, third.finalised_at = Status.DRAFT, None
    third.save(update_fields=["status", "finalised_at"])
    client = as_user("sendco")
    n, html = _count(client, reverse("profiles:summary", kwargs={"pk": second.pk}))
    assert n == SUMMARY_QUERIES
    assert html.count('href="/profiles/') >= 3  # every version still listed
    client.get(reverse("profiles:summary", kwargs={"pk": second.pk}))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("profiles:summary", kwargs={"pk": second.pk}))
    assert not [q for q in queries.captured_queries if "profiles_domainrating" in q["sql"]]
    area = third.ratings.order_by("domain").first().domain
    DomainRating.objects.filter(profile=third, domain=area).update(need_level=4)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("profiles:summary", kwargs={"pk": third.pk}))
    read = [q["sql"] for q in queries.captured_queries if "profiles_domainrating" in q["sql"]]
    assert len(read) == 1, read
    assert f"IN ({third.pk})" in read[0] or f"= {third.pk}" in read[0], read
    assert page.status_code == 200
    fresh = Profile.objects.get(pk=third.pk)
    assert {d.domain.key: d.rating.need_level for d in profile_view(fresh).domains}[area] == 4


@pytest.mark.django_db
def test_a_finalised_profiles_ratings_are_read_once_and_a_drafts_every_time(world):
    from vsend.profiles import finalised, selectors
    from vsend.profiles.models import DomainRating, Status

    first, second = _versions(world, 2, 1)
    second.status, second.finalised_at = Status.DRAFT, None
    second.save(update_fields=["status", "finalised_at"])
    finalised.forget()
    selectors.history(world.child)
    with CaptureQueriesContext(connection) as again:
        versions = selectors.history(world.child)
        for version in versions:
            list(version.ratings.all())  # answered from what was read: no query
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
