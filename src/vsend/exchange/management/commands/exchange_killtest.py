"""`vsend exchange_killtest`: kill a process (forked from this one) applying a register import at random moments,
then check the database each time: the import is wholly in (every child, the import marked
applied, exactly one audit row) or wholly out (no child, not applied, no audit row).

Each run loads its own synthetic setting, so runs do not disturb one another; the settings
and children are left in the database for inspection (use a database of its own).
"""

import contextlib
import os
import random
import signal
import time
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from stdnum.gb.upn import calc_check_digit

from vsend.accounts.models import User
from vsend.audit.models import AuditEvent
from vsend.audit.services import Actor
from vsend.children.models import Child, Enrolment
from vsend.exchange import services
from vsend.exchange.services.apply import apply_import
from vsend.organisations.models import LocalAuthority, Locality, Setting

HEAD = "UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Reg Group,SEN Provision,SEN Need Type 1\n"


def _csv(run: int, rows: int) -> bytes:
    lines = [HEAD]
    for n in range(rows):
        body = "925" + f"6{run:04d}{n:04d}"
        upn = calc_check_digit(body) + body
        lines.append(f"{upn},Kill{run},Pupil{n},01/02/2016,F,5,5K,K,SEMH\n")
    return "".join(lines).encode()


class Command(BaseCommand):
    help = "SIGKILL register imports at random moments and check none is half-applied."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--runs", type=int, default=200, help="kills (default 200)")
        parser.add_argument("--rows", type=int, default=300)
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The atomicity test does not run in production.")
        rng = random.Random(options["seed"])  # noqa: S311 (when to kill, not security)
        rows = options["rows"]
        la, _ = LocalAuthority.objects.get_or_create(code="996", defaults={"name": "Atomicity LA"})
        locality, _ = Locality.objects.get_or_create(authority=la, name="Atomicity")
        user, _ = User.objects.get_or_create(
            email="atomicity@example.org", defaults={"full_name": "Atomicity"}
        )
        first = Setting.objects.filter(urn__startswith="96").count()
        outcomes: Counter[str] = Counter()
        broken: list[str] = []
        # How long one apply takes here, so kills land before, during and after it.
        took = self._once(la, locality, user, first, rows, kill_after=None)[1]
        window = max(took * 1.1, 0.05)
        self.stdout.write(
            f"Database: {connection.vendor}; one apply of {rows} rows took {took:.2f} s; "
            f"killing at random within {window:.2f} s of the process being ready"
        )
        started = time.perf_counter()
        # --runs is the number of kills: a run whose apply finished before its moment came is
        # checked too, but not counted, and the window shrinks towards the applies seen.
        kills = run = 0
        while kills < options["runs"] and run < options["runs"] * 4:
            run += 1
            delay = rng.uniform(0, window)
            outcome, took, problem = self._once(la, locality, user, first + run, rows, delay)
            outcomes[outcome] += 1
            if outcome.startswith("killed"):
                kills += 1
            else:
                window = max(0.05, 0.8 * window + 0.2 * took)
            if problem:
                broken.append(f"run {run}: {problem}")
        self.stdout.write(
            f"{kills} kills in {run} runs, {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        )
        if broken:
            raise CommandError(f"{len(broken)} half-applied imports: " + "; ".join(broken[:10]))
        self.stdout.write("0 half-applied imports: each import was wholly in or wholly out")

    def _once(
        self, la: Any, locality: Any, user: Any, run: int, rows: int, kill_after: float | None
    ) -> tuple[str, float, str]:
        setting = Setting.objects.create(
            authority=la,
            locality=locality,
            name=f"Atomicity {run}",
            urn=f"96{run:04d}",
            setting_type="primary",
        )
        imp = services.start_import(
            user=user, setting=setting, file_name=f"kill{run}.csv", data=_csv(run, rows)
        )
        if imp.status != "ready":
            services.confirm_mapping(actor=Actor(user=user), imp=imp, mapping=imp.mapping)
        # The parent's connection is closed before forking, so the child opens its own and
        # never shares a socket with the parent.
        connections.close_all()
        began = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the import process
            code = 0
            try:
                apply_import(actor=Actor(user=user, path="exchange_killtest"), pk=imp.pk)
                connections.close_all()
            except BaseException:  # noqa: BLE001 (reported by the exit code)
                code = 1
            os._exit(code)
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        took = time.perf_counter() - began
        outcome, problem = self._check(imp.pk, setting, run, rows, killed)
        return outcome, took, problem

    def _check(
        self, pk: int, setting: Setting, run: int, rows: int, killed: bool
    ) -> tuple[str, str]:
        from vsend.exchange.models import RegisterImport

        # One snapshot for every count: a COMMIT the killed process sent just before it died
        # may still be landing, and must be seen whole or not at all.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            applied = RegisterImport.objects.get(pk=pk).applied_at is not None
            audits = AuditEvent.objects.filter(
                object_type="register_import", object_id=str(pk)
            ).count()
            enrolled = Enrolment.objects.filter(setting=setting).count()
            children = Child.objects.filter(last_name=f"Kill{run}").count()
        whole_in = applied and audits == 1 and enrolled == children == rows
        whole_out = not applied and audits == 0 and enrolled == children == 0
        outcome = ("killed, " if killed else "finished, ") + (
            "applied" if whole_in else "not applied" if whole_out else "HALF-APPLIED"
        )
        problem = (
            ""
            if whole_in or whole_out
            else (f"applied={applied} audit rows={audits} enrolled={enrolled} children={children}")
        )
        return outcome, problem
