"""Instructions per profile-summary request, counted by valgrind (callgrind).

A machine's speed drifts (other tenants, clock changes), so timings of two versions of the code
taken minutes apart can differ by more than the change being measured. An instruction count
does not drift: the same code gives the same count to within a fraction of a percent. Compare
two checkouts with it; confirm with `vsend bench profile` and the load test.

    DATABASE_URL=postgres://... python scripts/instructions.py [--requests 30]

Needs valgrind (`apt-get install valgrind`) and the demo authority (`vsend demo`). The count
starts after a few untimed requests and covers only the timed ones (Django's whole request
stack through the test client, as `vsend bench profile`). About a minute for 30 requests.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

MARK = "VSEND_INSTRUCTIONS_INNER"


def outer(requests: int) -> None:
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        sys.exit("valgrind is not installed (on Debian or Ubuntu: apt-get install valgrind).")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--requests",
            str(requests),
        ]
        env = os.environ | {MARK: "1"}
        done = subprocess.run(  # noqa: S603 - fixed arguments
            command, env=env, capture_output=True, text=True, timeout=1800
        )
        if done.returncode != 0 or not os.path.exists(out):
            sys.exit(f"valgrind failed ({done.returncode}):\n{done.stderr[-2000:]}")
        with open(out) as f:
            totals = [int(line.split()[1]) for line in f if line.startswith("totals:")]
        if not totals:
            sys.exit(f"callgrind wrote no totals to {out}")
        print(done.stdout.strip())
        print(
            f"{totals[0] / requests / 1e6:.2f} million instructions a request ({requests} requests)"
        )


def inner(requests: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsend.config.settings")
    django.setup()
    import logging

    from django.conf import settings
    from django.core.management.base import CommandError
    from django.test import Client
    from django.urls import reverse

    from vsend.profiles.management.commands.bench import summary_target

    if settings.PRODUCTION:  # it signs in as a SENDCo and opens a child's profile, audited
        sys.exit("This measurement uses the demo authority and does not run in production.")
    logging.disable(logging.INFO)  # as in production, one line a request; not what is measured
    try:
        profile, sendco = summary_target()  # the profile `vsend bench profile` times
    except CommandError as e:
        sys.exit(str(e))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(sendco.user)
    url = reverse("profiles:summary", kwargs={"pk": profile.pk})
    for _ in range(5):  # warm the process's caches (templates, frameworks, kept profiles)
        client.get(url)
    pid = str(os.getpid())
    control = ["callgrind_control", "--instr=on", pid]
    subprocess.run(control, check=True, capture_output=True)  # noqa: S603 - fixed arguments
    for _ in range(requests):
        if client.get(url).status_code != 200:
            sys.exit(f"{url} did not answer 200")
    off = [control[0], "--instr=off", pid]
    subprocess.run(off, check=True, capture_output=True)  # noqa: S603 - fixed arguments
    print(f"Profile {profile.pk} summary as {sendco.user.email}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, metavar="N", help="2 to 1000")
    args = parser.parse_args()
    if not 2 <= args.requests <= 1000:
        parser.error("--requests must be from 2 to 1000")
    (inner if os.environ.get(MARK) else outer)(args.requests)
