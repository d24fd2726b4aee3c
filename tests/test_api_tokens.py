"""Personal API tokens expire, and need the second factor their user must have."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from vsend.accounts.models import ApiToken, hash_token
from vsend.accounts.services import create_api_token
from vsend.audit.services import SYSTEM
from vsend.config.jinja2 import format_date


def _get(raw: str):
    return Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_expires_after_the_configured_days_and_the_account_page_says_when(
    world, as_user, settings
):
    settings.VSEND_API_TOKEN_DAYS = 30
    sendco = as_user("sendco")
    created = sendco.post(reverse("accounts:token-create"), {"name": "MIS export"})
    token = ApiToken.objects.get(user=world.users["sendco"])
    expected = timezone.now() + timedelta(days=30)
    assert abs(token.expires_at - expected) < timedelta(minutes=1)
    expiry = format_date(timezone.localtime(token.expires_at).date())
    assert f"It works until {expiry}" in created.content.decode()
    account = sendco.get(reverse("accounts:account")).content.decode()
    assert "Expires" in account and expiry in account
    assert "stops working 30 days after it is created" in account


def test_an_expired_token_is_refused_with_a_clear_message(world, as_user):
    raw = create_api_token(actor=SYSTEM, user=world.users["sendco"], name="old")
    assert _get(raw).status_code == 200
    ApiToken.objects.filter(key_hash=hash_token(raw)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    refused = _get(raw)
    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"]
    account = as_user("sendco").get(reverse("accounts:account")).content.decode()
    assert "Expired" in account


def test_tokens_default_to_ninety_days(world):
    raw = create_api_token(actor=SYSTEM, user=world.users["teacher"], name="t")
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    assert (token.expires_at - token.created_at).days == 90


def test_a_token_made_before_mfa_was_required_stops_until_mfa_is_set_up(world, settings):
    settings.VSEND_REQUIRE_MFA = False
    raw = create_api_token(actor=SYSTEM, user=world.users["sendco"], name="script")
    assert _get(raw).status_code == 200
    settings.VSEND_REQUIRE_MFA = True
    refused = _get(raw)
    assert refused.status_code == 401
    assert "authenticator app" in refused.json()["detail"]
    TOTPDevice.objects.create(user=world.users["sendco"], name="app", confirmed=True)
    assert _get(raw).status_code == 200


def test_families_tokens_need_no_second_factor(world, settings):
    settings.VSEND_REQUIRE_MFA = True
    raw = create_api_token(actor=SYSTEM, user=world.users["parent"], name="app")
    assert _get(raw).status_code == 200
