"""Lost authenticator: ten recovery codes shown once and stored as digests, each usable once at
the second step; an administrator's reset is audited and makes the person set up a new app."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.test_security import _code, sign_in
from vsend.accounts.models import Membership
from vsend.accounts.recovery import issue_recovery_codes, normalise
from vsend.accounts.roles import Role
from vsend.accounts.services import create_api_token
from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import SYSTEM

CODES = reverse("accounts:recovery-codes")
RECOVERY = reverse("accounts:mfa-recovery")


@pytest.fixture(autouse=True)
def _no_back_off(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _with_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def _codes_on(page: str) -> list[str]:
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)


def _at_second_step(email: str) -> Client:
    client = Client()
    assert sign_in(client, email).url.startswith(reverse("accounts:mfa-verify"))
    return client


def test_setting_up_the_app_shows_ten_codes_once_and_stores_only_digests(world, settings):
    settings.VSEND_REQUIRE_MFA = True
    client = Client()
    sign_in(client, "sendco@example.org")
    client.get(reverse("accounts:mfa-setup"))
    device = TOTPDevice.objects.get(user=world.users["sendco"])
    page = client.post(reverse("accounts:mfa-setup"), {"code": _code(device)}).content.decode()
    codes = _codes_on(page)
    assert len(codes) == len(set(codes)) == 10
    assert "You will not be able to see them again" in page
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & ({*codes} | {normalise(c) for c in codes})
    # Not shown again: the account page says how many are left, never what they are.
    account = client.get(reverse("accounts:account")).content.decode()
    assert "10 unused" in account and not set(codes) & set(_codes_on(account))


def test_each_recovery_code_works_once_at_the_second_step(world):
    user = world.users["sendco"]
    _with_app(user)
    codes = issue_recovery_codes(actor=SYSTEM, user=user)
    client = _at_second_step("sendco@example.org")
    assert RECOVERY in client.get(reverse("accounts:mfa-verify")).content.decode()
    used = client.post(RECOVERY, {"code": f"  {codes[0].upper().replace('-', ' ')} "})
    assert used.status_code == 302
    assert client.get(reverse("children:list")).status_code == 200

    again = _at_second_step("sendco@example.org")
    refused = again.post(RECOVERY, {"code": codes[0]})
    page = refused.content.decode()
    assert "<title>Error: Enter a recovery code" in page
    assert "The recovery code is not correct or has been used" in page
    assert again.get(reverse("children:list")).url == reverse("accounts:mfa-verify")
    assert again.post(RECOVERY, {"code": codes[1]}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 8
    summaries = list(
        AuditEvent.objects.filter(actor=user, action__in=[Action.MFA_VERIFIED, Action.MFA_FAILED])
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "Recovery code accepted (9 left)",
        "Recovery code refused",
        "Recovery code accepted (8 left)",
    ]


def test_a_recovery_code_of_someone_else_does_not_work(world):
    _with_app(world.users["sendco"])
    _with_app(world.users["teacher"])
    theirs = issue_recovery_codes(actor=SYSTEM, user=world.users["teacher"])
    issue_recovery_codes(actor=SYSTEM, user=world.users["sendco"])
    client = _at_second_step("sendco@example.org")
    assert client.post(RECOVERY, {"code": theirs[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=world.users["teacher"]).count() == 10


def test_the_recovery_form_says_what_is_wrong(world):
    _with_app(world.users["sendco"])
    client = _at_second_step("sendco@example.org")
    for value, message in [
        ("", "Enter one of your recovery codes"),
        ("123456", "A recovery code is 10 letters and numbers"),
        ("x" * 200, "A recovery code is 10 letters and numbers"),
    ]:
        assert message in client.post(RECOVERY, {"code": value}).content.decode(), value


def test_wrong_codes_slow_further_tries(world, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 60
    user = world.users["sendco"]
    _with_app(user)
    codes = issue_recovery_codes(actor=SYSTEM, user=user)
    client = _at_second_step("sendco@example.org")
    client.post(RECOVERY, {"code": "aaaaa-aaaaa"})
    assert client.post(RECOVERY, {"code": codes[0]}).status_code == 200  # not yet
    assert StaticToken.objects.filter(device__user=user).count() == 10


def test_making_new_codes_replaces_the_old_ones_once_per_form(world):
    user = world.users["sendco"]
    device = _with_app(user)
    old = issue_recovery_codes(actor=SYSTEM, user=user)
    client = _at_second_step("sendco@example.org")
    assert client.post(reverse("accounts:mfa-verify"), {"code": _code(device)}).status_code == 302
    form = client.get(CODES).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', form).group(1)
    new = _codes_on(client.post(CODES, {"submission_token": token}).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    second = client.post(CODES, {"submission_token": token})  # a double click
    assert second.status_code == 302 and second.url == reverse("accounts:account")
    assert StaticDevice.objects.filter(user=user).count() == 1
    assert StaticToken.objects.filter(device__user=user).count() == 10
    with_old = _at_second_step("sendco@example.org")
    assert with_old.post(RECOVERY, {"code": old[0]}).status_code == 200
    assert with_old.post(RECOVERY, {"code": new[0]}).status_code == 302
    assert AuditEvent.objects.filter(object_type="recovery_codes", actor=user).count() == 1


def test_an_administrators_reset_is_audited_and_forces_set_up(world, as_user, settings):
    settings.VSEND_REQUIRE_MFA = False  # even where the role would not require it
    teacher = world.users["teacher"]
    device = _with_app(teacher)
    issue_recovery_codes(actor=SYSTEM, user=teacher)
    raw = create_api_token(actor=SYSTEM, user=teacher, name="script")
    signed_in = _at_second_step("teacher@example.org")
    assert (
        signed_in.post(reverse("accounts:mfa-verify"), {"code": _code(device)}).status_code == 302
    )
    assert signed_in.get(reverse("children:list")).status_code == 200

    url = reverse("accounts:reset-authenticator", args=[teacher.pk])
    admin = as_user("la_admin")
    confirm = admin.get(url).content.decode()
    assert "Reset Teacher&#39;s authenticator app" in confirm or "Reset Teacher's" in confirm
    assert admin.post(url).status_code == 302

    row = AuditEvent.objects.get(action=Action.MFA_RESET)
    assert row.actor == world.users["la_admin"] and row.object_id == str(teacher.pk)
    assert row.authority_id == world.authority.pk
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert not StaticDevice.objects.filter(user=teacher).exists()
    # Signed out at once, and the API token waits for a new app.
    out = signed_in.get(reverse("children:list"))
    assert out.status_code == 302 and "expired=authenticator_reset" in out.url
    assert (
        "your administrator reset your authenticator app" in signed_in.get(out.url).content.decode()
    )
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    # At the next sign-in they must set up a new app before anything else.
    again = Client()
    assert sign_in(again, "teacher@example.org").url == reverse("accounts:mfa-setup")
    assert again.get(reverse("children:list")).url == reverse("accounts:mfa-setup")
    again.get(reverse("accounts:mfa-setup"))
    new = TOTPDevice.objects.get(user=teacher)
    page = again.post(reverse("accounts:mfa-setup"), {"code": _code(new)}).content.decode()
    assert len(_codes_on(page)) == 10
    teacher.refresh_from_db()
    assert teacher.authenticator_reset_at is None
    assert again.get(reverse("children:list")).status_code == 200


def test_an_administrator_resets_only_within_their_authority_and_rank(world, as_user):
    teacher = world.users["teacher"]
    url = reverse("accounts:reset-authenticator", args=[teacher.pk])
    assert as_user("other_authority").post(url).status_code == 404
    assert as_user("sendco").post(url).status_code == 404
    assert as_user("la_officer").post(url).status_code == 404
    own = reverse("accounts:reset-authenticator", args=[world.users["la_admin"].pk])
    assert as_user("la_admin").post(own).status_code == 403
    platform = world.users["platform_admin"]
    Membership.objects.create(user=platform, role=Role.LA_ADMIN, authority=world.authority)
    above = reverse("accounts:reset-authenticator", args=[platform.pk])
    assert as_user("la_admin").post(above).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.MFA_RESET).exists()
    refusals = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED, object_type="user")
    assert refusals.count() == 5
    teacher.refresh_from_db()
    assert teacher.authenticator_reset_at is None
    # The platform administrator may.
    assert as_user("platform_admin").post(url).status_code == 302
    teacher.refresh_from_db()
    assert teacher.authenticator_reset_at <= timezone.now()
