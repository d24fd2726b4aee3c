"""`vsend bench_places`: time special-school place planning for an authority of 60,000
children with SEN and 30 special schools (see places/bench.py). Everything it builds is rolled
back."""

import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from vsend.places.bench import build_authority, time_planning


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time place planning for 60,000 children with SEN and 30 special schools."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--children", type=int, default=60_000)
        parser.add_argument("--special", type=int, default=30)
        parser.add_argument("--runs", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The benchmark does not run in production.")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        self.stdout.write(
            f"Database: {connection.vendor}; {options['children']:,} children with SEN, "
            f"{options['special']} special schools; load average {load:.1f} on "
            f"{os.cpu_count()} CPUs"
        )
        today = timezone.localdate()
        try:
            with transaction.atomic():
                started = time.perf_counter()
                la = build_authority(today, options["children"], options["special"])
                self.stdout.write(f"  built in {time.perf_counter() - started:.1f} s")
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        cursor.execute("ANALYZE")
                figures = time_planning(self.stdout, la, today, options["runs"])
                goal = "met" if figures["suppressed"] <= 500 else "NOT met"
                self.stdout.write(f"  goal of 500 ms for the computation and its tables: {goal}")
                raise Rollback
        except Rollback:
            self.stdout.write("(everything the benchmark made has been rolled back)")
