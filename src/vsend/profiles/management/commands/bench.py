"""`vsend bench profile`: median server time of a profile's summary page and its PDF.

Runs in-process through Django's full request stack (middleware, sessions, scoping, audit,
templates, WeasyPrint) against the demo authority, so the figures leave out only the network.
"""

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


class Command(BaseCommand):
    help = (
        "`bench profile`: median server time of a demo profile's summary page and PDF (needs "
        "`vsend demo`). `bench insight`: builds a synthetic authority and times the dashboards."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("what", choices=["profile", "insight"])
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
            ("PDF", reverse("profiles:pdf", kwargs={"pk": profile.pk}), options["pdf_runs"]),
        ]:
            times = []
            for i in range(runs + 2):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
                if i >= 2:  # the first two warm caches
                    times.append(elapsed * 1000)
            self.stdout.write(
                f"{label:<13} median {statistics.median(times):7.1f} ms   "
                f"p90 {statistics.quantiles(times, n=10)[-1]:7.1f} ms   "
                f"min {min(times):7.1f} ms   {len(queries)} queries   {len(response.content):,} bytes   "
                f"({runs} runs)"
            )
