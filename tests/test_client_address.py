"""The client's address behind 0, 1 and 2 reverse proxies, for lockout and the audit trail;
and password spraying from one address."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import PASSWORD
from vsend.audit.models import Action, AuditEvent
from vsend.config.client_address import client_ip

SIGN_IN = "/sign-in/"
PROXY = "127.0.0.1"  # the nearest proxy's address, as the application sees the connection


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No proxy: X-Forwarded-For is whatever the client sent, so it is ignored.
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # One proxy (nginx appends the address it saw): the right-most entry.
        (1, PROXY, "203.0.113.7", "203.0.113.7"),
        (1, PROXY, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # spoofed entry ignored
        (1, PROXY, "garbage, 203.0.113.7", "203.0.113.7"),
        (1, PROXY, None, PROXY),  # not through the proxy: the connection's address
        # Two proxies (a load balancer, then nginx): the second from the right.
        (2, PROXY, "203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, PROXY, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, PROXY, "2001:db8::7, 10.0.0.2", "2001:db8::7"),
        (2, PROXY, "203.0.113.7", PROXY),  # shorter than the chain: not trusted
        # A private client address behind a public proxy is still the client.
        (1, "198.51.100.9", "10.1.2.3", "10.1.2.3"),
    ],
)
def test_the_client_address_is_taken_from_the_trusted_end_of_the_chain(
    settings, proxies, remote, forwarded, expected
):
    settings.VSEND_PROXY_COUNT = proxies
    assert client_ip(_request(remote, forwarded)) == expected


# What each hop appends: with two proxies the load balancer adds the client, nginx the balancer.
CHAINS = {1: "{client}", 2: "{client}, 10.0.0.2"}


def _forwarded(proxies: int, client: str) -> str:
    return "198.51.100.66, " + CHAINS[proxies].format(client=client)  # a forged entry first


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_proxies_lockout_and_audit_use_the_real_client_address(world, settings, proxies):
    settings.VSEND_PROXY_COUNT = proxies
    settings.AXES_FAILURE_LIMIT = 3

    def sign_in(client, email, password=PASSWORD, *, at: str):
        return client.post(
            SIGN_IN,
            {"username": email, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=_forwarded(proxies, at),
        )

    attacker = Client()
    statuses = [
        sign_in(attacker, "sendco@example.org", "wrong", at="203.0.113.66").status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    failed = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED)
    assert set(failed.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    assert AuditEvent.objects.get(action=Action.LOCKED_OUT).ip_address == "203.0.113.66"
    # The colleague whose account it is, at their own desk behind the same proxies, signs in.
    colleague = Client()
    assert sign_in(colleague, "sendco@example.org", at="203.0.113.10").status_code == 302
    assert AuditEvent.objects.get(action=Action.SIGN_IN).ip_address == "203.0.113.10"
    # And what they do is recorded from their address too.
    colleague.get(
        reverse("children:detail", kwargs={"pk": world.child.pk}),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=_forwarded(proxies, "203.0.113.10"),
    )
    viewed = AuditEvent.objects.filter(action=Action.VIEW, child_id=world.child.pk).get()
    assert viewed.ip_address == "203.0.113.10"


def test_with_no_proxy_a_forged_forwarded_for_changes_nothing(world, settings):
    settings.VSEND_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 2
    attacker = Client()
    for forged in ("203.0.113.1", "203.0.113.2"):
        attacker.post(
            SIGN_IN,
            {"username": "sendco@example.org", "password": "wrong"},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=forged,
        )
    # Both failures counted against the real address despite the different forged ones.
    locked = attacker.post(
        SIGN_IN,
        {"username": "sendco@example.org", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="203.0.113.3",
    )
    assert locked.status_code == 429
    assert set(AuditEvent.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


# Password spraying -------------------------------------------------------------------------


def test_one_guess_at_each_of_many_accounts_from_one_address_is_paused(world, settings):
    settings.VSEND_ADDRESS_FAILED_USERNAMES = 4
    sprayer = Client()
    statuses = [
        sprayer.post(
            SIGN_IN,
            {"username": f"staff{n}@example.org", "password": "Autumn2026!"},
            REMOTE_ADDR="198.51.100.66",
        ).status_code
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]
    # Even a right password is refused from that address while it is paused...
    paused = sprayer.post(
        SIGN_IN,
        {"username": "sendco@example.org", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.66",
    )
    page = paused.content.decode()
    assert paused.status_code == 429
    assert "Signing in from your network is paused" in page
    assert "wait 15 minutes" in page.lower()
    assert AuditEvent.objects.filter(
        action=Action.LOCKED_OUT, summary__startswith="Sign-in paused", ip_address="198.51.100.66"
    ).exists()
    # ...but nobody elsewhere is affected.
    assert (
        Client()
        .post(
            SIGN_IN,
            {"username": "sendco@example.org", "password": PASSWORD},
            REMOTE_ADDR="203.0.113.10",
        )
        .status_code
        == 302
    )


def test_one_person_retrying_their_own_password_does_not_pause_their_network(world, settings):
    settings.VSEND_ADDRESS_FAILED_USERNAMES = 2
    settings.AXES_FAILURE_LIMIT = 10
    client = Client()
    for _ in range(5):
        client.post(
            SIGN_IN,
            {"username": "sendco@example.org", "password": "wrong"},
            REMOTE_ADDR="203.0.113.5",
        )
    ok = Client().post(
        SIGN_IN,
        {"username": "teacher@example.org", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )
    assert ok.status_code == 302


def test_the_spraying_pause_can_be_turned_off(world, settings):
    settings.VSEND_ADDRESS_FAILED_USERNAMES = 0
    client = Client()
    statuses = {
        client.post(
            SIGN_IN,
            {"username": f"staff{n}@example.org", "password": "x"},
            REMOTE_ADDR="203.0.113.5",
        ).status_code
        for n in range(25)
    }
    assert statuses == {200}
