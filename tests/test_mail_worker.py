"""An email job survives a worker that dies while sending it, and the person gets it once.

Real processes: a job worker on a database of its own and an SMTP server started here. The
server holds the first delivery open until the worker has been killed (an SMTP client that never
saw "250" has not delivered); a message only counts as delivered when the server accepts it.
"""

import asyncio
import email
import email.policy
import signal
import threading
import time

from aiosmtpd.controller import Controller

from tests.test_jobs import _env, _python, _stop, _vsend, _worker
from tests.test_mail import _free_port


class HeldOpen:
    """Holds each delivery until `release` is set; refuses those that arrived before it."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.delivered: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        if not self.release.is_set():
            self.arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.1)
            return "451 Try again later"
        self.delivered.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def test_a_reset_email_survives_a_worker_that_dies_while_sending_and_arrives_once(tmp_path):
    handler = HeldOpen()
    smtp = Controller(handler, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    env = _env(tmp_path) | {
        "EMAIL_HOST": smtp.hostname,
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "60",
    }
    try:
        _vsend(env, "migrate", "--no-input", "-v0")
        # Asked for while no worker runs: the job waits in the queue.
        _python(
            env,
            "from vsend.accounts.models import User\n"
            "from vsend.mail.services import send_later\n"
            "u = User.objects.create_user(email='rosa@example.org', password='long-enough-pw-1',"
            " full_name='Rosa Reed')\n"
            "send_later('password_reset', u.pk)",
        )
        worker = _worker(env)
        try:
            assert handler.arrived.wait(120), "the worker never started sending"
        finally:
            _stop(worker, signal.SIGKILL)  # dies with the message half sent
        handler.release.set()
        time.sleep(1)
        assert handler.delivered == []

        worker = _worker(env)
        try:
            deadline = time.monotonic() + 120
            while not handler.delivered and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(20)  # past another lease: the job is not handed out again
        finally:
            _stop(worker)
        assert len(handler.delivered) == 1, handler.delivered
        recipients, content = handler.delivered[0]
        assert recipients == ["rosa@example.org"]
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert str(message["Subject"]).startswith("Reset your password")
        assert "/password-reset/" in message.get_body(("plain",)).get_content()
    finally:
        smtp.stop()
