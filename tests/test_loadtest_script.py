"""scripts/loadtest.py only ever sends to loopback addresses, stops by itself, and its lean client
counts a request as answered only when the status is 200 and the whole body was read."""

import asyncio
import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "loadtest.py"


def _script():
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_loopback_addresses_are_targets():
    loopback = _script().loopback
    for ok in (
        "http://127.0.0.1:8000",
        "http://127.9.9.9",
        "http://localhost:8000",
        "http://[::1]:80",
    ):
        assert loopback(ok), ok
    for refused in ("http://10.0.0.1", "http://192.168.1.2:8000", "https://example.org", "http://"):
        assert not loopback(refused), refused


def _refused(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    return done.stderr


def test_other_addresses_and_unbounded_runs_are_refused_before_anything_is_sent():
    assert "loopback" in _refused("--base", "http://192.168.1.2:8000")
    assert "--duration" in _refused("--serve", "--duration", "3600")


# The lean client of the timed phases: a request is answered only when the status is 200 and the
# whole body was read; anything cut short, malformed or too slow is a failure.

PAGE = b"<html>" + b"x" * 5000 + b"</html>"
SIZED = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(PAGE), PAGE)
CLOSING = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (
    len(PAGE),
    PAGE,
)
CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    + b"".join(b"%x;ext=1\r\n%s\r\n" % (len(part), part) for part in (PAGE[:100], PAGE[100:]))
    + b"0\r\nX-Trailer: yes\r\n\r\n"
)


def _run(coroutine):
    """asyncio.run on a thread of its own: the browser tests leave an event loop running on
    this one."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _get(responses, times=1):
    """(each get's result, the requests the server read, connections made) against a local
    server answering each request with the next of (bytes, whether to close afterwards)."""
    lean_class = _script().Lean
    queue = list(responses)
    requests = []
    connections = 0

    async def handle(reader, writer):
        nonlocal connections
        connections += 1
        try:
            while queue:
                requests.append(await reader.readuntil(b"\r\n\r\n"))
                response, close = queue.pop(0)
                writer.write(response)
                await writer.drain()
                if close:
                    return
            await reader.read()  # holding the connection until the client goes
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def run():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        lean = lean_class(f"http://127.0.0.1:{port}", "/page?x=1", ("sessionid", "abc"))
        try:
            return [await lean.get() for _ in range(times)]
        finally:
            lean.close()
            server.close()

    results = _run(run())
    return results, requests, connections


def test_lean_client_sends_a_minimal_get():
    results, [request], _ = _get([(CLOSING, True)])
    assert results == [True]
    assert re.fullmatch(
        rb"GET /page\?x=1 HTTP/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nCookie: sessionid=abc\r\n"
        rb"Connection: keep-alive\r\n\r\n",
        request,
    )


def test_lean_client_reconnects_when_the_server_closes_after_each_response():
    results, requests, connections = _get([(CLOSING, True)] * 3, times=3)
    assert (results, len(requests), connections) == ([True] * 3, 3, 3)


def test_lean_client_keeps_the_connection_alive_when_the_server_offers_it():
    results, _, connections = _get([(SIZED, False), (CHUNKED, False), (SIZED, False)], times=3)
    assert (results, connections) == ([True] * 3, 1)


def test_lean_client_reads_a_body_running_until_close_and_skips_interim_responses():
    until_close = b"HTTP/1.0 200 OK\r\n\r\n" + PAGE
    interim = b"HTTP/1.1 100 Continue\r\n\r\n" + CLOSING
    assert _get([(until_close, True), (interim, True)], times=2)[0] == [True, True]


def test_lean_client_retries_once_when_an_idle_kept_alive_connection_was_dropped():
    results, _, connections = _get([(SIZED, True), (CHUNKED, True)], times=2)
    assert (results, connections) == ([True, True], 2)


def test_lean_client_counts_bodies_cut_short_and_bad_answers_as_failures():
    cut_sized = SIZED[:-100]
    cut_chunked = CHUNKED[: CHUNKED.index(b"0\r\n")]
    not_found = b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno"
    for response in (cut_sized, cut_chunked, not_found, b"garbage\r\n\r\n", b"HTTP/1.1 200 OK"):
        assert _get([(response, True)])[0] == [False], response
    # A failure leaves the client usable: the next request succeeds on a new connection.
    assert _get([(cut_sized, True), (CLOSING, True)], times=2)[0] == [False, True]


def test_lean_client_gives_up_after_the_timeout(monkeypatch):
    script = _script()
    monkeypatch.setattr(script, "TIMEOUT", 0.3)
    never = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"  # then nothing more

    async def run():
        async def handle(reader, writer):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(never)
            await reader.read()
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        lean = script.Lean(
            f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", "/", ("s", "v")
        )
        started = time.monotonic()
        result = await lean.get()
        server.close()
        return result, time.monotonic() - started

    result, elapsed = _run(run())
    assert result is False and elapsed < 5
