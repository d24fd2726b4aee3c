#!/usr/bin/env python3
"""Load test of one page under gunicorn, on this machine only (loopback), bounded in time.

    DATABASE_URL=... .venv/bin/python scripts/loadtest.py --serve --workers 4

Signs a demo SENDCo in (a session made directly in the database, as `vsend bench profile` does)
and requests a demo profile's summary page (or --path) in two phases:

- saturation: --concurrency clients, each sending its next request as soon as the last is
  answered, for --duration seconds: requests a second at saturation;
- users: --users simulated people, each waiting --think seconds (+-25%) between requests, for
  --duration seconds: p50 and p95 response times as people would see them.

With --serve it starts gunicorn itself (--workers sync workers, `vsend.ops.gunicorn` settings) on
a free loopback port with the current environment and stops it afterwards; otherwise give --base,
which must be a loopback address. The load generator shares the machine's cores with the server,
so the phases use a lean HTTP/1.1 client (under 1 ms of CPU a request, about a quarter of what
httpx.AsyncClient takes); --client httpx uses httpx instead, to compare.
"""

import argparse
import asyncio
import functools
import ipaddress
import logging
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx

MAX_SECONDS = 300
TIMEOUT = 30  # seconds for one request, connecting included


def loopback(base: str) -> bool:
    host = urlsplit(base).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def demo_session() -> tuple[str, str, str]:
    """(session cookie name, value, the profile summary's path) for the demo's SENDCo."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsend.config.settings")
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line for each request sent
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.test import Client
    from django.urls import reverse

    from vsend.profiles.management.commands.bench import summary_target

    try:
        profile, sendco = summary_target()  # the profile `vsend bench profile` times
    except CommandError as e:
        raise SystemExit(str(e)) from None
    client = Client()
    client.force_login(sendco.user)
    cookie = settings.SESSION_COOKIE_NAME
    return cookie, client.cookies[cookie].value, reverse("profiles:summary", args=[profile.pk])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    env = {**os.environ, "VSEND_LOG_FORMAT": os.environ.get("VSEND_LOG_FORMAT", "json")}
    env.setdefault("LOG_LEVEL", "WARNING")  # one log line a request would load the cores too
    process = subprocess.Popen(  # noqa: S603
        [gunicorn, "-c", "python:vsend.ops.gunicorn", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "vsend.config.wsgi"],
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not become ready within 180 s")


async def read_headers(reader: asyncio.StreamReader) -> dict[bytes, bytes]:
    headers: dict[bytes, bytes] = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n"):
        name, colon, value = line.partition(b":")
        if not colon or not line.endswith(b"\n"):
            raise ValueError("header line malformed or cut short")
        headers[name.strip().lower()] = value.strip().lower()
    return headers


async def read_chunked(reader: asyncio.StreamReader) -> None:
    while size := int((await reader.readline()).split(b";", 1)[0], 16):  # b"" -> ValueError
        await reader.readexactly(size)
        if await reader.readexactly(2) != b"\r\n":
            raise ValueError("chunk not followed by CRLF")
    await read_headers(reader)  # trailers, up to the blank line


class Lean:
    """A minimal HTTP/1.1 client of one page on one connection, kept alive while the server
    allows it (gunicorn's sync workers close after each response: then one connection each)."""

    def __init__(self, base: str, path: str, cookie: tuple[str, str]) -> None:
        url = urlsplit(base)
        self.address = (url.hostname or "", url.port or (443 if url.scheme == "https" else 80))
        self.tls = url.scheme == "https"
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {url.netloc}\r\nCookie: {cookie[0]}={cookie[1]}\r\n"
            "Connection: keep-alive\r\n\r\n"
        ).encode("latin-1")
        self.stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    def close(self) -> None:
        if self.stream is not None:
            self.stream[1].close()
            self.stream = None

    async def get(self) -> bool:
        """Whether the page was answered: status 200 and the whole body read, within TIMEOUT."""
        try:
            async with asyncio.timeout(TIMEOUT):
                reused = self.stream is not None
                try:
                    status = await self.exchange()
                except ConnectionError:
                    if not reused:
                        raise
                    self.close()  # the server dropped the idle kept-alive connection: reconnect
                    status = await self.exchange()
        except (OSError, EOFError, ValueError):  # timeouts are OSErrors, cut reads EOFErrors
            self.close()
            return False
        return status == 200

    async def exchange(self) -> int:
        if self.stream is None:
            self.stream = await asyncio.open_connection(*self.address, ssl=self.tls or None)
        reader, writer = self.stream
        writer.write(self.request)
        await writer.drain()
        status = 100
        while 100 <= status < 200:  # skipping any interim (1xx) responses
            line = await reader.readline()
            if not line:
                raise ConnectionResetError("closed before answering")
            version, _, rest = line.partition(b" ")
            if not version.startswith(b"HTTP/1.") or not line.endswith(b"\n"):
                raise ValueError("status line malformed or cut short")
            status = int(rest[:3])
            headers = await read_headers(reader)
        connection = headers.get(b"connection", b"")
        keep = b"close" not in connection if version != b"HTTP/1.0" else b"keep-alive" in connection
        if status in (204, 304):
            pass
        elif b"chunked" in headers.get(b"transfer-encoding", b""):
            await read_chunked(reader)
        elif b"content-length" in headers:
            await reader.readexactly(int(headers[b"content-length"]))
        else:
            while await reader.read(65536):  # the body runs until the server closes
                pass
            keep = False
        if not keep:
            self.close()
        return status


