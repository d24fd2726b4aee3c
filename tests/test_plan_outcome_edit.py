"""Changing and removing an EHC plan's outcomes from the plan page: caseworkers only, audited,
bad input keeps what was typed, a double click changes or removes once."""

from django.urls import reverse

from tests.test_statutory_api import issued_plan
from vsend.audit.models import AuditEvent
from vsend.audit.services import Actor
from vsend.statutory import services
from vsend.statutory.models import PlanOutcome


def _outcome(world, plan) -> PlanOutcome:
    return services.add_plan_outcome(
        actor=Actor(user=world.users["caseworker"]),
        plan=plan,
        areas=["semh"],
        outcome="Joins in at break time",
        provision="A buddy at lunch",
    )


def test_a_caseworker_changes_an_outcome_once_and_it_is_audited(world, as_user):
    _, plan = issued_plan(world)
    row = _outcome(world, plan)
    cw = as_user("caseworker")
    page = cw.get(reverse("statutory:plan", kwargs={"pk": plan.pk})).content.decode()
    url = reverse("statutory:plan-outcome-edit", kwargs={"pk": plan.pk, "outcome_pk": row.pk})
    assert url in page
    form = cw.get(url).content.decode()
    assert "Joins in at break time" in form and "A buddy at lunch" in form
    # Bad input: a specific message, and the words typed are kept.
    bad = cw.post(url, {"areas": [], "outcome": "Plays a team game", "submission_token": "c" * 40})
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "Choose the area or areas of need this outcome is about" in body
    assert "Plays a team game" in body
    long = cw.post(
        url, {"areas": ["semh"], "outcome": "x" * 5000, "submission_token": "d" * 40}
    ).content.decode()
    assert "characters or fewer" in long
    data = {
        "areas": ["semh", "independence"],
        "outcome": "Plays a team game at break",
        "provision": "",
        "submission_token": "e" * 40,
    }
    first = cw.post(url, data)
    assert first.status_code == 302
    assert cw.post(url, data)["Location"] == first["Location"]  # a double click
    row.refresh_from_db()
    assert row.outcome == "Plays a team game at break"
    assert row.areas == ["semh", "independence"] and row.provision == ""
    events = AuditEvent.objects.filter(summary="EHC plan outcome changed")
    assert events.count() == 1
    assert events.get().detail["changed"] == ["areas", "outcome", "provision"]
    # The same words sent again with a new form change nothing and write nothing.
    assert cw.post(url, {**data, "submission_token": "f" * 40}).status_code == 302
    assert events.count() == 1


def test_a_caseworker_removes_an_outcome_once(world, as_user):
    _, plan = issued_plan(world)
    row = _outcome(world, plan)
    keep = services.add_plan_outcome(
        actor=Actor(user=world.users["caseworker"]),
        plan=plan,
        areas=["independence"],
        outcome="Travels to school with a friend",
    )
    cw = as_user("caseworker")
    url = reverse("statutory:plan-outcome-remove", kwargs={"pk": plan.pk, "outcome_pk": row.pk})
    page = cw.get(url).content.decode()
    assert "Joins in at break time" in page and "Social, emotional and mental health" in page
    assert cw.post(url).status_code == 302
    assert cw.post(url).status_code == 302  # the second click finds it gone
    assert list(PlanOutcome.objects.filter(plan=plan)) == [keep]
    assert AuditEvent.objects.filter(summary="EHC plan outcome removed").count() == 1
    assert "This outcome has been removed" in cw.get(url).content.decode()
    edit = reverse("statutory:plan-outcome-edit", kwargs={"pk": plan.pk, "outcome_pk": row.pk})
    assert cw.get(edit).status_code == 404


def test_the_family_and_setting_cannot_change_outcomes(world, as_user):
    _, plan = issued_plan(world)
    row = _outcome(world, plan)
    kwargs = {"pk": plan.pk, "outcome_pk": row.pk}
    for persona in ("parent", "sendco", "teacher"):
        client = as_user(persona)
        page = client.get(reverse("statutory:plan", kwargs={"pk": plan.pk})).content.decode()
        assert reverse("statutory:plan-outcome-edit", kwargs=kwargs) not in page
        for name in ("statutory:plan-outcome-edit", "statutory:plan-outcome-remove"):
            assert client.post(reverse(name, kwargs=kwargs)).status_code in (403, 404)
    assert PlanOutcome.objects.filter(pk=row.pk).exists()


def test_an_outcome_of_another_plan_is_not_found(world, as_user):
    _, plan = issued_plan(world)
    row = _outcome(world, plan)
    cw = as_user("caseworker")
    kwargs = {"pk": plan.pk, "outcome_pk": row.pk + 1000}
    assert cw.get(reverse("statutory:plan-outcome-edit", kwargs=kwargs)).status_code == 404
    gone = cw.get(reverse("statutory:plan-outcome-remove", kwargs=kwargs)).content.decode()
    assert "This outcome has been removed" in gone
