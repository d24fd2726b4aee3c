"""`vsend serve [addr:port]`: the development web server and the job worker together.

For `make run` and trying vsend out: one command starts both, and stopping it (Ctrl-C) stops
both. If either exits, the other is stopped too, so a broken worker is never hidden. Production
runs gunicorn and `vsend qcluster` as two services instead (see the README)."""

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

COMMAND = [sys.executable, "-m", "vsend.config.cli"]


class Command(BaseCommand):
    help = "Run the development web server and the background job worker together."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        # Our own interpreter and command, with fixed arguments (and the address given).
        web = [*COMMAND, "runserver", "--noreload", options["addrport"]]
        children = {
            "web server": subprocess.Popen(web),  # noqa: S603
            "job worker": subprocess.Popen([*COMMAND, "qcluster"]),  # noqa: S603
        }
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exited = ""
        while not stopping and not exited:
            exited = next((name for name, p in children.items() if p.poll() is not None), "")
            time.sleep(0.5)
        if exited:
            self.stderr.write(f"The {exited} stopped, so vsend is stopping.")
        for process in children.values():
            if process.poll() is None:
                process.terminate()
        for process in children.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if exited:
            sys.exit(1)
