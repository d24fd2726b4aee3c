"""Emails to parents, carers and young people are written in the recipient's language (the one
they chose, when the authority offers it), whatever language the page that sent them was in;
staff emails and the audit trail stay in English."""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from tests.profile_helpers import start_profile
from vsend.accounts import people
from vsend.accounts.models import Membership
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Role
from vsend.audit.models import AuditEvent
from vsend.audit.services import Actor
from vsend.mail.services import language_for
from vsend.statutory import services
from vsend.statutory.services.reminders import daily_reminders


def _choose(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def _to(outbox, address: str):
    found = [m for m in outbox if m.to == [address]]
    assert len(found) == 1, [(m.to, m.subject) for m in outbox]
    (message,) = found
    return message


def test_the_request_for_home_answers_is_in_the_parents_language(world, as_user, pseudo_welsh):
    cy = pseudo_welsh
    parent = world.users["parent"]
    _choose(parent, "cy")
    sendco = as_user("sendco")  # reads vsend in English
    pk = start_profile(sendco, world.child)
    mail.outbox.clear()
    sendco.post(reverse("profiles:ask-family", kwargs={"pk": pk}))
    message = _to(mail.outbox, parent.email)
    assert message.subject == cy("%(setting)s has asked you some questions") % {
        "setting": world.setting.name
    }
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert cy("Your answers are saved as you go, so you can stop and carry on later.") in body
    assert cy("Answer the questions") in html and 'lang="cy"' in html
    assert "«Dear" in message.body and "Dear" not in message.body.replace("«Dear", "")


def test_a_parent_who_chose_no_language_or_one_not_offered_gets_the_default(
    world, as_user, pseudo_welsh
):
    parent = world.users["parent"]
    assert language_for(parent, family=True) == "en-gb"
    _choose(parent, "fr")  # not offered by this authority
    assert language_for(parent, family=True) == "en-gb"
    _choose(parent, "cy")
    assert language_for(parent, family=True) == "cy"
    assert language_for(parent, family=False) == "en-gb"  # a staff message


def _late_case(world):
    return services.request_assessment(
        actor=Actor(user=None),
        child=world.child,
        requester="setting",
        setting=world.setting,
        reasons="x",
        received_on=timezone.localdate() - timedelta(weeks=7),
    )


def test_a_familys_deadline_reminder_is_in_their_language_a_caseworkers_in_english(
    world, pseudo_welsh
):
    cy = pseudo_welsh
    _choose(world.users["parent"], "cy")
    _choose(world.users["caseworker"], "cy")  # staff pages and emails are in English
    # ... even for staff who are also a parent, of another child.
    from vsend.accounts.models import Membership
    from vsend.accounts.roles import Role

    Membership.objects.create(
        user=world.users["caseworker"], role=Role.PARENT, child=world.far_child
    )
    case = _late_case(world)
    with translation.override("cy"):  # the job's own language does not matter
        daily_reminders()  # the caseworker's decision is overdue
    staff = _to(mail.outbox, "caseworker@example.org")
    assert staff.subject == "A deadline has passed"
    assert "«" not in staff.body + staff.alternatives[0][0]
    actor = Actor(user=world.users["caseworker"])
    today = timezone.localdate()
    services.record_step(
        actor=actor,
        case=case,
        step="decision_to_assess",
        done_on=today - timedelta(weeks=3),
        outcome="assess",
    )
    services.record_step(
        actor=actor, case=case, step="draft_plan", done_on=today - timedelta(days=10)
    )
    daily_reminders()  # now the family's comments on the draft plan are due
    family = _to(mail.outbox, "parent@example.org")
    assert family.subject in (cy("A deadline has passed"), cy("A deadline needs attention"))
    assert cy("Sign in to see the case and what to do:") in family.body
    assert "«your comments on the draft plan" in family.body.lower()  # the step, in their words


def _invite(client, world, **data):
    return client.post(
        reverse("people:setting-invite", args=[world.setting.pk]),
        {"full_name": "Sam Jones", "email": "sam@example.org", **data},
        HTTP_ACCEPT_LANGUAGE="cy",
    )


def test_an_invitation_to_a_familys_account_is_in_their_language_a_teachers_in_english(
    world, as_user, pseudo_welsh
):
    cy = pseudo_welsh
    _choose(world.users["parent"], "cy")
    sendco = world.users["sendco"]
    _choose(sendco, "cy")  # the sender's language is not the recipient's
    client = as_user("sendco")
    _invite(
        client,
        world,
        email="parent@example.org",
        role="parent",
        children=[world.classmate.pk],
        relationship="mother",
        parental_responsibility="no",
    )
    family = _to(mail.outbox, "parent@example.org")
    assert family.subject == cy("You are invited to use %(service)s") % {"service": "vsend"}
    assert cy("a parent or carer") in family.body
    assert cy("Accept the invitation") in family.alternatives[0][0]
    _invite(
        client, world, email="teacher2@example.org", role="teacher", classes=[world.class_3x.pk]
    )
    staff = _to(mail.outbox, "teacher2@example.org")
    assert staff.subject.startswith("You are invited to use")
    assert "set up an authenticator app" in staff.body and "«" not in staff.body


def test_a_password_reset_email_to_a_parent_is_in_their_language(world, pseudo_welsh):
    from django.test import Client

    cy = pseudo_welsh
    _choose(world.users["parent"], "cy")
    world.users["parent"].set_password("a-long-password-for-tests")
    world.users["parent"].save()
    Client().post(reverse("accounts:password-reset"), {"email": "parent@example.org"})
    message = _to(mail.outbox, "parent@example.org")
    assert message.subject.startswith(cy("Reset your password"))
    assert cy("To choose a new password, open this link:") in message.body


# An audit row is a record, not a page: its words stay in English whatever the actor reads.


def test_an_invitation_by_staff_reading_another_language_is_audited_in_english(
    world, as_user, pseudo_welsh
):
    _choose(world.users["sendco"], "cy")
    response = _invite(
        as_user("sendco"),
        world,
        role="parent",
        children=[world.classmate.pk],
        relationship="father",
        parental_responsibility="yes",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(summary__startswith="Invited sam@example.org").get()
    assert "to be Parent or carer at" in event.summary and "«" not in event.summary


def test_a_role_change_by_staff_reading_another_language_is_audited_in_english(world, pseudo_welsh):
    admin = world.users["la_admin"]
    membership = Membership.objects.get(user=world.users["teacher"], role=Role.TEACHER)
    with translation.override("cy"):  # as on the page of someone who chose the language
        people.change_membership(
            actor=Actor(user=admin),
            policy=AccessPolicy(admin),
            membership=membership,
            role=Role.SENDCO,
            classes=[],
        )
    event = AuditEvent.objects.filter(summary__contains="now").latest("pk")
    assert re.search(r": now SENDCo at ", event.summary) and "«" not in event.summary, event.summary
