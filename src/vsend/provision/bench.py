"""`vsend bench_provision`: a setting with 200 provisions, 300 children and three terms of
delivery (its provision map and a child's map), and an authority of 60,000 children with
provision (the authority's spend-and-change view), with query counts at two sizes.

Synthetic data is built once per database in its own authorities; build it in a database of its
own (for example VSEND_DATA_DIR=/tmp/pbench, or a PostgreSQL DATABASE_URL).
"""

import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.aggregates import store
from vsend.children.models import Child, Enrolment
from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import published
from vsend.insights.terms import Term, previous_term, term_containing
from vsend.organisations.models import LocalAuthority, Locality, Setting
from vsend.profiles.models import DomainRating, Profile, Status
from vsend.provision import costs, stored
from vsend.provision.authority import authority_provision
from vsend.provision.maps import child_map, setting_map, three_terms
from vsend.provision.models import (
    MissedSession,
    Place,
    PlaceTermCost,
    Provision,
    ProvisionGroup,
    StaffRole,
)
from vsend.provision.services import rate_of

SETTING_CODE, AUTHORITY_CODE = "997", "998"
EMAIL = "bench.provision@benchmark.example"
CHUNK = 3000
Q4 = Decimal("0.0001")


class Out(Protocol):
    def write(self, text: str) -> Any: ...


def _terms() -> list[Term]:
    """Three terms of delivery: the two before the current one, and the current one."""
    current = term_containing(timezone.localdate())
    return [previous_term(previous_term(current)), previous_term(current), current]


def _authority(
    code: str, name: str, settings_count: int
) -> tuple[LocalAuthority, list[Setting], User]:
    authority = LocalAuthority.objects.create(name=name, code=code)
    locs = Locality.objects.bulk_create(
        [
            Locality(authority=authority, name=f"Locality {i + 1}")
            for i in range(max(1, settings_count // 25))
        ]
    )
    settings_ = Setting.objects.bulk_create(
        [
            Setting(
                authority=authority,
                locality=locs[i % len(locs)],
                name=f"Provision setting {i + 1:03d}",
                urn=f"{int(code) * 1000 + i:06d}",
                setting_type="primary",
            )
            for i in range(settings_count)
        ]
    )
    user, _ = User.objects.get_or_create(email=EMAIL, defaults={"full_name": "Provision benchmark"})
    Membership.objects.get_or_create(user=user, role=Role.LA_ADMIN, authority=authority)
    return authority, settings_, user


def _children(
    authority: LocalAuthority,
    settings_: list[Setting],
    count: int,
    user: User,
    rng: random.Random,
    out: Out,
) -> list[Child]:
    """Children with SEN, each with a profile before and after the middle term."""
    framework = registry.current("5_to_25")
    terms = _terms()
    made: list[Child] = []
    for start in range(0, count, CHUNK):
        batch = Child.objects.bulk_create(
            [
                Child(
                    authority=authority,
                    first_name=f"Child{i}",
                    last_name="Synthetic",
                    date_of_birth=timezone.localdate().replace(
                        year=2016, month=1 + i % 12, day=1 + i % 28
                    ),
                    sex="M" if i % 3 else "F",
                    sen_provision="K",
                    primary_need="SLCN",
                )
                for i in range(start, min(start + CHUNK, count))
            ]
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    child=c, setting=settings_[i % len(settings_)], started_on=terms[0].starts
                )
                for i, c in enumerate(batch, start=start)
            ]
        )
        profiles = []
        for c in batch:
            first = terms[0].starts + timedelta(days=20)
            second = terms[1].starts + timedelta(days=rng.randint(20, 60))
            for n, (assessed, until) in enumerate(((first, second), (second, None))):
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
                        superseded_on=until,
                        created_by=user,
                    )
                )
        Profile.objects.bulk_create(profiles)
        DomainRating.objects.bulk_create(
            [
                DomainRating(profile_id=p.pk, domain=k, need_level=rng.randint(0, 4))
                for p in profiles
                for k in DOMAIN_KEYS
            ],
            batch_size=5000,
        )
        made += batch
        out.write(f"  {len(made):,} of {count:,} children\n")
    return made


