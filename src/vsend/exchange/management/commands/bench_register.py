"""`vsend bench_register`: time a 10,000-row register import (read, preview, apply), then the
same file again (all unchanged), in a synthetic setting built inside a transaction that is
rolled back, so the database is left as it was."""

import io
import os
import random
import time
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from stdnum.gb.upn import calc_check_digit

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.audit.services import Actor
from vsend.exchange import services
from vsend.exchange.columns import EXPORT_HEADERS
from vsend.exchange.services.apply import apply_import
from vsend.organisations.models import LocalAuthority, Locality, Setting

NEEDS = ["SLCN", "ASD", "SPLD", "MLD", "SEMH", "HI", "VI", "PD", "DS", "OTH"]


class Rollback(Exception):
    pass


def register_csv(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    out = io.StringIO()
    out.write(",".join(EXPORT_HEADERS) + "\n")
    for n in range(1, rows + 1):
        body = "9258" + f"{n:08d}"
        upn = calc_check_digit(body) + body
        born = date(2010, 9, 1) + timedelta(days=rng.randrange(0, 365 * 11))
        provision = rng.choice("NNNNKKE")
        primary = "" if provision == "N" else rng.choice(NEEDS)
        begun = min(born + timedelta(days=1500), timezone.localdate() - timedelta(days=30))
        start = "" if provision == "N" else begun.strftime("%d/%m/%Y")
        year = str(min(max((date(2026, 9, 1) - born).days // 365 - 4, 1), 11))
        out.write(
            f"{upn},Bench{n},Pupil{n},,{born:%d/%m/%Y},{rng.choice('MF')},{year},"
            f"{year}{rng.choice('ABCD')},{provision},{primary},,{start}\n"
        )
    return out.getvalue().encode()


class Command(BaseCommand):
    help = "Time a 10,000-row register import (preview and apply) and a second, unchanged one."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rows", type=int, default=10_000)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The benchmark does not run in production.")
        rows = options["rows"]
        data = register_csv(rows)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        self.stdout.write(
            f"Database: {connection.vendor}; {rows:,} rows, {len(data) / 1024:.0f} KB of CSV; "
            f"load average {load:.1f} on {os.cpu_count()} CPUs"
        )
        try:
            with transaction.atomic():
                self._run(data)
                raise Rollback
        except Rollback:
            self.stdout.write("(everything the benchmark made has been rolled back)")

    def _timed(self, label: str, fn: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        result = fn()
        took = time.perf_counter() - started
        cpu = time.process_time() - cpu
        self.stdout.write(f"  {label:<48} {took:6.2f} s  (this process's CPU {cpu:5.2f} s)")
        self.totals.append(took)
        self.cpu.append(cpu)
        return result

    def _run(self, data: bytes) -> None:
        la, _ = LocalAuthority.objects.get_or_create(code="999", defaults={"name": "Benchmark LA"})
        locality, _ = Locality.objects.get_or_create(authority=la, name="Benchmark")
        setting = Setting.objects.create(
            authority=la,
            locality=locality,
            name="Benchmark school",
            urn="999998",
            setting_type="secondary",
        )
        user = User.objects.create_user("bench.sendco@example.org", None, full_name="Bench")
        Membership.objects.create(user=user, role=Role.SENDCO, authority=la, setting=setting)
        actor = Actor(user=user)
        for round_ in ("First import (all new)", "Second import (same file)"):
            self.stdout.write(round_)
            self.totals: list[float] = []
            self.cpu: list[float] = []
            imp = self._timed(
                "read the upload",
                lambda: services.start_import(
                    user=user, setting=setting, file_name="bench.csv", data=data
                ),
            )
            if imp.status != "ready":
                self._timed(
                    "confirm the columns (rows read through them)",
                    lambda imp=imp: services.confirm_mapping(
                        actor=actor, imp=imp, mapping=imp.mapping
                    ),
                )
            plan = self._timed(
                "preview (compare with vsend)", lambda imp=imp: services.plan_import(imp)
            )
            self.stdout.write(f"    {plan.counts} problems={len(plan.problems)}")
            done = self._timed(
                "apply (compare again and write, one transaction)",
                lambda imp=imp: apply_import(actor=actor, pk=imp.pk),
            )
            self.stdout.write(f"    applied: {done.counts}")
            self.stdout.write(
                f"  {'total':<48} {sum(self.totals):6.2f} s  (this process's CPU "
                f"{sum(self.cpu):5.2f} s)"
            )
