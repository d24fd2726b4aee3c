"""`vsend bench insight`: a synthetic authority the size of the largest in England, and the
median server time of the dashboards beside the floor (the main aggregate as one raw query)."""

import random
import statistics
import time
from datetime import date, timedelta
from typing import Any, Protocol

from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.children.models import Child, Enrolment
from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import cache as insight_cache
from vsend.insights import cohort_sql, queries
from vsend.insights.dashboards import _dates
from vsend.insights.queries import Filters, Scope
from vsend.insights.terms import previous_term, term_containing
from vsend.organisations.models import LocalAuthority, Locality, Setting
from vsend.profiles.models import DomainRating, Profile, Status


class Out(Protocol):
    def write(self, text: str) -> Any: ...


CODE, NAME = "999", "Benchmark County Council"
EMAIL = "bench.admin@benchmark.example"
CHUNK = 4000


@transaction.atomic
def _build(
    out: Out,
    children: int,
    settings_count: int,
    localities: int,
    *,
    code: str = CODE,
    name: str = NAME,
    email: str = EMAIL,
    seed: int = 60_000,
) -> LocalAuthority:
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    started = time.perf_counter()
    authority = LocalAuthority.objects.create(name=name, code=code)
    locs = Locality.objects.bulk_create(
        [Locality(authority=authority, name=f"Locality {i + 1}") for i in range(localities)]
    )
    kinds = (
        ["primary"] * 6 + ["secondary"] * 2 + ["special", "early_years", "post_16", "all_through"]
    )
    settings_ = Setting.objects.bulk_create(
        [
            Setting(
                authority=authority,
                locality=locs[i % localities],
                name=f"Setting {i + 1:03d}",
                urn=f"{(990000 + i + 1000 * (seed - 60_000)) % 1_000_000:06d}",
                setting_type=kinds[i % len(kinds)],
            )
            for i in range(settings_count)
        ]
    )
    user, _ = User.objects.get_or_create(
        email=email, defaults={"full_name": "Benchmark administrator"}
    )
    Membership.objects.get_or_create(user=user, role=Role.LA_ADMIN, authority=authority)
    framework = registry.current("5_to_25")
    today = timezone.localdate()
    terms = [
        previous_term(previous_term(term_containing(today))),
        previous_term(term_containing(today)),
        term_containing(today),
    ]
    needs = list(DOMAIN_KEYS)
    for start in range(0, children, CHUNK):
        batch = Child.objects.bulk_create(
            [
                Child(
                    authority=authority,
                    first_name=f"Child{i}",
                    last_name="Synthetic",
                    date_of_birth=date(2008 + i % 15, 1 + i % 12, 1 + i % 28),
                    sex="M" if rng.random() < 0.68 else "F",
                    sen_provision="E" if rng.random() < 0.3 else "K",
                    primary_need=rng.choice(["ASD", "SLCN", "SEMH", "MLD", "SPLD", "PD", "SLD"]),
                )
                for i in range(start, min(start + CHUNK, children))
            ],
            batch_size=2000,
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    child=c,
                    setting=settings_[c.pk % settings_count],
                    started_on=date(2024, 9, 1),
                )
                for c in batch
            ],
            batch_size=2000,
        )
        profiles = []
        for c in batch:
            for n, term in enumerate(terms):
                assessed = term.starts + timedelta(days=rng.randint(10, 40))
                profiles.append(
                    Profile(
                        child=c,
                        number=n + 1,
                        status=Status.FINALISED,
                        framework_id=framework.id,
                        framework_version=framework.version,
                        framework_checksum=framework.checksum,
                        age_band="5_to_25",
                        assessment_date=assessed,
                        review_date=assessed + timedelta(weeks=7),
                        superseded_on=None if n == 2 else terms[n + 1].starts + timedelta(days=10),
                        completed_steps=["about", "needs", "readiness", "home", "plan"],
                        created_by=user,
                    )
                )
        Profile.objects.bulk_create(profiles, batch_size=2000)
        ratings = []
        for p in profiles:
            base = rng.randint(0, 3)
            for k in needs:
                need = max(0, min(4, base + rng.choice([-1, 0, 0, 1])))
                ratings.append(
                    DomainRating(
                        profile_id=p.pk,
                        domain=k,
                        need_level=need,
                        readiness_level=max(0, need + rng.choice([-2, -1, 0, 0, 1])),
                        confidence_level=max(0, need + rng.choice([-2, -1, 0, 1])),
                    )
                )
        DomainRating.objects.bulk_create(ratings, batch_size=5000)
        out.write(f"  built {min(start + CHUNK, children):,} of {children:,} children\n")
    insight_cache.bump(authority.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out.write(f"Built {name} in {time.perf_counter() - started:.0f} s\n")
    return authority


def _median_ms(fn: Any, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(
    out: Out,
    *,
    children: int,
    settings_count: int,
    localities: int,
    runs: int | None,
) -> None:
    runs = runs or 15
    existing = LocalAuthority.objects.filter(code=CODE).first()
    if existing is not None and Child.objects.filter(authority=existing).count() != children:
        out.write(
            f"{NAME} already exists with a different number of children: use a fresh database "
            "(for example VSEND_DATA_DIR=/tmp/bench) to build one of another size.\n"
        )
        return
    authority = existing or _build(out, children, settings_count, localities)
    setting = Setting.objects.filter(authority=authority).order_by("pk")[settings_count // 2]
    user = User.objects.get(email=EMAIL)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = (
        Child.objects.filter(authority=authority).count(),
        Profile.objects.filter(child__authority=authority).count(),
    )
    out.write(
        f"{NAME}: {counts[0]:,} children with SEN, {counts[1]:,} profiles, "
        f"{Setting.objects.filter(authority=authority).count()} settings, database {connection.vendor}\n"
    )

    def page(url: str) -> Any:
        def go() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return go

    today = timezone.localdate()
    dates = _dates(today)
    cohort_all = cohort_sql._cohort_sql(Scope(authority.pk), Filters(), today)
    cohort_one = cohort_sql._cohort_sql(
        Scope(authority.pk, setting_id=setting.pk), Filters(), today
    )
    rows = [
        (
            "setting dashboard",
            page(reverse("insights:setting", kwargs={"pk": setting.pk})),
            lambda: queries._domain_query(cohort_one, today),
        ),
        (
            "authority dashboard",
            page(reverse("insights:authority")),
            lambda: queries._domain_query(cohort_all, today),
        ),
        (
            "locality benchmark",
            page(reverse("insights:authority") + f"?setting={setting.pk}"),
            lambda: queries._domain_query(cohort_all, today),
        ),
    ]
    out.write(f"{'':<22}{'cold (computed)':>16}{'warm (cached)':>16}{'floor (1 query)':>18}\n")
    for label, fn, floor in rows:

        def cold(fn: Any = fn) -> None:
            insight_cache.bump(authority.pk)  # as after any change: the figures are computed again
            fn()

        out.write(
            f"{label:<22}{_median_ms(cold, max(3, runs // 3)):>13.1f} ms{_median_ms(fn, runs):>13.1f} ms"
            f"{_median_ms(floor, runs):>15.1f} ms\n"
        )
    out.write(f"(as at {today}; previous term ends {dates['previous_term_end']})\n")
