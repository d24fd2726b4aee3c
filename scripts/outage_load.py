"""Loopback load test of a database outage: every answer is a proper page or problem document.

Runs gunicorn on 127.0.0.1 against PostgreSQL through a TCP proxy this script controls, sends a
bounded load of page, API and health requests, stops the proxy for a while (the database is
unreachable: new connections refused, open ones cut), starts it again, and reports:

- every response by phase (before, during, after the outage) and status;
- any response that is empty, or an error that is not a proper page (the GOV.UK layout) or, for
  the API, not `application/problem+json`;
- how long after the database came back each endpoint answered 200 again, with no restart.

Usage (a PostgreSQL database the script may migrate and add a user and a child to):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vsend_outage \\
        .venv/bin/python scripts/outage_load.py [--before 8] [--outage 15] [--after 15]

Exit status 0 when every response was proper and service resumed, 1 otherwise.
"""

import argparse
import http.cookiejar
import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass

PASSWORD = "outage-load-password-1"  # noqa: S105 - a throwaway user in a test database
EMAIL = "outage.load@example.org"


class Proxy:
    """A TCP forwarder to the database that can be stopped (refuse and cut) and restarted."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener: socket.socket | None = None
        self.port = 0
        self.links: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self.listener = self.listener, None
        if listener:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            except OSError:
                pass
            listener.close()
        with self.lock:
            for s in self.links:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self.links.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.listener is not listener:  # stopped while accepting
                client.close()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.links += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 1)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        raise OSError
                    (b if s is a else a).sendall(data)
        except (OSError, ValueError):
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass


def prepare(direct_url: str) -> tuple[int, str]:
    """Migrate the database and make a signed-in-able user, a child, and an API token."""
    os.environ["DATABASE_URL"] = direct_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsend.config.settings")
    import django

    django.setup()
    from datetime import date

    from django.core.management import call_command

    from vsend.accounts.models import Membership, User
    from vsend.accounts.roles import Role
    from vsend.accounts.services import create_api_token
    from vsend.audit.services import Actor
    from vsend.children.models import Child, Enrolment
    from vsend.organisations.models import LocalAuthority, Locality, Setting

    call_command("migrate", verbosity=0)
    authority, _ = LocalAuthority.objects.get_or_create(code="999", defaults={"name": "Outage LA"})
    locality, _ = Locality.objects.get_or_create(authority=authority, name="Outage")
    setting, _ = Setting.objects.get_or_create(
        urn="999999",
        defaults={
            "authority": authority,
            "locality": locality,
            "name": "Outage Primary",
            "setting_type": "primary",
        },
    )
    user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(
        EMAIL, PASSWORD, full_name="Outage Load"
    )
    Membership.objects.get_or_create(
        user=user, role=Role.SENDCO, authority=authority, setting=setting
    )
    child = Child.objects.filter(authority=authority).first()
    if child is None:
        child = Child.objects.create(
            authority=authority,
            first_name="Olive",
            last_name="Outage",
            date_of_birth=date(2018, 1, 1),
            sex="F",
        )
        Enrolment.objects.create(child=child, setting=setting, started_on=date(2025, 9, 1))
    token = create_api_token(actor=Actor(user=user), user=user, name="outage load")
    return child.pk, token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Answer:
    phase: str
    name: str
    status: int
    length: int
    content_type: str
    proper: bool
    at: float


def sign_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/sign-in/", timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode(
        {"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - a loopback http address
        f"{base}/sign-in/", data=body, headers={"Referer": base}
    )
    opener.open(request, timeout=30).read()
    return opener


def proper(name: str, status: int, content_type: str, body: bytes) -> bool:
    """A real answer: not empty; an error is the GOV.UK page or, for the API, a problem."""
    if not body:
        return False
    if status < 400:
        return True
    if name.startswith("api"):
        try:
            doc = json.loads(body)
        except ValueError:
            return False
        return content_type.startswith("application/problem+json") and doc.get("status") == status
    if name in ("healthz", "readyz"):
        return content_type.startswith("application/json") and b"status" in body
    return b"govuk-template" in body and b"Sorry" in body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=float, default=8)
    parser.add_argument("--outage", type=float, default=15)
    parser.add_argument("--after", type=float, default=15)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    direct = os.environ.get("DATABASE_URL", "")
    if not direct.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database the script may use")
    parsed = urllib.parse.urlparse(direct)
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("Loopback only: the database must be on this machine")

    child_pk, token = prepare(direct)
    proxy = Proxy((parsed.hostname or "127.0.0.1", parsed.port or 5432))
    proxy.start()
    proxied = parsed._replace(netloc=f"{parsed.username or 'postgres'}@127.0.0.1:{proxy.port}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=urllib.parse.urlunparse(proxied), VSEND_ENV="development")
    env["DATABASE_CONN_MAX_AGE"] = "60"
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "vsend.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        pages = sign_in(base)
        targets = {
            "page:children": (pages, f"{base}/children/", {}),
            "page:child": (pages, f"{base}/children/{child_pk}/", {}),
            "page:home": (pages, f"{base}/", {}),
            "api:children": (
                None,
                f"{base}/api/v1/children/",
                {"Authorization": f"Bearer {token}"},
            ),
            "api:child": (
                None,
                f"{base}/api/v1/children/{child_pk}/",
                {"Authorization": f"Bearer {token}"},
            ),
            "healthz": (None, f"{base}/healthz", {}),
            "readyz": (None, f"{base}/readyz", {}),
        }
        answers: list[Answer] = []
        phase = ["before"]
        stop = threading.Event()
        start = time.monotonic()

        def client(offset: int) -> None:
            names = list(targets)
            i = offset
            while not stop.is_set() and len(answers) < 20_000:  # bounded
                name = names[i % len(names)]
                i += 1
                opener, url, headers = targets[name]
                request = urllib.request.Request(url, headers=headers)  # noqa: S310
                try:
                    response = (opener or urllib.request.build_opener()).open(request, timeout=35)
                    status, body = response.status, response.read()
                    ctype = response.headers.get("Content-Type", "")
                except urllib.error.HTTPError as err:
                    status, body = err.code, err.read()
                    ctype = err.headers.get("Content-Type", "")
                except OSError:
                    status, body, ctype = 0, b"", ""
                answers.append(
                    Answer(
                        phase[0],  # the phase when the answer came
                        name,
                        status,
                        len(body),
                        ctype,
                        proper(name, status, ctype, body),
                        time.monotonic() - start,
                    )
                )
                time.sleep(0.02)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        time.sleep(args.before)
        phase[0] = "outage"
        proxy.stop()
        down_at = time.monotonic() - start
        time.sleep(args.outage)
        proxy.start()
        phase[0] = "after"
        up_at = time.monotonic() - start
        time.sleep(args.after)
        stop.set()
        for t in threads:
            t.join()
        return report(answers, down_at, up_at, targets)
    finally:
        server.terminate()
        server.wait(timeout=30)
        proxy.stop()


def report(answers: list[Answer], down_at: float, up_at: float, targets: dict) -> int:
    by_phase: dict[str, Counter[str]] = defaultdict(Counter)
    for a in answers:
        by_phase[a.phase][f"{a.name} {a.status}"] += 1
    bad = [a for a in answers if not a.proper]
    empty = [a for a in answers if a.length == 0]
    print(f"{len(answers)} responses; database unreachable from {down_at:.1f}s to {up_at:.1f}s")
    for phase in ("before", "outage", "after"):
        print(f"  {phase}: " + ", ".join(f"{k}: {v}" for k, v in sorted(by_phase[phase].items())))
    print(f"  empty responses: {len(empty)}; improper responses: {len(bad)}")
    kinds = Counter((a.phase, a.name, a.status, a.content_type, a.length) for a in bad)
    for (phase, name, status, ctype, length), n in sorted(kinds.items())[:20]:
        print(f"    {n} x {phase} {name} {status} {ctype!r} {length} bytes")
    resumed = True
    for name in targets:
        back = [a.at for a in answers if a.name == name and a.at > up_at and a.status == 200]
        if back:
            print(f"  {name}: 200 again {back[0] - up_at:.2f}s after the database came back")
        else:
            resumed = False
            print(f"  {name}: never answered 200 after the database came back")
    return 0 if not bad and not empty and resumed else 1


if __name__ == "__main__":
    sys.exit(main())
