"""`vsend bench aggregates`: the dashboards of synthetic authorities (60,000 children each)
timed while another process finalises a profile somewhere in the authority every second, beside
the floor (one hand-written SQL query over the stored rows) measured in the same run.

Build the authorities first with `vsend bench aggregates --build N` (each about 4 minutes on 2
cores); the timings use whatever benchmark authorities exist.
"""

import random
import select
import statistics
import subprocess  # noqa: S404 - runs this same command as the writer process
import sys
import time
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vsend.accounts.models import User
from vsend.aggregates import store
from vsend.aggregates.models import SettingAggregate
from vsend.insights import aggregate
from vsend.insights.bench import Out, _build
from vsend.insights.terms import recent_terms
from vsend.organisations.models import LocalAuthority, Setting
from vsend.profiles.models import Profile

CODES = [f"{900 + i}" for i in range(10)]
READY = "writer: ready"
WRITER_START_SECONDS = 300


def email(i: int) -> str:
    return f"bench.admin{i + 1}@benchmark.example"


def build(out: Out, count: int, children: int) -> None:
    for i, code in enumerate(CODES[:count]):
        if not LocalAuthority.objects.filter(code=code).exists():
            _build(
                out,
                children,
                500,
                20,
                code=code,
                name=f"Benchmark Authority {i + 1}",
                email=email(i),
                seed=60_000 + i,
            )


def writer(code: str, seconds: int) -> None:
    """Every second, a review of a random child's profile somewhere in the authority, finalised
    through the service (so its event recomputes that setting's rows)."""
    from vsend.audit.services import system_actor
    from vsend.profiles import services
    from vsend.profiles.models import DomainRating, Profile, Status

    authority = LocalAuthority.objects.get(code=code)
    actor = system_actor("bench")
    today = timezone.localdate()
    current = list(
        Profile.objects.filter(
            child__authority=authority, status=Status.FINALISED, superseded_on__isnull=True
        )
        .exclude(assessment_date__gte=today)
        .values_list("pk", flat=True)[:20000]
    )
    rng = random.Random(1)  # noqa: S311 - synthetic data
    rng.shuffle(current)
    # Starting Python and Django takes several seconds of CPU, much longer on a loaded machine:
    # the measuring process waits for this line before it starts timing.
    print(READY, flush=True)  # noqa: T201
    end = time.monotonic() + seconds
    done = 0
    tick = time.monotonic()
    while time.monotonic() < end and current:
        previous = Profile.objects.get(pk=current.pop())
        draft = Profile.objects.create(
            child_id=previous.child_id,
            number=previous.number + 1,
            previous=previous,
            status=Status.DRAFT,
            framework_id=previous.framework_id,
            framework_version=previous.framework_version,
            framework_checksum=previous.framework_checksum,
            age_band=previous.age_band,
            assessment_date=today,
            review_date=today + timedelta(weeks=12),
            completed_steps=previous.completed_steps,
            created_by_id=previous.created_by_id,
        )
        DomainRating.objects.bulk_create(
            DomainRating(
                profile=draft,
                domain=r.domain,
                need_level=rng.randint(0, 4),
                readiness_level=r.readiness_level,
                confidence_level=r.confidence_level,
            )
            for r in previous.ratings.all()
        )
        services.finalise(actor=actor, profile=draft, expected=draft.lock_version)
        done += 1
        # One a second on a fixed schedule: a finalise that took longer than a second is caught
        # up at once rather than pushing every later one back.
        tick += 1.0
        time.sleep(max(0.0, tick - time.monotonic()))
    print(f"writer: {done} profiles finalised", flush=True)  # noqa: T201


FLOOR_SQL = {
    # Every figure of the authority dashboard (its localities, the total and the trend) summed
    # from the stored rows in one statement.
    "postgresql": (
        "SELECT a.as_at, s.locality_id, kv.key, SUM(kv.value::bigint) "
        "FROM aggregates_settingaggregate a JOIN organisations_setting s ON s.id = a.setting_id "
        "CROSS JOIN LATERAL jsonb_each_text(a.values) kv "
        "WHERE a.kind = %s AND a.authority_id = %s AND a.as_at = ANY(%s) "
        "GROUP BY a.as_at, s.locality_id, kv.key"
    ),
}


