"""Four processes append to the audit chain of one SQLite file at once (run by a test)."""

import multiprocessing
import sys
import time

import django
from django.core.management import call_command
from django.db import connections, transaction

django.setup()


def work(n):
    from vsend.audit.models import Action
    from vsend.audit.services import Actor, record

    connections.close_all()
    for i in range(25):
        with transaction.atomic():
            record(Actor(user=None), Action.VIEW, summary=f"process {n} row {i}")
    connections.close_all()
    return n


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    connections.close_all()
    t = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        pool.map(work, range(4))
    from vsend.audit.chain import verify

    v = verify()
    print(v.ok, v.checked, f"{time.perf_counter() - t:.2f}s")
    sys.exit(0 if v.ok and v.checked == 100 else 1)