def _provision(
    settings_: list[Setting],
    children: list[Child],
    per_setting: int,
    user: User,
    rng: random.Random,
    out: Out,
) -> None:
    """Catalogues, groups of 1 to 6 children over three terms, missed sessions, and the cost
    ledger worked out with the same arithmetic as the services (in bulk)."""
    terms = _terms()
    by_setting: dict[int, list[Child]] = {}
    for i, c in enumerate(children):
        by_setting.setdefault(settings_[i % len(settings_)].pk, []).append(c)
    for n, setting in enumerate(settings_):
        role = StaffRole.objects.create(
            setting=setting, name="Teaching assistant", hourly_cost=Decimal("18.50")
        )
        provisions = Provision.objects.bulk_create(
            [
                Provision(
                    setting=setting,
                    name=f"Provision {k + 1}",
                    areas=rng.sample(list(DOMAIN_KEYS), rng.choice([1, 1, 2])),
                    kind="group",
                    staff_role=role,
                    sessions_per_week=Decimal(rng.choice([1, 2, 3])),
                    session_minutes=rng.choice([20, 30, 45, 60]),
                    cost_basis="staff_hour",
                )
                for k in range(per_setting)
            ]
        )
        for p in provisions:
            p.staff_role = role
        kids = by_setting.get(setting.pk, [])
        groups, places, spans = [], [], []
        for k, p in enumerate(provisions):
            size = 1 + k % 6
            members = rng.sample(kids, min(size, len(kids))) if kids else []
            starts = terms[0].starts + timedelta(days=rng.randint(5, 30))
            ends = terms[2].ends - timedelta(days=rng.randint(0, 30))
            groups.append(
                ProvisionGroup(
                    provision=p,
                    setting=setting,
                    name=p.name,
                    starts_on=starts,
                    ends_on=ends,
                    created_by=user,
                )
            )
            spans.append(members)
        ProvisionGroup.objects.bulk_create(groups)
        for g, members in zip(groups, spans, strict=True):
            places += [
                Place(group=g, child=c, starts_on=g.starts_on, ends_on=g.ends_on) for c in members
            ]
        Place.objects.bulk_create(places, batch_size=5000)
        missed = []
        for g in groups:
            for _ in range(rng.randint(0, 4)):
                missed.append(
                    MissedSession(
                        group=g,
                        date=g.starts_on + timedelta(days=rng.randint(0, 120)),
                        reason="staff_absent",
                        recorded_by=user,
                    )
                )
        MissedSession.objects.bulk_create(missed, ignore_conflicts=True)
        _ledger(groups, places, missed)
        if (n + 1) % 50 == 0 or n + 1 == len(settings_):
            out.write(f"  provision at {n + 1} of {len(settings_)} settings\n")


def _ledger(groups: list[ProvisionGroup], places: list[Place], missed: list[MissedSession]) -> None:
    by_group: dict[int, list[Place]] = {}
    for p in places:
        by_group.setdefault(p.group_id, []).append(p)
    misses: dict[int, list[costs.Miss]] = {}
    for m in missed:
        misses.setdefault(m.group_id, []).append(costs.Miss(m.date))
    rows = []
    for g in groups:
        members = by_group.get(g.pk, [])
        if not members:
            continue
        provision = g.provision
        share = Decimal(1) / Decimal(len(provision.areas))
        spans = [costs.Span(p.pk, p.starts_on, p.ends_on) for p in members]
        child_of = {p.pk: p.child_id for p in members}
        for tf in costs.group_figures(
            rate_of(provision), spans, misses.get(g.pk, []), g.starts_on, g.ends_on
        ):
            for key, f in tf.places.items():
                for area in provision.areas:
                    rows.append(
                        PlaceTermCost(
                            place_id=key,
                            child_id=child_of[key],
                            setting_id=g.setting_id,
                            provision_id=provision.pk,
                            staff_role_id=provision.staff_role_id,
                            term=tf.term.slug,
                            term_starts=tf.term.starts,
                            area=area,
                            planned_sessions=(f.planned * share).quantize(Q4),
                            missed_sessions=(f.missed * share).quantize(Q4),
                            hours=(f.hours(provision.session_minutes) * share).quantize(Q4),
                            cost=(f.cost * share).quantize(Q4),
                        )
                    )
    PlaceTermCost.objects.bulk_create(rows, batch_size=5000)


