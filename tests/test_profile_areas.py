"""Setting readiness and the plan, one page per area like the needs: statuses on the task
list, "save and continue" to the next area, typed answers kept on errors, a double submit saved
once, the plan's review date as its last part."""

from datetime import date

from django.urls import reverse

from tests.profile_helpers import READINESS, day, lock, start_profile, step_data
from vsend.audit.models import AuditEvent
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.models import Profile

TOKEN = "t" * 40


def _ready_for_plan(client, world) -> int:
    pk = start_profile(client, world.child)
    for step in ("about", "needs", "home"):
        client.post(reverse("profiles:step", kwargs={"pk": pk, "step": step}), step_data(step, pk))
    return pk


def _readiness(pk: int, key: str, **extra) -> dict[str, object]:
    return {"lock_version": lock(pk), f"readiness__{key}": str(READINESS[key])} | extra


def _outcome(pk: int, key: str, **extra) -> dict[str, object]:
    data: dict[str, object] = {
        "lock_version": lock(pk),
        f"what__{key}": "Joins a group game at break",
        f"know__{key}": "Seen joining in twice a week",
        f"a0what__{key}": "Buddy at break",
        f"a0who__{key}": "Lunchtime supervisor",
        f"a0often__{key}": "Daily",
    }
    data |= day(f"when__{key}", date(2027, 3, 1)) | day(f"a0from__{key}", date(2026, 11, 9))
    return data | extra


def test_the_task_list_shows_readiness_and_plan_area_by_area(world, as_user):
    client = as_user("sendco")
    pk = _ready_for_plan(client, world)
    tasks = client.get(reverse("profiles:tasks", kwargs={"pk": pk})).content.decode()
    assert "You have done 7 of 18 parts" in tasks
    for key in DOMAIN_KEYS:
        assert reverse("profiles:readiness", kwargs={"pk": pk, "domain": key}) in tasks
        assert reverse("profiles:plan", kwargs={"pk": pk, "domain": key}) in tasks
    assert reverse("profiles:review-date", kwargs={"pk": pk}) in tasks
    # Each area's three links differ for a screen reader's list of links.
    for where in ("need", "setting readiness", "support plan"):
        assert (
            f'Communication and interaction<span class="govuk-visually-hidden">: {where}' in tasks
        )
    # The old whole-step addresses open the first area not done.
    first = client.get(reverse("profiles:step", kwargs={"pk": pk, "step": "readiness"}))
    assert first.url == reverse("profiles:readiness", kwargs={"pk": pk, "domain": DOMAIN_KEYS[0]})
    first = client.get(reverse("profiles:step", kwargs={"pk": pk, "step": "plan"}))
    assert first.url == reverse("profiles:plan", kwargs={"pk": pk, "domain": DOMAIN_KEYS[0]})


def test_readiness_is_saved_area_by_area_and_keeps_what_was_typed(world, as_user):
    client = as_user("sendco")
    pk = _ready_for_plan(client, world)
    first, second = DOMAIN_KEYS[:2]
    url = reverse("profiles:readiness", kwargs={"pk": pk, "domain": first})
    page = client.get(url).content.decode()
    assert "What is already in place for communication and interaction?" in page
    prompt = page.split(f'name="prompts__{first}" type="checkbox" value="')[1].split('"')[0]
    # No level chosen: the error, with the ticked prompt and the note kept.
    response = client.post(
        url,
        {"lock_version": lock(pk), f"prompts__{first}": prompt, f"rnote__{first}": "A quiet room"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Select how ready the setting is to meet needs in communication" in page
    assert "A quiet room" in page and f'value="{prompt}" checked' in page
    response = client.post(
        url, _readiness(pk, first, **{f"prompts__{first}": prompt, f"rnote__{first}": "Quiet"})
    )
    assert response.url == reverse("profiles:readiness", kwargs={"pk": pk, "domain": second})
    profile = Profile.objects.get(pk=pk)
    assert f"readiness:{first}" in profile.completed_steps
    assert "readiness" not in profile.completed_steps
    rating = profile.ratings.get(domain=first)
    assert (rating.readiness_level, rating.readiness_prompts) == (READINESS[first], [prompt])
    tasks = client.get(reverse("profiles:tasks", kwargs={"pk": pk})).content.decode()
    assert "You have done 8 of 18 parts" in tasks
    for key in DOMAIN_KEYS[1:]:
        client.post(
            reverse("profiles:readiness", kwargs={"pk": pk, "domain": key}), _readiness(pk, key)
        )
    profile.refresh_from_db()
    assert "readiness" in profile.completed_steps
    assert AuditEvent.objects.filter(summary=f"Setting readiness saved: {first}").count() == 1


def test_the_plan_area_by_area_then_its_review_date(world, as_user):
    client = as_user("sendco")
    pk = _ready_for_plan(client, world)
    first, second = DOMAIN_KEYS[:2]
    url = reverse("profiles:plan", kwargs={"pk": pk, "domain": first})
    # Half an outcome: each missing part is named, everything typed is kept.
    response = client.post(url, {"lock_version": lock(pk), f"what__{first}": "Asks for help"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter how you will know for the communication and interaction outcome" in page
    assert "Asks for help" in page
    # The review date cannot finish a plan with no outcome.
    review_url = reverse("profiles:review-date", kwargs={"pk": pk})
    response = client.post(
        review_url, {"lock_version": lock(pk)} | day("review_date", date(2027, 1, 20))
    )
    assert response.status_code == 200
    assert "Add an outcome to at least one area of the plan" in response.content.decode()
    response = client.post(url, _outcome(pk, first))
    assert response.url == reverse("profiles:plan", kwargs={"pk": pk, "domain": second})
    for key in DOMAIN_KEYS[1:]:
        response = client.post(
            reverse("profiles:plan", kwargs={"pk": pk, "domain": key}), {"lock_version": lock(pk)}
        )
    assert response.url == review_url  # after the last area, the review date
    profile = Profile.objects.get(pk=pk)
    assert "plan" not in profile.completed_steps
    response = client.post(
        review_url, {"lock_version": lock(pk)} | day("review_date", date(2027, 1, 20))
    )
    assert response.url == reverse("profiles:tasks", kwargs={"pk": pk})
    profile.refresh_from_db()
    assert "plan" in profile.completed_steps and profile.review_date == date(2027, 1, 20)
    assert [(o.domain, o.what) for o in profile.outcomes.all()] == [
        (first, "Joins a group game at break")
    ]
    assert [a.what for a in profile.actions.all()] == ["Buddy at break"]
    # Editing the area shows what was saved; emptying the only outcome unfinishes the plan.
    page = client.get(url).content.decode()
    assert "Joins a group game at break" in page and "Buddy at break" in page
    client.post(url, {"lock_version": lock(pk), "save_and_exit": "1"})
    profile.refresh_from_db()
    assert "plan" not in profile.completed_steps
    assert all(f"plan:{k}" in profile.completed_steps for k in DOMAIN_KEYS)


def test_a_double_submit_saves_once_and_goes_where_the_first_went(world, as_user):
    client = as_user("sendco")
    pk = _ready_for_plan(client, world)
    key = DOMAIN_KEYS[2]
    url = reverse("profiles:plan", kwargs={"pk": pk, "domain": key})
    data = _outcome(pk, key, submission_token=TOKEN)
    first = client.post(url, data)
    second = client.post(url, data)  # the same page posted again, with the old version
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Profile.objects.get(pk=pk).outcomes.filter(domain=key).count() == 1
    assert Profile.objects.get(pk=pk).actions.filter(domain=key).count() == 1
