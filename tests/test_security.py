import json
import os
import re
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from vsend.accounts import sessions
from vsend.audit.models import Action, AuditEvent

SIGN_IN = "/sign-in/"


def sign_in(client: Client, email: str, password: str = PASSWORD, ip: str = "127.0.0.1"):
    return client.post(SIGN_IN, {"username": email, "password": password}, REMOTE_ADDR=ip)


# Sign-in and lockout ---------------------------------------------------------------------


def test_it_signs_in_with_email_in_any_case_and_audits_it(world):
    response = sign_in(Client(), "SENDCO@example.org")
    assert response.status_code == 302 and response.url == reverse("home")
    assert AuditEvent.objects.filter(action=Action.SIGN_IN, actor=world.users["sendco"]).exists()


def test_a_failed_sign_in_keeps_the_email_and_is_audited(world):
    response = sign_in(Client(), "sendco@example.org", "wrong-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in page
    assert "Enter a correct email address and password" in page
    assert 'value="sendco@example.org"' in page
    assert AuditEvent.objects.filter(
        action=Action.SIGN_IN_FAILED, actor_label="sendco@example.org"
    ).exists()


def test_it_locks_out_a_username_from_one_address_only(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    attacker = Client()
    responses = [sign_in(attacker, "sendco@example.org", "wrong", ip="10.0.0.9") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    locked = sign_in(attacker, "sendco@example.org", ip="10.0.0.9")  # even the right password
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT).exists()
    # The colleague at their own desk is not locked out...
    assert sign_in(Client(), "sendco@example.org", ip="10.0.0.1").status_code == 302
    # ...and nor is anyone else signing in from the attacker's address.
    assert sign_in(Client(), "teacher@example.org", ip="10.0.0.9").status_code == 302


# Sessions --------------------------------------------------------------------------------


def test_it_gives_a_new_session_id_at_sign_in(world):
    client = Client()
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    client.cookies["vsend_session"] = before
    sign_in(client, "sendco@example.org")
    after = client.cookies["vsend_session"].value
    assert after and after != before


@pytest.mark.parametrize(
    ("key", "age", "reason"),
    [
        (sessions.LAST_SEEN, 31 * 60, "idle"),
        (sessions.SIGNED_IN_AT, 12 * 3600 + 60, "absolute"),
    ],
)
def test_sessions_end_after_idle_time_and_in_all(world, key, age, reason):
    client = Client()
    sign_in(client, "sendco@example.org")
    assert client.get(reverse("children:list")).status_code == 200
    session = client.session
    session[key] = time.time() - age
    session.save()
    response = client.get(reverse("children:list"))
    assert response.status_code == 302
    assert f"expired={reason}" in response.url
    assert client.get(reverse("home")).status_code == 302  # signed out for good
    assert AuditEvent.objects.filter(
        action=Action.SIGN_OUT, summary__startswith="Session expired"
    ).exists()


def test_a_session_still_in_use_is_kept(world):
    client = Client()
    sign_in(client, "sendco@example.org")
    session = client.session
    session[sessions.LAST_SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("children:list")).status_code == 200


# Multi-factor sign-in --------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_staff_must_set_up_and_use_a_second_factor_when_required(world, settings):
    settings.VSEND_REQUIRE_MFA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off between the wrong and right codes here
    client = Client()
    assert sign_in(client, "sendco@example.org").url == reverse("accounts:mfa-setup")
    # Nothing else is open until the second factor is set up: neither pages nor the API.
    assert client.get(reverse("children:list")).url == reverse("accounts:mfa-setup")
    assert client.get(reverse("api:children")).status_code == 401
    client.get(reverse("accounts:mfa-setup"))
    device = TOTPDevice.objects.get(user=world.users["sendco"])
    wrong = client.post(
        reverse("accounts:mfa-setup"), {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "The security code is not correct" in wrong.content.decode()
    done = client.post(reverse("accounts:mfa-setup"), {"code": _code(device)})
    # The recovery codes are shown once, on the page that confirms the app is set up.
    assert done.status_code == 200 and "Your recovery codes" in done.content.decode()
    assert client.get(reverse("children:list")).status_code == 200

    # Next time, the code is asked for after the password.
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in this test
    device.save()
    again = Client()
    assert sign_in(again, "sendco@example.org").url.startswith(reverse("accounts:mfa-verify"))
    assert again.get(reverse("children:list")).url == reverse("accounts:mfa-verify")
    assert again.post(reverse("accounts:mfa-verify"), {"code": _code(device)}).status_code == 302
    assert again.get(reverse("children:list")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.MFA_VERIFIED).exists()


def test_an_app_set_up_in_another_session_is_asked_for_once_this_one_moves_on(world):
    """The "no authenticator app" answer is kept in the session while its last-seen time stands
    (no query each request), and asked again when that time moves on."""
    client = Client()
    sign_in(client, "sendco@example.org")
    children = reverse("children:list")
    assert client.get(children).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(children).status_code == 200
    assert not any("otp_totp_totpdevice" in q["sql"] for q in queries.captured_queries)
    # An app is set up in another session: this one keeps its answer a moment ...
    device = TOTPDevice.objects.create(user=world.users["sendco"], name="App", confirmed=True)
    assert client.get(children).status_code == 200
    # ... and asks for the app once the session is next seen (every 15 seconds at most).
    session = client.session
    session[sessions.LAST_SEEN] = time.time() - 20
    session.save()
    assert client.get(children).url == reverse("accounts:mfa-verify")
    assert client.get(children).url == reverse("accounts:mfa-verify")
    device.delete()
    session = client.session
    session[sessions.LAST_SEEN] = time.time() - 20
    session.save()
    assert client.get(children).status_code == 200


def test_families_are_not_made_to_use_a_second_factor(world, settings):
    settings.VSEND_REQUIRE_MFA = True
    client = Client()
    assert sign_in(client, "parent@example.org").url == reverse("home")
    assert client.get(reverse("children:detail", kwargs={"pk": world.child.pk})).status_code == 200


# Headers ---------------------------------------------------------------------------------


def test_pages_carry_security_headers_and_no_inline_script_without_the_nonce(world):
    response = Client().get(SIGN_IN)
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert "src=" in tag or f'nonce="{nonce}"' in tag, tag
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def _production_env() -> dict[str, str]:
    # As a deployment would run: none of the test run's own switches.
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        VSEND_ENV="production",
        SECRET_KEY="x" * 60 + "production-test-key",
        ALLOWED_HOSTS="vsend.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    return env


def test_production_settings_require_mfa_and_secure_transport():
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: "
        "getattr(settings, k) for k in ['VSEND_REQUIRE_MFA', 'SECURE_HSTS_SECONDS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'DEBUG']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=_production_env() | {"DJANGO_SETTINGS_MODULE": "vsend.config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(out.stdout)
    assert values == {
        "VSEND_REQUIRE_MFA": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
    }


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    out = subprocess.run(
        [sys.executable, "-m", "vsend.config.cli", "check"], env=env, capture_output=True, text=True
    )
    assert out.returncode != 0
    assert "SECRET_KEY must be set" in out.stderr


def test_deploy_check_is_clean_under_production_settings(tmp_path):
    # On SQLite: on PostgreSQL the check also looks at the database role, which the suite's
    # superuser fails (tests/test_database_roles.py runs it as the application's role).
    env = {k: v for k, v in _production_env().items() if k != "DATABASE_URL"}
    out = subprocess.run(
        [sys.executable, "-m", "vsend.config.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env | {"VSEND_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_deploy_check_warns_when_production_has_no_mail_server(tmp_path):
    env = {k: v for k, v in _production_env().items() if k not in ("DATABASE_URL", "EMAIL_HOST")}
    out = subprocess.run(
        [sys.executable, "-m", "vsend.config.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env | {"VSEND_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "vsend.W006" in out.stderr + out.stdout
    assert "No mail server is set" in out.stderr + out.stdout