@transaction.atomic
def build(
    out: Out, code: str, name: str, *, children: int, settings_count: int, per_setting: int
) -> LocalAuthority:
    started = time.perf_counter()
    rng = random.Random(int(code))  # noqa: S311 - synthetic data
    authority, settings_, user = _authority(code, name, settings_count)
    kids = _children(authority, settings_, children, user, rng, out)
    _provision(settings_, kids, per_setting, user, rng, out)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out.write(f"Built {name} in {time.perf_counter() - started:.0f} s\n")
    return authority


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def queries_of(fn: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _page(client: Client, url: str) -> Callable[[], None]:
    def go() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return go


def run(out: Out, *, children: int, settings_count: int, runs: int) -> None:
    out.write(f"Database: {connection.vendor}\n")
    one = LocalAuthority.objects.filter(code=SETTING_CODE).first() or build(
        out,
        SETTING_CODE,
        "Provision Benchmark Setting",
        children=300,
        settings_count=1,
        per_setting=200,
    )
    big = LocalAuthority.objects.filter(code=AUTHORITY_CODE).first()
    if big is None:
        big = build(
            out,
            AUTHORITY_CODE,
            "Provision Benchmark County",
            children=children,
            settings_count=settings_count,
            per_setting=12,
        )
    setting = Setting.objects.get(authority=one)
    terms = three_terms(_terms()[1])
    child = PlaceTermCost.objects.filter(setting=setting).values_list("child_id", flat=True).first()
    assert child is not None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=EMAIL))
    counts = (
        Provision.objects.filter(setting=setting).count(),
        Enrolment.objects.filter(setting=setting).count(),
        PlaceTermCost.objects.filter(setting=setting).values("term").distinct().count(),
    )
    out.write(
        f"Setting: {counts[0]} provisions, {counts[1]} children, {counts[2]} terms of delivery\n"
    )
    rows: list[tuple[str, Callable[[], Any], int]] = [
        ("setting map (computed)", lambda: setting_map(setting.pk, terms), 100),
        (
            "setting map page",
            _page(
                client,
                reverse("provision:setting-map", kwargs={"pk": setting.pk})
                + f"?term={terms[1].slug}",
            ),
            100,
        ),
        ("child's map (computed)", lambda: child_map(child, terms), 30),
        (
            "child's map page",
            _page(
                client,
                reverse("provision:child-map", kwargs={"pk": child}) + f"?term={terms[1].slug}",
            ),
            30,
        ),
    ]
    ended = term_containing(published.as_at_term_end(timezone.localdate()))
    n_big = Child.objects.filter(authority=big).count()
    big_ids = list(Setting.objects.filter(authority=big).values_list("pk", flat=True))
    started = time.perf_counter()
    for kind in (stored.SPEND, stored.CHANGE):  # every stored row of the term, from scratch
        store.recompute(kind, big.pk, big_ids, ended.ends)
    out.write(
        f"Stored rows of {len(big_ids)} settings computed from scratch (two kinds, once): "
        f"{time.perf_counter() - started:.1f} s\n"
    )
    one_setting = big_ids[len(big_ids) // 2]

    def change_then_view() -> None:
        with transaction.atomic():
            stored.announce(big.pk, [one_setting], ended.starts)  # that setting's rows again
        authority_provision(big, ended, True)

    rows += [
        (
            f"authority view, {n_big:,} children (stored rows)",
            lambda: authority_provision(big, ended, True),
            300,
        ),
        (
            f"authority view, {n_big:,} children, officer",
            lambda: authority_provision(big, ended, False),
            300,
        ),
        ("a change at one setting, then the view", change_then_view, 300),
        (
            "authority view page",
            _page(
                client, reverse("provision:authority") + f"?authority={big.pk}&term={ended.slug}"
            ),
            300,
        ),
    ]
    out.write(f"{'':<46}{'median':>10}{'goal':>9}{'queries':>9}\n")
    out.write(
        "(computed: every query run; stored rows: read and summed (ADR 25); "
        "page: the whole request, audit row included)\n"
    )
    for label, fn, goal in rows:
        out.write(f"{label:<46}{median_ms(fn, runs):>7.1f} ms{goal:>6} ms{queries_of(fn):>9}\n")
    authority_provision(one, ended, True)  # its stored rows made, as they are for the big one
    small_q = queries_of(lambda: authority_provision(one, ended, True))
    big_q = queries_of(lambda: authority_provision(big, ended, True))
    out.write(
        f"Authority view queries: {small_q} for {Child.objects.filter(authority=one).count():,} children, "
        f"{big_q} for {n_big:,} children (term {ended.label})\n"
    )
