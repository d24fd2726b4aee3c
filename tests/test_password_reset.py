"""Password reset by email: end to end through the outbox; used, expired and forged links
refused with a clear page; an unknown address gets the same page; throttled per address."""

import re
from datetime import timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.test_security import sign_in
from vsend.accounts.models import PasswordResetRequest
from vsend.audit.models import Action, AuditEvent

RESET = reverse("accounts:password-reset")
SENT = reverse("accounts:password-reset-sent")
NEW_PASSWORD = "a-brand-new-password-42"
NOT_WORKING = "This link does not work"


def _ask(address: str, client: Client | None = None):
    return (client or Client()).post(RESET, {"email": address})


def _link(message) -> str:
    found = re.search(r"https?://[^/\s]+(/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def _choose(client: Client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    form = client.get(link)
    assert form.status_code == 302, form.status_code  # to the form without the token in it
    return client.post(form.url, {"new_password1": password, "new_password2": confirm or password})


def test_it_resets_a_password_end_to_end_through_the_email(world):
    response = _ask("SendCo@Example.org")
    assert response.status_code == 302 and response.url == SENT
    (message,) = mail.outbox
    assert message.to == ["sendco@example.org"]
    assert message.subject.startswith("Reset your password")
    assert "reset the password" in message.body and "works once, for 60 minutes" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Choose a new password" in html
    # What it is for, and nothing about any child.
    for child in (world.child, world.classmate, world.young_person_child):
        assert child.first_name not in message.body and child.first_name not in html

    client = Client()
    link = _link(message)
    assert link in html
    mismatch = _choose(client, link, confirm="something-else-entirely")
    page = mismatch.content.decode()
    assert "<title>Error: Choose a new password" in page
    assert "There is a problem" in page and "The passwords do not match" in page
    weak = client.post(client.get(link).url, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in weak.content.decode()

    done = client.post(
        client.get(link).url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.url == reverse("accounts:password-reset-done")
    assert "Your password has been changed" in client.get(done.url).content.decode()
    assert sign_in(Client(), "sendco@example.org", NEW_PASSWORD).url == reverse("home")
    assert sign_in(Client(), "sendco@example.org").status_code == 200  # the old one fails

    rows = AuditEvent.objects.filter(action=Action.PASSWORD_RESET).order_by("pk")
    summaries = [r.summary for r in rows]
    assert summaries == ["Password reset link sent", "Password changed with a reset link"]
    assert rows[1].object_id == str(world.users["sendco"].pk)
    assert rows[1].authority_id == world.authority.pk


def test_a_used_link_is_refused_with_a_clear_page(world):
    _ask("sendco@example.org")
    link = _link(mail.outbox[0])
    assert _choose(Client(), link).status_code == 302
    again = Client().get(link)
    assert again.status_code == 200
    page = again.content.decode()
    assert NOT_WORKING in page and "already been used" in page
    assert reverse("accounts:password-reset") in page  # a way to ask for a new one
    # Posting to the form address without a valid link changes nothing.
    uid = link.split("/")[2]
    url = reverse("accounts:password-reset-confirm", args=[uid, "set-password"])
    refused = Client().post(url, {"new_password1": "x" * 20, "new_password2": "x" * 20})
    assert NOT_WORKING in refused.content.decode()
    assert sign_in(Client(), "sendco@example.org", NEW_PASSWORD).url == reverse("home")
    assert AuditEvent.objects.filter(
        action=Action.PASSWORD_RESET, summary__startswith="Password reset link refused"
    ).exists()


def test_an_expired_link_is_refused_with_a_clear_page(world, monkeypatch):
    _ask("sendco@example.org")
    link = _link(mail.outbox[0])
    later = PasswordResetTokenGenerator._now(PasswordResetTokenGenerator()) + timedelta(minutes=61)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    page = Client().get(link)
    assert page.status_code == 200 and NOT_WORKING in page.content.decode()
    assert sign_in(Client(), "sendco@example.org").url == reverse("home")  # unchanged


def test_forged_links_are_refused_with_the_same_page(world):
    user = world.users["sendco"]
    for uid, token in [
        (urlsafe_base64_encode(force_bytes(user.pk)), "abc-0123456789abcdef"),
        (urlsafe_base64_encode(force_bytes(2**70)), "abc-0123456789abcdef"),
        (urlsafe_base64_encode(b"\xff\xfe"), "x"),
        ("not base64!", "x"),
    ]:
        response = Client().get(reverse("accounts:password-reset-confirm", args=[uid, token]))
        assert response.status_code == 200, uid
        assert NOT_WORKING in response.content.decode()


def test_an_unknown_address_gets_the_same_page_and_the_same_work(world):
    def asked(address: str):
        client = Client()
        with CaptureQueriesContext(connection) as queries:
            response = _ask(address, client)
        page = client.get(response.url).content.decode()
        return response, re.sub(r'nonce="[^"]+"', "", page), len(queries)

    known = asked("sendco@example.org")
    unknown = asked("nobody@example.org")
    assert known[0].status_code == unknown[0].status_code == 302
    assert known[0].url == unknown[0].url
    assert known[1] == unknown[1]
    # The same database work either way (sending is the email backend's, not the database's).
    assert known[2] == unknown[2]
    assert [m.to for m in mail.outbox] == [["sendco@example.org"]]
    row = AuditEvent.objects.filter(action=Action.PASSWORD_RESET).latest("pk")
    assert row.summary == "Password reset asked for an address with no account"
    assert row.actor_label == "nobody@example.org" and row.object_id == ""


def test_a_closed_account_gets_no_email_and_the_same_page(world):
    user = world.users["teacher"]
    user.is_active = False
    user.save()
    response = _ask("teacher@example.org")
    assert response.url == SENT and mail.outbox == []


def test_reset_requests_are_throttled_per_address_without_saying_so(world, settings):
    settings.VSEND_PASSWORD_RESETS_PER_HOUR = 3
    pages = {_ask("sendco@example.org").url for _ in range(5)}
    assert pages == {SENT}
    assert len(mail.outbox) == 3
    assert _ask("teacher@example.org").url == SENT
    assert len(mail.outbox) == 4  # another address is not held back
    throttled = AuditEvent.objects.filter(
        action=Action.PASSWORD_RESET, detail__throttled=True
    ).count()
    assert throttled == 2
    # Only digests of the addresses are kept.
    assert not PasswordResetRequest.objects.filter(address_digest__contains="@").exists()


def test_only_the_newest_link_or_none_works_after_the_password_changes(world):
    _ask("sendco@example.org")
    _ask("sendco@example.org")
    first, second = (_link(m) for m in mail.outbox)
    assert _choose(Client(), second).status_code == 302
    assert NOT_WORKING in Client().get(first).content.decode()


def test_a_failing_mail_server_is_not_an_error_page(world, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert _ask("sendco@example.org").url == SENT


def test_the_form_says_what_is_wrong(db):
    for value, message in [
        ("", "Enter your email address"),
        ("not-an-address", "Enter an email address in the correct format"),
        ("a" * 250 + "@example.org", "Email address must be 254 characters or fewer"),
    ]:
        page = _ask(value).content.decode()
        assert "<title>Error: Reset your password" in page and message in page, value


def test_the_sign_in_page_links_to_the_reset(db):
    assert RESET in Client().get(reverse("accounts:sign-in")).content.decode()
