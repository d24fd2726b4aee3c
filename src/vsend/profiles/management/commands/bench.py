"""`vsend bench profile`: median server time of a profile's summary page and its PDF.

Runs in-process through Django's full request stack (middleware, sessions, scoping, audit,
templates, WeasyPrint) against the demo authority, so the figures leave out only the network.
"""

import argparse
import os
import statistics
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vsend.accounts.models import Membership
from vsend.accounts.roles import Role
from vsend.profiles.models import Profile, Status


def summary_target() -> tuple[Profile, Membership]:
    """The demo profile whose summary is timed (finalised, with an earlier version) and a
    SENDCo of the child's current setting to open it as (also scripts/instructions.py)."""
    profile = (
        Profile.objects.filter(status=Status.FINALISED, previous__isnull=False)
        .select_related("child")
        .order_by("pk")
        .first()
    )
    if profile is None:
        raise CommandError("No demo profiles found: run `vsend demo` first.")
    sendco = Membership.objects.filter(
        role=Role.SENDCO,
        setting__enrolments__child=profile.child,
        setting__enrolments__ended_on__isnull=True,
    ).first()
    if sendco is None:
        raise CommandError("No SENDCo found for the demo child.")
    return profile, sendco


class Command(BaseCommand):
    help = (
        "`bench profile`: median server time of a demo profile's summary page and PDF (needs "
        "`vsend demo`). `bench insight`: builds a synthetic authority and times the dashboards."
    )
    # `vsend check` runs them; here they would import every view (WeasyPrint among them) and
    # delay the writer process of `bench aggregates` by seconds.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "what", choices=["profile", "insight", "disclosure", "pdf-worst-case", "aggregates"]
        )
        parser.add_argument(
            "--build", type=int, default=0, help="aggregates: build this many authorities first"
        )
        parser.add_argument("--writer", default="", help=argparse.SUPPRESS)
        parser.add_argument(
            "--authorities", type=int, default=10, help="aggregates: time at most this many"
        )
        parser.add_argument(
            "--seconds", type=int, default=600, help="aggregates: the writer's time limit"
        )
        parser.add_argument(
            "--authority",
            default="",
            help="disclosure: the authority's name (default: the demo's, else the benchmark's)",
        )
        parser.add_argument(
            "--children",
            type=int,
            default=60_000,
            help="insight: children with SEN in the synthetic authority (default 60,000)",
        )
        parser.add_argument(
            "--setting-count", type=int, default=500, help="insight: settings (default 500)"
        )
        parser.add_argument(
            "--localities", type=int, default=20, help="insight: localities (default 20)"
        )
        parser.add_argument(
            "--runs", type=int, default=50, help="Timed requests per page (default 50)"
        )
        parser.add_argument(
            "--pdf-runs", type=int, default=15, help="Timed PDF requests (default 15)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "The benchmark uses the demo authority and does not run in production."
            )
        if options["what"] == "disclosure":
            self._disclosure(options["authority"])
            return
        if options["what"] == "aggregates":
            from vsend.aggregates import bench

            if options["writer"]:
                bench.writer(options["writer"], options["seconds"])
                return
            bench.build(self.stdout, options["build"], options["children"])
            bench.measure(self.stdout, options["runs"], options["seconds"], options["authorities"])
            return
        if options["what"] == "insight":
            from vsend.insights.bench import run

            run(
                self.stdout,
                children=options["children"],
                settings_count=options["setting_count"],
                localities=options["localities"],
                runs=options["runs"],
            )
            return
        if options["what"] == "pdf-worst-case":
            from vsend.children.models import Child
            from vsend.exports.worst_case import measure

            kid = Child.objects.filter(profiles__isnull=True).order_by("pk").first()
            user = Membership.objects.filter(role=Role.SENDCO).first()
            if kid is None or user is None:
                raise CommandError("No demo child without a profile: run `vsend demo` first.")
            measure(kid, user.user, options["pdf_runs"], self.stdout)
            return
        if options["runs"] < 2:
            raise CommandError("--runs must be 2 or more (the figures are a median and a p90).")
        profile, sendco = summary_target()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(sendco.user)
        self.stdout.write(
            f"Profile {profile.pk} ({profile.child.full_name}, version {profile.number}), "
            f"as {sendco.user.email}, database {connection.vendor}"
        )
        for label, url, runs in [
            (
                "summary page",
                reverse("profiles:summary", kwargs={"pk": profile.pk}),
                options["runs"],
            ),
            # Asking for the PDF queues a job (or finds the one queued) and answers at once.
            (
                "PDF request",
                reverse("profiles:pdf", kwargs={"pk": profile.pk}),
                options["runs"],
            ),
        ]:
            # Queries are counted on an untimed request: Django's query log would be timed too.
            for _ in range(2):  # the first requests warm caches
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
            counted = len(queries)  # read now: the next request empties Django's query log
            times, cpu = [], []
            for _ in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                elapsed = time.perf_counter() - start
                used = time.process_time() - start_cpu
                if response.status_code not in (200, 302):
                    raise CommandError(f"{url} answered {response.status_code}")
                times.append(elapsed * 1000)
                cpu.append(used * 1000)
            self.stdout.write(
                f"{label:<13} median {statistics.median(times):7.1f} ms   "
                f"p90 {statistics.quantiles(times, n=10)[-1]:7.1f} ms   "
                f"min {min(times):7.1f} ms   {counted} queries   {len(response.content):,} bytes   "
                f"({runs} runs)\n{'':<13} this process's CPU: median {statistics.median(cpu):5.1f} ms "
                f"(leaves out the database's own work; load average {os.getloadavg()[0]:.1f})"
            )
        self._time_pdf_job(profile, options["pdf_runs"])

    def _disclosure(self, name: str) -> None:
        """The share of hidden figures for an LA officer; on an authority of demo size, also the
        differencing attack (every count from 1 to 4 tried against everything fetched)."""
        import time

        from vsend.accounts.models import User
        from vsend.insights import attack_run
        from vsend.organisations.models import LocalAuthority

        qs = LocalAuthority.objects.order_by("pk")
        authority = (qs.filter(name=name) if name else qs).first()
        if authority is None:
            raise CommandError("No authority found: run `vsend demo` or `vsend bench insight`.")
        started = time.perf_counter()
        cells, hidden, left_out = attack_run.hidden_share(authority)
        self.stdout.write(
            f"{authority.name}: {authority.settings.count()} settings, database {connection.vendor}\n"
            f"LA officer, every term: {cells:,} figures, {hidden:,} hidden "
            f"({hidden / max(cells, 1):.1%}); {left_out:,} setting-terms without detail tables "
            f"(fewer than 10 profiled); {time.perf_counter() - started:.1f} s"
        )
        if authority.settings.count() > 50:
            self.stdout.write("Attack skipped: it is sized for authorities of up to 50 settings.")
            return
        for user, setting in (
            (
                User.objects.filter(
                    memberships__role=Role.LA_OFFICER, memberships__authority=authority
                ).first(),
                None,
            ),
            *[
                (m.user, m.setting)
                for m in Membership.objects.filter(
                    role=Role.GOVERNOR, setting__authority=authority
                ).select_related("user", "setting")[:1]
            ],
        ):
            if user is None:
                continue
            started = time.perf_counter()
            result = attack_run.attack(user, authority, setting=setting)
            self.stdout.write(
                f"Attack as {result.viewer} ({user.email}): {result.requests} requests, "
                f"{result.cells:,} figures ({result.hidden_share:.1%} hidden), "
                f"{result.tried} counts from 1 to 4 tried, {len(result.findings)} pinned; "
                f"{time.perf_counter() - started:.1f} s"
            )

    def _time_pdf_job(self, profile: Profile, runs: int) -> None:
        """The background job's own work: building the PDF."""
        from vsend.profiles import selectors
        from vsend.profiles.pdf import profile_pdf

        if runs <= 0:
            return
        times, size = [], 0
        for i in range(runs + 1):
            start = time.perf_counter()
            size = len(profile_pdf(selectors.profile_view(profile)))
            if i >= 1:
                times.append((time.perf_counter() - start) * 1000)
        self.stdout.write(
            f"{'PDF job':<13} median {statistics.median(times):7.1f} ms   "
            f"max {max(times):7.1f} ms   {size:,} bytes   ({runs} runs, in the worker)"
        )
