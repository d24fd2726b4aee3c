"""`vsend bench_provision`: times the provision maps and the authority's view (see provision/bench.py)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vsend.provision import bench


class Command(BaseCommand):
    help = (
        "Builds (once) a setting with 200 provisions, 300 children and three terms of delivery, "
        "and an authority of 60,000 children with provision, then times the setting's map, a "
        "child's map and the authority's spend-and-change view, with their query counts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--children", type=int, default=60_000, help="in the authority (default 60,000)"
        )
        parser.add_argument(
            "--setting-count", type=int, default=500, help="in the authority (default 500)"
        )
        parser.add_argument("--runs", type=int, default=20, help="timed runs of each (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "The benchmark builds synthetic data and does not run in production."
            )
        bench.run(
            self.stdout,
            children=options["children"],
            settings_count=options["setting_count"],
            runs=options["runs"],
        )
