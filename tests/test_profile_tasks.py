"""The profile as a task list: one page per area of need, statuses, continue where you
stopped, the child's details on the summary, finalising with a confirmation."""

from django.urls import reverse

from tests.profile_helpers import NEEDS, complete_profile, lock, start_profile, step_data
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.models import Profile, Status


def test_the_task_list_shows_each_part_and_its_status(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    page = client.get(reverse("profiles:tasks", kwargs={"pk": pk})).content.decode()
    for name in (
        "Read the introduction",
        "About the child",
        "Communication and interaction",
        "Independence",
        "Setting readiness",
        "Home confidence",
        "Support plan",
        "Check and finalise",
    ):
        assert name in page, name
    assert "You have done 0 of 18 parts" in page and "Cannot start yet" in page
    assert reverse("profiles:step", kwargs={"pk": pk, "step": "about"}) in page


def test_each_area_has_its_own_page_and_continue_goes_where_the_user_stopped(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    client.post(
        reverse("profiles:step", kwargs={"pk": pk, "step": "about"}), step_data("about", pk)
    )
    first, second = DOMAIN_KEYS[:2]
    page = client.get(reverse("profiles:need", kwargs={"pk": pk, "domain": first})).content.decode()
    assert "Understanding language" in page  # a sub-area, from the framework file
    response = client.post(
        reverse("profiles:need", kwargs={"pk": pk, "domain": first}),
        {"lock_version": lock(pk), "level": str(NEEDS[first]), "evidence": "Seen in class"},
    )
    assert response.url == reverse("profiles:need", kwargs={"pk": pk, "domain": second})
    profile = Profile.objects.get(pk=pk)
    assert f"need:{first}" in profile.completed_steps and "needs" not in profile.completed_steps
    tasks = client.get(reverse("profiles:tasks", kwargs={"pk": pk})).content.decode()
    assert "You have done 2 of 18 parts" in tasks
    # Continue goes to the first part not done: the second area.
    assert tasks.index(reverse("profiles:need", kwargs={"pk": pk, "domain": second})) < tasks.index(
        "Read the introduction"
    )
    summary = client.get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    assert reverse("profiles:need", kwargs={"pk": pk, "domain": second}) in summary
    for key in DOMAIN_KEYS[1:]:
        client.post(
            reverse("profiles:need", kwargs={"pk": pk, "domain": key}),
            {"lock_version": lock(pk), "level": str(NEEDS[key]), "evidence": ""},
        )
    profile.refresh_from_db()
    assert "needs" in profile.completed_steps
    assert {r.domain: r.need_level for r in profile.ratings.all()} == NEEDS


def test_an_area_page_refuses_an_empty_answer_with_an_error_summary(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    response = client.post(
        reverse("profiles:need", kwargs={"pk": pk, "domain": "semh"}), {"lock_version": lock(pk)}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Error:" in page
    assert "Select the level of need for social, emotional and mental health" in page


def test_the_introduction_comes_from_the_framework_file(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    page = client.get(reverse("profiles:introduction", kwargs={"pk": pk})).content.decode()
    assert "they are never a test of eligibility" in page


def test_the_summary_shows_the_childs_details(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child, finalise=False)
    page = client.get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    assert "Started by" in page and world.users["sendco"].full_name in page
    client.post(reverse("profiles:finalise", kwargs={"pk": pk}), {"lock_version": lock(pk)})
    page = client.get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    assert world.setting.name in page
    assert "Year group" in page and "Year 3" in page and "SEN provision" in page
    assert world.child.get_sen_provision_display() in page
    assert "Completed" in page and world.users["sendco"].full_name in page


def test_finalising_asks_for_confirmation_then_says_it_is_done(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child, finalise=False)
    confirm = client.get(reverse("profiles:finalise", kwargs={"pk": pk})).content.decode()
    assert "Are you sure you want to finalise this profile?" in confirm
    assert "You cannot undo this" in confirm
    assert Profile.objects.get(pk=pk).status == Status.DRAFT  # looking changes nothing
    response = client.post(
        reverse("profiles:finalise", kwargs={"pk": pk}), {"lock_version": lock(pk)}, follow=True
    )
    page = response.content.decode()
    number = Profile.objects.get(pk=pk).number
    # The banner's heading is a heading, not its markup shown as text.
    assert (
        f'<p class="govuk-notification-banner__heading">Profile {number} is finalised</p>' in page
    )
    assert "&lt;p" not in page
    assert Profile.objects.get(pk=pk).status == Status.FINALISED


def test_an_unfinished_profile_says_what_is_left_instead_of_confirming(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    page = client.get(reverse("profiles:finalise", kwargs={"pk": pk})).content.decode()
    assert "You cannot finalise this profile yet" in page and "Yes, finalise" not in page
