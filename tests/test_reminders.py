"""The daily reminders: once per person per milestone, only to people who may see the case, and
no child's details in the email."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from vsend.audit.services import Actor
from vsend.children.models import CaseAssignment
from vsend.statutory import services
from vsend.statutory.models import Reminder
from vsend.statutory.services.reminders import daily_reminders


def _late_case(world):
    return services.request_assessment(
        actor=Actor(user=None),
        child=world.child,
        requester="setting",
        setting=world.setting,
        reasons="x",
        received_on=timezone.localdate() - timedelta(weeks=7),
    )


def test_run_twice_on_one_day_it_sends_each_reminder_once(world):
    _late_case(world)
    assert daily_reminders() == 1
    assert daily_reminders() == 0
    (message,) = mail.outbox
    assert message.to == ["caseworker@example.org"]
    assert "A deadline has passed" in message.subject
    body = message.body + str(message.alternatives)
    for detail in (world.child.first_name, world.child.last_name, world.child.upn):
        assert detail not in body
    assert "Decide whether to carry out an EHC needs assessment" in body
    assert Reminder.objects.get().sent_at is not None


def test_a_reminder_goes_only_to_people_who_may_see_the_case(world):
    _late_case(world)
    CaseAssignment.objects.filter(child=world.child).update(ended_on=timezone.localdate())
    assert daily_reminders() == 0  # the caseworker is no longer named for the child
    assert mail.outbox == []


def test_the_family_is_reminded_of_their_own_step_in_plain_words(world):
    case = _late_case(world)
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
    daily_reminders()
    to_parent = [m for m in mail.outbox if m.to == ["parent@example.org"]]
    assert len(to_parent) == 1 and "your comments on the draft plan" in to_parent[0].body
    assert not [m for m in mail.outbox if m.to == ["teacher@example.org"]]