def _wait_ready(process: subprocess.Popen[str]) -> bool:
    """Whether the writer said it is ready within WRITER_START_SECONDS (it may print other
    lines first)."""
    assert process.stdout is not None
    deadline = time.monotonic() + WRITER_START_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([process.stdout], [], [], left)
        if not ready:
            break
        line = process.stdout.readline()
        if not line:  # the writer ended
            return False
        if line.strip() == READY:
            return True
    return False


def _times(fn: Any, runs: int) -> list[float]:
    fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(round(0.95 * len(times))) - 1)]


def measure(out: Out, runs: int, seconds: int, limit: int = 10) -> None:
    authorities = list(LocalAuthority.objects.filter(code__in=CODES).order_by("code"))[:limit]
    if not authorities:
        out.write("No benchmark authorities: run `vsend bench aggregates --build 1` first.\n")
        return
    today = timezone.localdate()
    dates = [min(t.ends, today) for t in recent_terms(today, 6)]
    out.write(f"database {connection.vendor}; {len(authorities)} authorities; as at {today}\n")
    for authority in authorities:
        started = time.perf_counter()
        store.rows_at(aggregate.KIND, authority.pk, dates)
        out.write(
            f"{authority.name}: stored rows ready in {time.perf_counter() - started:.1f} s "
            f"({SettingAggregate.objects.filter(authority=authority).count()} rows)\n"
        )
    out.write(
        f"{'authority':<26}{'authority dashboard':>30}{'floor':>10}{'ratio':>7}"
        f"{'setting dashboard':>30}{'finalised':>14}\n{'':<26}{'median / p95 ms':>30}{'ms':>10}"
        f"{'':>7}{'median / p95 ms':>30}\n"
    )
    for authority in authorities:
        user = User.objects.get(email=email(CODES.index(authority.code)))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        setting = Setting.objects.filter(authority=authority).order_by("pk")[250]
        writer_process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-c",
                "from vsend.config.cli import main; main()",
                "bench",
                "aggregates",
                "--writer",
                authority.code,
                "--seconds",
                str(seconds),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        if not _wait_ready(writer_process):
            writer_process.kill()
            writer_process.communicate(timeout=30)
            out.write(f"{authority.name}: the writer did not start; skipped\n")
            continue
        time.sleep(1)  # its first finalise is under way

        def page(url: str, client: Client = client) -> Any:
            def go() -> None:
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            return go

        def floor(pk: int = authority.pk) -> None:
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL["postgresql"], [aggregate.KIND, pk, dates])
                cursor.fetchall()

        writes_from = timezone.now()
        la = _times(page(reverse("insights:authority") + f"?authority={authority.pk}"), runs)
        fl = _times(floor, runs) if connection.vendor == "postgresql" else [float("nan")]
        st = _times(page(reverse("insights:setting", kwargs={"pk": setting.pk})), runs)
        writes_to = timezone.now()
        writer_process.terminate()
        writer_process.communicate(timeout=30)
        # The writes made while the pages were being timed, and no others.
        written = Profile.objects.filter(
            child__authority=authority, finalised_at__gte=writes_from, finalised_at__lt=writes_to
        ).count()
        seconds_run = (writes_to - writes_from).total_seconds()
        med, fmed = statistics.median(la), statistics.median(fl)
        out.write(
            f"{authority.name:<26}{med:>19.1f} / {_p95(la):>7.1f}{fmed:>10.1f}{med / fmed:>7.1f}"
            f"{statistics.median(st):>19.1f} / {_p95(st):>7.1f}"
            f"{f'{written} in {seconds_run:.0f} s':>14} ({written / seconds_run:.2f}/s)\n"
        )
    _cross_authority(out, runs)


def _cross_authority(out: Out, runs: int) -> None:
    from vsend.accounts.models import Membership
    from vsend.accounts.roles import Role

    admin, _ = User.objects.get_or_create(
        email="bench.platform@benchmark.example", defaults={"full_name": "Benchmark platform"}
    )
    Membership.objects.get_or_create(user=admin, role=Role.PLATFORM_ADMIN)
    from vsend.insights.models import BenchmarkSharing

    for a in LocalAuthority.objects.filter(code__in=CODES):
        BenchmarkSharing.objects.get_or_create(authority=a)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    url = reverse("insights:compare")

    def go() -> None:
        assert client.get(url).status_code == 200

    times = _times(go, max(5, runs // 3))
    out.write(
        f"cross-authority view ({BenchmarkSharing.objects.count()} "
        f"authorities): median {statistics.median(times):.1f} ms, p95 {_p95(times):.1f} ms\n"
    )
