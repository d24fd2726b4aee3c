"""People at a setting or an authority: lists, role changes, suspending and restoring."""

import pytest
from django.test import Client
from django.urls import reverse

from vsend.accounts.models import Membership
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Role
from vsend.accounts.services import create_api_token
from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import SYSTEM


def _suspend(client: Client, user) -> int:
    return client.post(reverse("people:suspend", args=[user.pk])).status_code


def test_a_suspended_user_is_signed_out_at_their_next_request_and_their_tokens_fail(world, as_user):
    sendco = world.users["sendco"]
    session = as_user("sendco")
    assert session.get(reverse("children:list")).status_code == 200
    raw = create_api_token(actor=SYSTEM, user=sendco, name="MIS")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get(reverse("api:me"), **bearer).status_code == 200
    api_session = as_user("sendco")

    assert _suspend(as_user("la_admin"), sendco) == 302

    page = session.get(reverse("children:list"))
    assert page.status_code == 302 and page.url.startswith(reverse("accounts:sign-in"))
    assert "suspended" in session.get(page.url).content.decode()
    assert session.get(reverse("children:list")).status_code == 302  # still signed out
    token = Client().get(reverse("api:me"), **bearer)
    assert token.status_code == 401 and "suspended" in token.json()["detail"]
    assert api_session.get(reverse("api:me")).status_code == 401
    signed_in = Client().post(
        reverse("accounts:sign-in"),
        {"username": sendco.email, "password": "a-long-test-password-1"},
    )
    assert signed_in.status_code == 200  # refused
    rows = AuditEvent.objects.filter(object_type="user", object_id=str(sendco.pk))
    assert rows.filter(action=Action.UPDATE, summary__endswith="suspended").exists()
    assert rows.filter(action=Action.SIGN_OUT, summary__contains="suspended").exists()

    assert as_user("la_admin").post(reverse("people:restore", args=[sendco.pk])).status_code == 302
    assert Client().get(reverse("api:me"), **bearer).status_code == 200


@pytest.mark.parametrize(
    ("persona", "target", "status"),
    [
        ("sendco", "la_admin", 404),  # above their own role
        ("sendco", "other_setting", 404),  # another setting's SENDCo
        ("sendco", "sendco", 404),  # never one's own
        ("la_admin", "other_authority", 404),  # another authority
        ("la_admin", "platform_admin", 404),
        ("teacher", "governor", 404),  # no right to manage people
        ("sendco", "teacher", 302),
        ("sendco", "parent", 302),  # a family whose child attends the setting
        ("la_admin", "sendco", 302),
        ("platform_admin", "la_admin", 302),
    ],
)
def test_who_may_suspend_whom(persona, target, status, world, as_user):
    assert _suspend(as_user(persona), world.users[target]) == status
    world.users[target].refresh_from_db()
    assert (world.users[target].suspended_at is not None) == (status == 302)


def test_a_sendco_changes_a_teachers_classes_but_cannot_raise_their_role(world, as_user):
    teacher = Membership.objects.get(user=world.users["teacher"])
    url = reverse("people:membership", args=[teacher.pk])
    sendco = as_user("sendco")
    page = sendco.get(url).content.decode()
    assert 'value="governor"' in page and 'value="sendco"' not in page
    assert sendco.post(url, {"role": "teacher", "classes": [world.class_3y.pk]}).status_code == 302
    assert list(teacher.classes.all()) == [world.class_3y]
    raised = sendco.post(url, {"role": "la_admin", "classes": [world.class_3y.pk]})
    assert raised.status_code == 200 and "Select a valid choice" in raised.content.decode()
    empty = sendco.post(url, {"role": "teacher"})
    assert "Choose at least one class they teach" in empty.content.decode()
    teacher.refresh_from_db()
    assert teacher.role == "teacher"
    row = AuditEvent.objects.filter(object_type="membership", action=Action.UPDATE).get()
    assert row.detail["before"]["class_ids"] == [world.class_3x.pk]
    assert row.detail["after"]["class_ids"] == [world.class_3y.pk]
    other = Membership.objects.get(user=world.users["other_setting"])
    assert sendco.get(reverse("people:membership", args=[other.pk])).status_code == 404


def test_la_admin_changes_an_officer_to_a_caseworker(world, as_user):
    m = Membership.objects.get(user=world.users["la_officer"])
    url = reverse("people:membership", args=[m.pk])
    assert as_user("la_admin").post(url, {"role": "caseworker"}).status_code == 302
    m.refresh_from_db()
    assert m.role == "caseworker"
    assert as_user("other_authority").get(url).status_code == 404


def test_the_setting_list_shows_staff_families_and_invitations(world, as_user):
    sendco = as_user("sendco")
    sendco.post(
        reverse("people:setting-invite", args=[world.setting.pk]),
        {"full_name": "Gail Green", "email": "gail@example.org", "role": "governor"},
    )
    body = sendco.get(reverse("people:setting", args=[world.setting.pk])).content.decode()
    for text in ("Teacher", "3X", "Governor", "Parent or carer", "Amelia", "Gail Green", "Waiting"):
        assert text in body, text
    assert "Cara" not in body and "la.admin@example.org" not in body


def test_the_authority_list_shows_its_staff_and_sendcos_only(world, as_user):
    body = as_user("la_admin").get(reverse("people:authority", args=[world.authority.pk]))
    text = body.content.decode()
    assert "la.officer@example.org" in text and "sendco.a2@example.org" in text
    assert "la.admin.b@example.org" not in text and "parent@example.org" not in text
    assert "Amelia" not in text


def test_the_people_index_sends_a_sendco_to_their_setting(world, as_user):
    response = as_user("sendco").get(reverse("people:index"))
    assert response.url == reverse("people:setting", args=[world.setting.pk])
    assert as_user("teacher").get(reverse("people:index")).status_code == 403


def test_the_grant_rules_live_in_the_policy(world):
    sendco = AccessPolicy.for_user(world.users["sendco"])
    la_admin = AccessPolicy.for_user(world.users["la_admin"])
    platform = AccessPolicy.for_user(world.users["platform_admin"])
    a, s1, s2 = world.authority, world.setting, world.other_setting
    assert sendco.grantable_roles(authority=a, setting=s1) == [
        Role.TEACHER,
        Role.PARENT,
        Role.YOUNG_PERSON,
        Role.GOVERNOR,
    ]
    assert sendco.grantable_roles(authority=a, setting=s2) == []
    assert sendco.grantable_roles(authority=a) == []
    assert la_admin.grantable_roles(authority=a) == [
        Role.LA_ADMIN,
        Role.LA_OFFICER,
        Role.CASEWORKER,
    ]
    assert Role.SENDCO in la_admin.grantable_roles(authority=a, setting=s2)
    assert la_admin.grantable_roles(authority=world.other_authority) == []
    assert not la_admin.may_grant(Role.SENDCO, authority=a, setting=world.far_setting)
    assert Role.PLATFORM_ADMIN not in platform.grantable_roles(authority=a)
    assert Role.TEACHER not in la_admin.grantable_roles(authority=a, setting=s1)
