"""`vsend bench_places`: an authority of 60,000 children with SEN and 30 special schools (with
designations, home areas, placement records, new EHC plans and three years of past rolls), and
the time place planning takes on it: the computation (its queries and the Python over their
rows), the forecast and the tables, exact and suppressed. Built inside a transaction that is
rolled back, so the database is left as it was."""

import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Protocol

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.children.models import Child, Enrolment
from vsend.organisations.models import LocalAuthority, Locality, Setting
from vsend.places.forecast import forecast
from vsend.places.models import Centroid, Designation, Placement
from vsend.places.planning import Plan, compute
from vsend.places.tables import build
from vsend.statutory.models import EhcPlan

CODE = "994"
NEEDS = ["SLCN", "ASD", "SPLD", "MLD", "SLD", "PMLD", "SEMH", "HI", "VI", "PD", "DS", "OTH"]
CHUNK = 5000


class Out(Protocol):
    def write(self, text: str) -> Any: ...


def build_authority(
    today: date, children: int = 60_000, special: int = 30, seed: int = 16
) -> LocalAuthority:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    la = LocalAuthority.objects.create(name="Place planning benchmark", code=CODE)
    loc = Locality.objects.create(authority=la, name="Benchmark")
    areas = Centroid.objects.bulk_create(
        [
            Centroid(
                authority=la,
                kind="district",
                name=f"BB{i + 1}",
                easting=500_000 + rng.randrange(0, 60_000),
                northing=250_000 + rng.randrange(0, 60_000),
            )
            for i in range(80)
        ]
    )
    schools = Setting.objects.bulk_create(
        [
            Setting(
                authority=la,
                locality=loc,
                name=f"Special school {i + 1:02d}",
                urn=f"{int(CODE) * 1000 + i:06d}",
                setting_type="special",
                easting=500_000 + rng.randrange(0, 60_000),
                northing=250_000 + rng.randrange(0, 60_000),
            )
            for i in range(special)
        ]
    )
    mainstream = Setting.objects.bulk_create(
        [
            Setting(
                authority=la,
                locality=loc,
                name=f"Mainstream school {i + 1:03d}",
                urn=f"{int(CODE) * 1000 + 100 + i:06d}",
                setting_type="primary" if i % 3 else "secondary",
            )
            for i in range(250)
        ]
    )
    designations = []
    for i, s in enumerate(schools):
        all_needs = i % 3 == 0
        needs = "" if all_needs else ",".join(sorted(rng.sample(NEEDS, 3)))
        first, last = [(2, 8), (9, 15), (2, 15)][i % 3]
        designations.append(
            Designation(
                setting=s,
                all_needs=all_needs,
                needs=needs,
                places=rng.randrange(120, 220),
                first_year=first,
                last_year=last,
            )
        )
    Designation.objects.bulk_create(designations)
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    kids = [
        Child(
            authority=la,
            first_name=f"Bench{n}",
            last_name="Places",
            date_of_birth=start
            - timedelta(days=365 * rng.randrange(5, 18) + rng.randrange(0, 365)),
            sex=rng.choice("MF"),
            sen_provision=rng.choice("KKKE"),
            primary_need=rng.choice(NEEDS),
        )
        for n in range(children)
    ]
    Child.objects.bulk_create(kids, batch_size=CHUNK)
    enrolments, placements, plans = [], [], []
    for n, c in enumerate(kids):
        if n < 5_000:  # on roll at a special school, some for up to three years
            began = start - timedelta(days=365 * rng.randrange(0, 4))
            enrolments.append(Enrolment(child=c, setting=schools[n % special], started_on=began))
            placements.append(Placement(child=c, home_area=rng.choice(areas)))
        elif n < 5_900:  # funnel children: awaiting, home tuition, out of authority
            kind = n % 3
            placements.append(
                Placement(
                    child=c,
                    home_area=rng.choice(areas) if n % 10 else None,
                    awaiting_since=start - timedelta(days=60) if kind != 2 else None,
                    home_tuition_since=start if kind == 1 else None,
                    out_of_authority_since=start - timedelta(days=400) if kind == 2 else None,
                    out_of_authority_provider="Independent school" if kind == 2 else "",
                )
            )
            if kind == 0:
                enrolments.append(
                    Enrolment(child=c, setting=rng.choice(mainstream), started_on=start)
                )
        else:
            enrolments.append(Enrolment(child=c, setting=rng.choice(mainstream), started_on=start))
        if 5_000 <= n < 7_000:  # new plans; a quarter name a special school
            issued = today - timedelta(days=rng.randrange(1, 360))
            plans.append(
                EhcPlan(
                    child=c,
                    issued_on=issued,
                    start_date=issued,
                    named_setting=schools[n % special] if n % 4 == 0 else None,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=CHUNK)
    Placement.objects.bulk_create(placements, batch_size=CHUNK)
    EhcPlan.objects.bulk_create(plans, batch_size=CHUNK)
    return la


def time_planning(out: Out, la: LocalAuthority, today: date, runs: int = 7) -> dict[str, float]:
    def timed(label: str, fn: Callable[[], Any]) -> float:
        fn()  # warm
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        median = statistics.median(times)
        out.write(f"  {label:<44} median {median:7.1f} ms  (best {min(times):7.1f} ms)")
        return median

    plan: Plan = compute(la, today)
    with CaptureQueriesContext(connection) as queries:
        compute(la, today)
    out.write(
        f"  {len(plan.schools)} schools, {sum(plan.on_roll(s.id) for s in plan.schools):,} on roll, "
        f"{len(plan.funnel):,} funnel children, {len(queries)} queries"
    )
    pages = {}
    for role in (Role.LA_ADMIN, Role.LA_OFFICER):
        user = User.objects.create_user(
            f"bench.places.{role}@benchmark.example", None, full_name="Bench"
        )
        Membership.objects.create(user=user, role=role, authority=la)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = reverse("places:authority") + f"?authority={la.pk}"

        def page(client: Client = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        pages[role] = page
    return {
        "page_admin": timed("the page for an LA administrator", pages[Role.LA_ADMIN]),
        "page_officer": timed("the page for an LA officer", pages[Role.LA_OFFICER]),
        "compute": timed("compute (queries and Python)", lambda: compute(la, today)),
        "forecast": timed("compute and forecast", lambda: forecast(compute(la, today))),
        "exact": timed("compute, forecast, exact tables", lambda: build(compute(la, today), True)),
        "suppressed": timed(
            "compute, forecast, suppressed tables", lambda: build(compute(la, today), False)
        ),
    }