class Httpx:
    """httpx.AsyncClient as the load generator (--client httpx), to compare."""

    def __init__(self, client: httpx.AsyncClient, path: str) -> None:
        self.client, self.path = client, path

    async def get(self) -> bool:
        try:
            return (await self.client.get(self.path)).status_code == 200
        except httpx.HTTPError:
            return False

    def close(self) -> None:
        pass


async def phase(
    connect: Callable[[], Lean | Httpx], users: int, think: float, seconds: float
) -> tuple[list[float], int, float]:
    """Latencies (ms) of successful requests, the number of failures, and the elapsed time."""
    latencies: list[float] = []
    failures = 0
    stop_at = time.monotonic() + seconds

    async def user(index: int) -> None:
        nonlocal failures
        rng = random.Random(index)  # noqa: S311  (spreading think times, not security)
        if think:
            await asyncio.sleep(rng.uniform(0, think))  # people do not all start at once
        getter = connect()
        try:
            while time.monotonic() < stop_at:
                start = time.perf_counter()
                if await getter.get():
                    latencies.append((time.perf_counter() - start) * 1000)
                else:
                    failures += 1
                if think:
                    await asyncio.sleep(think * rng.uniform(0.75, 1.25))
        finally:
            getter.close()

    started = time.monotonic()
    await asyncio.gather(*(user(i) for i in range(users)))
    return latencies, failures, time.monotonic() - started


def report(name: str, latencies: list[float], failures: int, elapsed: float) -> None:
    if len(latencies) < 2:
        print(f"{name}: {len(latencies)} answered, {failures} failed")
        return
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{name:<11} {len(latencies) / elapsed:7.1f} requests/s   "
        f"p50 {statistics.median(latencies):6.1f} ms   p95 {q[94]:6.1f} ms   "
        f"max {max(latencies):6.1f} ms   {len(latencies)} answered, {failures} failed, "
        f"{elapsed:.0f} s"
    )


async def main_async(
    args: argparse.Namespace, base: str, cookie: tuple[str, str], path: str
) -> None:
    limits = httpx.Limits(max_connections=max(args.concurrency, args.users))
    async with httpx.AsyncClient(
        base_url=base, cookies={cookie[0]: cookie[1]}, limits=limits, timeout=TIMEOUT
    ) as client:
        warm = await client.get(path)
        if warm.status_code != 200:
            raise SystemExit(f"{path} answered {warm.status_code}: is the session valid?")
        connect: Callable[[], Lean | Httpx] = (
            functools.partial(Httpx, client, path)
            if args.client == "httpx"
            else functools.partial(Lean, base, path, cookie)
        )
        await phase(connect, args.concurrency, 0, 3)  # warm every worker
        if args.phase in ("both", "saturation"):
            report("saturation", *await phase(connect, args.concurrency, 0, args.duration))
        if args.phase in ("both", "users"):
            users = await phase(connect, args.users, args.think, args.duration)
            report(f"{args.users} users", *users)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help="start gunicorn for the test")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (--serve)")
    parser.add_argument("--base", default="", help="a running server (loopback only)")
    parser.add_argument("--path", default="", help="the page (default: a demo profile summary)")
    parser.add_argument("--phase", choices=["both", "saturation", "users"], default="both")
    parser.add_argument("--concurrency", type=int, default=16, help="saturation clients")
    parser.add_argument("--users", type=int, default=50, help="simulated people")
    parser.add_argument("--think", type=float, default=2.0, help="seconds between requests")
    parser.add_argument("--duration", type=float, default=30, help="seconds per phase")
    parser.add_argument(
        "--client",
        choices=["lean", "httpx"],
        default="lean",
        help="load generator (httpx: to compare)",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= MAX_SECONDS:
        parser.error(f"--duration must be between 1 and {MAX_SECONDS} seconds")
    if args.serve == bool(args.base):
        parser.error("give either --serve or --base")
    if args.base and not loopback(args.base):
        parser.error("--base must be a loopback address (127.0.0.0/8, localhost or ::1)")
    name, value, summary = demo_session()
    process = None
    base = args.base
    if args.serve:
        process, base = serve(args.workers)
    try:
        print(
            f"{base}{args.path or summary}: {os.cpu_count()} cores, load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} before the test"
        )
        asyncio.run(main_async(args, base, (name, value), args.path or summary))
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} after the test")
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
