"""A child's profile versions are in date order: a review is dated after the profile it
replaces, so on any date a child has at most one current profile (issue 8)."""

import random
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from tests.profile_helpers import complete_profile, day, lock, step_data
from vsend.audit.services import Actor
from vsend.profiles import services
from vsend.profiles.models import STEPS, Profile, Status

NOV = date(2026, 11, 1)


def _review(client, pk: int, assessed: date, finalise: bool = True):
    """Start a review of profile pk and go through its steps with this assessment date."""
    client.post(reverse("profiles:review", kwargs={"pk": pk}))
    new = Profile.objects.get(previous_id=pk)
    about = client.post(
        reverse("profiles:step", kwargs={"pk": new.pk, "step": "about"}),
        step_data("about", new.pk, **day("assessment_date", assessed)),
    )
    if about.status_code != 302:
        return new, about
    reviews = {f"review__{o.pk}": "partly" for o in Profile.objects.get(pk=pk).outcomes.all()}
    for step in ("needs", "readiness", "home", "plan"):
        done = client.post(
            reverse("profiles:step", kwargs={"pk": new.pk, "step": step}),
            step_data(step, new.pk, **(reviews if step == "plan" else {})),
        )
        assert done.status_code == 302, done.content.decode()[:2000]
    if finalise:
        client.post(
            reverse("profiles:finalise", kwargs={"pk": new.pk}), {"lock_version": lock(new.pk)}
        )
    return new, about


def test_a_review_dated_before_the_profile_it_replaces_is_refused(world, as_user):
    client = as_user("sendco")
    first = complete_profile(client, world.child)  # assessed 2 November
    second, _ = _review(client, first, date(2026, 11, 10))
    assert Profile.objects.get(pk=second.pk).status == Status.FINALISED
    _, answer = _review(client, second.pk, date(2026, 11, 5), finalise=False)
    assert answer.status_code == 200
    assert (
        "The assessment date must be after 10 November 2026, the date of profile 2"
        in answer.content.decode()
    )


def test_a_review_dated_on_the_same_day_is_refused(world, as_user):
    client = as_user("sendco")
    first = complete_profile(client, world.child)
    _, answer = _review(client, first, date(2026, 11, 2), finalise=False)
    assert answer.status_code == 200
    assert "must be after 2 November 2026" in answer.content.decode()


def test_the_start_form_refuses_an_earlier_date_for_a_review(world, as_user):
    client = as_user("sendco")
    complete_profile(client, world.child)
    response = client.post(
        reverse("profiles:start", kwargs={"child_pk": world.child.pk}),
        day("assessment_date", date(2026, 10, 1)),
    )
    assert response.status_code == 200
    assert "must be after 2 November 2026" in response.content.decode()


def test_a_review_started_on_the_day_of_the_last_profile_is_explained(world, as_user):
    client = as_user("sendco")
    first = complete_profile(client, world.child)
    Profile.objects.filter(pk=first).update(assessment_date=timezone.localdate())
    response = client.post(reverse("profiles:review", kwargs={"pk": first}))
    assert response.status_code == 409
    assert "The assessment date must be after" in response.content.decode()


def _actor(world) -> Actor:
    return Actor(user=world.users["sendco"], ip_address="127.0.0.1")


def _finalised(world, child, assessed: date) -> Profile:
    """A profile made through the services, completed and finalised, dated `assessed`."""
    actor = _actor(world)
    profile = services.start_profile(actor=actor, child=child, assessment_date=assessed)
    profile.ratings.update(need_level=1, readiness_level=1, confidence_level=1)
    Profile.objects.filter(pk=profile.pk).update(completed_steps=list(STEPS))
    profile.refresh_from_db()
    services.finalise(actor=actor, profile=profile, expected=profile.lock_version)
    return profile


def test_the_services_refuse_out_of_order_dates(world):
    first = _finalised(world, world.child, date(2026, 3, 1))
    with pytest.raises(services.OutOfOrder):
        services.start_profile(
            actor=_actor(world), child=world.child, assessment_date=NOV.replace(month=2)
        )
    draft = services.start_profile(actor=_actor(world), child=world.child, assessment_date=NOV)
    about = {"assessment_date": date(2026, 3, 1)} | {
        f: "" for f in ("strengths", "child_views", "aspirations", "family_views")
    }
    with pytest.raises(services.OutOfOrder):
        services.save_about(
            actor=_actor(world), profile=draft, expected=draft.lock_version, data=about
        )
    # Changed behind the forms' back: finalising still refuses.
    Profile.objects.filter(pk=draft.pk).update(
        assessment_date=date(2026, 2, 1), completed_steps=list(STEPS)
    )
    draft.ratings.update(need_level=1, readiness_level=1, confidence_level=1)
    draft.refresh_from_db()
    with pytest.raises(services.OutOfOrder):
        services.finalise(actor=_actor(world), profile=draft, expected=draft.lock_version)
    assert Profile.objects.get(pk=first.pk).superseded_on is None


def test_the_database_refuses_a_version_that_ends_before_it_starts(world):
    first = _finalised(world, world.child, date(2026, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(pk=first.pk).update(superseded_on=date(2026, 2, 1))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an exclusion constraint")
def test_postgresql_refuses_overlapping_finalised_versions(world):
    first = _finalised(world, world.child, date(2026, 3, 1))
    second = _finalised(world, world.child, date(2026, 6, 1))
    assert Profile.objects.get(pk=first.pk).superseded_on == date(2026, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        # The first version made current again alongside the second.
        Profile.objects.filter(pk=first.pk).update(superseded_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(pk=second.pk).update(assessment_date=date(2026, 5, 1))


def current_per_child(on: date) -> dict[int, int]:
    rows = (
        Profile.objects.filter(status=Status.FINALISED, assessment_date__lte=on)
        .filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=on))
        .values("child_id")
        .annotate(n=Count("id"))
    )
    return {r["child_id"]: r["n"] for r in rows}


def test_invariant_at_any_date_at_most_one_current_finalised_profile_per_child(world):
    rng = random.Random(8)  # noqa: S311
    children = [world.child, world.classmate, world.other_setting_child]
    start = date(2025, 1, 1)
    refused = made = 0
    for _ in range(40):
        child = rng.choice(children)
        assessed = start + timedelta(days=rng.randint(0, 600))
        try:
            _finalised(world, child, assessed)
            made += 1
        except services.OutOfOrder:
            refused += 1
    assert made >= 5 and refused >= 5  # both paths were exercised
    on = start - timedelta(days=1)
    while on <= start + timedelta(days=620):
        assert all(n == 1 for n in current_per_child(on).values()), on
        on += timedelta(days=3)
