"""Invitations: who may invite whom, the email, and the single-use link that expires."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vsend.accounts import invitations
from vsend.accounts.models import Invitation, Membership, User, hash_token
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Role
from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import Actor
from vsend.children.models import FamilyLink

NEW_PASSWORD = "a-new-long-password-for-tests"


def _invite(client: Client, url: str, **data):
    return client.post(url, {"full_name": "Sam Jones", "email": "sam@example.org", **data})


def _setting_invite(world) -> str:
    return reverse("people:setting-invite", args=[world.setting.pk])


def _link(message) -> str:
    match = re.search(r"http://[^\s]+/invitations/([A-Za-z0-9_-]+)/", message.body)
    assert match, message.body
    return reverse("accounts:invitation", args=[match.group(1)])


def _accept(link: str, client: Client | None = None, name: str = "Sam Jones"):
    client = client or Client()
    return client, client.post(
        link, {"full_name": name, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def test_a_sendco_invites_a_teacher_who_accepts_and_then_sets_up_the_authenticator(
    world, as_user, mailoutbox
):
    response = _invite(
        as_user("sendco"), _setting_invite(world), role="teacher", classes=[world.class_3y.pk]
    )
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == ["sam@example.org"]
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Accept the invitation" in html
    assert (
        "a teacher at Setting A1" in message.body and "set up an authenticator app" in message.body
    )
    link = _link(message)

    client = Client()
    page = client.get(link)
    assert page.status_code == 200 and "Create your account" in page.content.decode()
    _, done = _accept(link, client)
    assert done.status_code == 302 and done.url == reverse("accounts:mfa-setup")
    user = User.objects.get(email="sam@example.org")
    m = Membership.objects.get(user=user)
    assert (m.role, m.setting, list(m.classes.all())) == (
        "teacher",
        world.setting,
        [world.class_3y],
    )
    assert client.get(reverse("accounts:mfa-setup")).status_code == 200  # the existing set-up
    inv = Invitation.objects.get()
    assert inv.accepted_by == user and inv.status == "accepted"
    summaries = list(AuditEvent.objects.values_list("summary", flat=True))
    assert "Invited sam@example.org to be Teacher at Setting A1" in summaries
    assert any(s.startswith("Invitation accepted: sam@example.org") for s in summaries)


def test_only_a_hash_of_the_token_is_stored(world, as_user, mailoutbox):
    _invite(as_user("sendco"), _setting_invite(world), role="governor")
    raw = _link(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]
    inv = Invitation.objects.get()
    assert inv.token_hash == hash_token(raw)
    stored = " ".join(str(v) for v in Invitation.objects.values().get().values())
    assert raw not in stored


def test_a_parent_invitation_names_the_setting_never_the_child(world, as_user, mailoutbox):
    response = _invite(
        as_user("sendco"),
        _setting_invite(world),
        role="parent",
        children=[world.classmate.pk],
        relationship="father",
        parental_responsibility="yes",
    )
    assert response.status_code == 302
    (message,) = mailoutbox
    for text in (message.body, message.alternatives[0][0], message.subject):
        assert "Bella" not in text and world.classmate.last_name not in text
        assert str(world.classmate.date_of_birth.year) not in text
    assert "Setting A1" in message.body
    client, _ = _accept(_link(message))
    user = User.objects.get(email="sam@example.org")
    link = FamilyLink.objects.get(user=user)
    assert (link.child, link.relationship, link.has_parental_responsibility) == (
        world.classmate,
        "father",
        True,
    )
    listed = client.get(reverse("children:list")).content.decode()
    assert "Bella" in listed and "Amelia" not in listed


def test_an_existing_account_signs_in_and_the_role_is_added(world, as_user, mailoutbox):
    sendco = as_user("sendco")
    _invite(
        sendco,
        _setting_invite(world),
        email="parent@example.org",
        role="parent",
        children=[world.classmate.pk],
        relationship="mother",
        parental_responsibility="no",
    )
    link = _link(mailoutbox[0])
    anonymous = Client().get(link).content.decode()
    assert "There is already an account for this email address" in anonymous
    assert "Sign in to accept" in Client().get(link).content.decode()
    wrong = sendco.get(link).content.decode()
    assert "You are signed in with a different account" in wrong
    parent = as_user("parent")
    assert parent.post(link).status_code == 302
    assert set(
        FamilyLink.objects.filter(user=world.users["parent"]).values_list("child", flat=True)
    ) == {
        world.child.pk,
        world.classmate.pk,
    }


@pytest.mark.parametrize("reason", ["expired", "used", "cancelled", "forged", "replaced"])
def test_a_link_that_cannot_be_used_gets_a_clear_page(reason, world, as_user, mailoutbox):
    sendco = as_user("sendco")
    _invite(sendco, _setting_invite(world), role="governor")
    link = _link(mailoutbox[0])
    inv = Invitation.objects.get()
    expected = {
        "expired": (410, "This invitation has expired"),
        "used": (410, "This invitation has already been used"),
        "cancelled": (410, "This invitation has been cancelled"),
        "forged": (404, "This invitation link is not valid"),
        "replaced": (404, "This invitation link is not valid"),
    }[reason]
    if reason == "expired":
        Invitation.objects.filter(pk=inv.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif reason == "used":
        _accept(link)
    elif reason == "cancelled":
        assert sendco.post(reverse("people:invitation-cancel", args=[inv.pk])).status_code == 302
    elif reason == "forged":
        link = reverse("accounts:invitation", args=["x" * 43])
    elif reason == "replaced":
        sendco.post(reverse("people:invitation-resend", args=[inv.pk]))
        assert len(mailoutbox) == 2 and _link(mailoutbox[1]) != link
    for method in ("get", "post"):
        response = getattr(Client(), method)(link, {"password1": NEW_PASSWORD})
        assert (response.status_code, expected[1] in response.content.decode()) == (
            expected[0],
            True,
        ), (reason, method)
    assert User.objects.filter(email="sam@example.org").count() == (1 if reason == "used" else 0)
    assert AuditEvent.objects.filter(
        action=Action.ACCESS_REFUSED, object_type="invitation"
    ).exists()


def test_the_invitation_days_are_configurable(world, as_user, settings, mailoutbox):
    settings.VSEND_INVITATION_DAYS = 3
    _invite(as_user("sendco"), _setting_invite(world), role="governor")
    inv = Invitation.objects.get()
    assert abs(inv.expires_at - (timezone.now() + timedelta(days=3))) < timedelta(minutes=1)
    assert "stops working on" in mailoutbox[0].body


def test_a_sendco_cannot_invite_an_la_administrator_or_into_another_setting(world, as_user):
    sendco = as_user("sendco")
    page = sendco.get(_setting_invite(world)).content.decode()
    assert 'value="la_admin"' not in page and 'value="teacher"' in page
    refused = _invite(sendco, _setting_invite(world), role="la_admin")
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    other = reverse("people:setting-invite", args=[world.other_setting.pk])
    assert _invite(sendco, other, role="teacher").status_code == 404
    authority = reverse("people:authority-invite", args=[world.authority.pk])
    assert _invite(sendco, authority, role="la_admin").status_code == 404
    assert not Invitation.objects.exists()
    # The service refuses too, whatever a page let through.
    policy = AccessPolicy.for_user(world.users["sendco"])
    for role, setting in ((Role.LA_ADMIN, None), (Role.TEACHER, world.other_setting)):
        with pytest.raises(PermissionDenied):
            invitations.invite(
                actor=Actor(user=world.users["sendco"]),
                policy=policy,
                req=invitations.InvitationRequest(
                    email="x@example.org",
                    full_name="X",
                    role=role,
                    authority=world.authority,
                    setting=setting,
                ),
            )


def test_a_sendco_cannot_invite_a_parent_for_a_child_elsewhere(world, as_user):
    response = _invite(
        as_user("sendco"),
        _setting_invite(world),
        role="parent",
        children=[world.other_setting_child.pk],
        relationship="mother",
        parental_responsibility="yes",
    )
    assert "Choose children from the list" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_young_person_is_invited_only_to_their_own_record_from_16(world, as_user, mailoutbox):
    sendco = as_user("sendco")
    young = _invite(sendco, _setting_invite(world), role="young_person", children=[world.child.pk])
    body = young.content.decode()
    assert "young people can have their own account from age 16" in body
    assert body.count("have their own account from age 16") == 2  # summary and field
    ok = _invite(
        sendco, _setting_invite(world), role="young_person", children=[world.young_person_child.pk]
    )
    assert ok.status_code == 302
    _accept(_link(mailoutbox[0]))
    m = Membership.objects.get(user__email="sam@example.org")
    assert (m.role, m.child) == ("young_person", world.young_person_child)


def test_a_form_with_mistakes_shows_the_error_summary(world, as_user):
    response = as_user("sendco").post(_setting_invite(world), {"role": "teacher"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    for message in ("Enter the person&#39;s full name", "Choose at least one class they teach"):
        assert body.count(message) == 2  # in the summary and by the field


def test_la_admin_invites_a_sendco_but_not_into_another_authority(world, as_user, mailoutbox):
    la_admin = as_user("la_admin")
    ok = _invite(la_admin, _setting_invite(world), role="sendco")
    assert ok.status_code == 302 and len(mailoutbox) == 1
    far = reverse("people:setting-invite", args=[world.far_setting.pk])
    assert _invite(la_admin, far, role="sendco").status_code == 404
    authority = reverse("people:authority-invite", args=[world.authority.pk])
    assert (
        _invite(la_admin, authority, role="caseworker", email="cw@example.org").status_code == 302
    )
    assert (
        _invite(la_admin, authority, role="platform_admin", email="p@example.org").status_code
        == 200
    )


def test_a_second_click_makes_one_invitation(world, as_user, mailoutbox):
    sendco = as_user("sendco")
    data = {"role": "governor", "submission_token": "t" * 40}
    first = _invite(sendco, _setting_invite(world), **data)
    second = _invite(sendco, _setting_invite(world), **data)
    assert first.status_code == second.status_code == 302
    assert Invitation.objects.count() == 1 and len(mailoutbox) == 1


def test_an_invitation_cancelled_before_its_email_is_sent_sends_nothing(world, as_user):
    from vsend.mail.services import send

    _invite(as_user("sendco"), _setting_invite(world), role="governor")
    inv = Invitation.objects.get()
    Invitation.objects.filter(pk=inv.pk).update(cancelled_at=timezone.now())
    assert send("invitation", inv.pk) is False
