"""Email: SMTP from the environment in production, files under var/mail/ by default."""

import json
import os
import socket
import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.urls import reverse

from vsend.accounts.models import Invitation


class Collect(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:  # type: ignore[no-untyped-def]
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def _invite_governor(client, world) -> None:
    response = client.post(
        reverse("people:setting-invite", args=[world.setting.pk]),
        {"full_name": "Gail Green", "email": "gail@example.org", "role": "governor"},
    )
    assert response.status_code == 302


def test_an_invitation_goes_out_over_smtp(world, as_user, settings, smtp_server):
    controller, handler = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "vsend <noreply@vsend.example.org>"
    _invite_governor(as_user("sendco"), world)
    (message,) = handler.messages
    assert message["To"] == "gail@example.org"
    assert message["From"] == "vsend <noreply@vsend.example.org>"
    assert message.is_multipart()
    kinds = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= kinds
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert "/invitations/" in text.get_payload(decode=True).decode()
    assert Invitation.objects.get().send_count == 1


def test_when_the_mail_server_is_down_the_page_does_not_wait_and_the_job_is_tried_again(
    world, as_user, settings, mailoutbox
):
    from django_q.models import Schedule

    from vsend.jobs.queue import run

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listening
    settings.EMAIL_TIMEOUT = 2
    _invite_governor(as_user("sendco"), world)  # the invitation is made all the same
    inv = Invitation.objects.get()
    assert (inv.sent_at, inv.send_count) == (None, 0)  # the list says "Not yet"
    retry = Schedule.objects.get(name__startswith="Retry mail.send #2")
    assert retry.args == repr(("mail.send", ["invitation", inv.pk], 2))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run("mail.send", ["invitation", inv.pk], 2)  # what the schedule runs
    (message,) = mailoutbox
    assert message.to == ["gail@example.org"]
    inv.refresh_from_db()
    assert inv.sent_at is not None


def test_messages_are_written_to_files_by_default(world, as_user, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    _invite_governor(as_user("sendco"), world)
    (written,) = list(tmp_path.iterdir())
    content = written.read_text()
    assert "To: gail@example.org" in content and "/invitations/" in content


def _mail_settings(env: dict[str, str]) -> dict:
    script = (
        "import json, django; from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ('EMAIL_BACKEND', 'EMAIL_HOST', "
        "'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_FILE_PATH', "
        "'DEFAULT_FROM_EMAIL', 'VSEND_INVITATION_DAYS')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DEFAULT_FROM"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env={**clean, "DJANGO_SETTINGS_MODULE": "vsend.config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_smtp_is_configured_from_the_environment(tmp_path):
    got = _mail_settings(
        {
            "VSEND_DATA_DIR": str(tmp_path),
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": "465",
            "EMAIL_HOST_USER": "vsend",
            "EMAIL_HOST_PASSWORD": "secret",
            "EMAIL_USE_TLS": "false",
            "EMAIL_USE_SSL": "true",
            "DEFAULT_FROM_EMAIL": "SEND team <send@example.org>",
            "VSEND_INVITATION_DAYS": "3",
        }
    )
    assert got["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (got["EMAIL_HOST"], got["EMAIL_PORT"], got["EMAIL_HOST_USER"]) == (
        "smtp.example.org",
        465,
        "vsend",
    )
    assert (got["EMAIL_USE_TLS"], got["EMAIL_USE_SSL"]) == (False, True)
    assert got["DEFAULT_FROM_EMAIL"] == "SEND team <send@example.org>"
    assert got["VSEND_INVITATION_DAYS"] == 3


def test_without_a_mail_server_messages_go_to_var_mail(tmp_path):
    got = _mail_settings({"VSEND_DATA_DIR": str(tmp_path)})
    assert got["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert got["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
