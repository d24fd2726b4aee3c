"""A transition plan that ends in a referral for an EHC needs assessment leads to the request
when there is one, or offers to make it (the SENDCo, the family) or record it (the caseworker)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from vsend.audit.services import Actor
from vsend.statutory import services as statutory
from vsend.transitions import services
from vsend.transitions.models import Outcome

TODAY = timezone.localdate()


def _referred(world):
    plan = services.start_plan(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        template="enhanced-transition",
        sending_setting=world.setting,
        receiving_setting=world.other_setting,
        started_on=TODAY - timedelta(days=60),
    )
    services.end_plan(
        actor=Actor(user=world.users["sendco"]),
        plan=plan,
        outcome=Outcome.REFERRED,
        ended_on=TODAY - timedelta(days=1),
    )
    return plan


def _referral(client, plan) -> str:
    page = client.get(reverse("transitions:plan", args=[plan.pk])).content.decode()
    return page.split('id="referral"')[1].split("</div>")[0] if 'id="referral"' in page else ""


def test_without_a_request_the_sendco_and_caseworker_are_offered_to_start_one(world, as_user):
    plan = _referred(world)
    sendco = _referral(as_user("sendco"), plan)
    assert reverse("statutory:request", kwargs={"child_pk": world.child.pk}) in sendco
    caseworker = _referral(as_user("caseworker"), plan)
    assert reverse("statutory:request-received", kwargs={"child_pk": world.child.pk}) in caseworker
    family = _referral(as_user("parent"), plan)
    assert "Ask for one yourself" in family


def test_with_a_request_everyone_who_sees_cases_is_linked_to_it(world, as_user):
    plan = _referred(world)
    case = statutory.request_assessment(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        requester="setting",
        reasons="Needs more than the setting can give",
        setting=world.setting,
    )
    url = reverse("statutory:case", kwargs={"pk": case.pk})
    for persona in ("sendco", "caseworker", "parent"):
        assert url in _referral(as_user(persona), plan), persona
    # The receiving school's SENDCo sees the plan but not the child's statutory case.
    assert url not in _referral(as_user("other_setting"), plan)


def test_other_outcomes_say_nothing_of_a_request(world, as_user):
    plan = services.start_plan(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        template="enhanced-transition",
        sending_setting=world.setting,
        receiving_setting=None,
        started_on=TODAY - timedelta(days=60),
    )
    services.end_plan(
        actor=Actor(user=world.users["sendco"]),
        plan=plan,
        outcome=Outcome.SCHOOL_SUPPORT,
        ended_on=TODAY,
    )
    assert _referral(as_user("sendco"), plan) == ""
