"""Asking the family: a request by email and on their home page, answers kept in the database
as they go, and the SENDCo told when they arrive."""

from django.test import Client
from django.urls import reverse

from tests.profile_helpers import CONFIDENCE, complete_profile, start_profile
from vsend.audit.models import AuditEvent
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.models import FamilyAnswers, Profile


def _ask(client, pk):
    response = client.post(reverse("profiles:ask-family", kwargs={"pk": pk}))
    assert response.status_code == 302
    return response


def test_the_sendco_asks_and_the_parent_is_emailed_without_the_child_named(
    world, as_user, mailoutbox
):
    pk = start_profile(as_user("sendco"), world.child)
    response = _ask(as_user("sendco"), pk)
    assert response.url.endswith("?asked=1")
    answers = FamilyAnswers.objects.get(profile_id=pk)
    assert answers.requested_by == world.users["sendco"] and answers.status == "requested"
    (message,) = mailoutbox
    assert message.to == [world.users["parent"].email]
    assert world.child.first_name not in message.body + message.subject
    assert "home page" in message.body
    assert AuditEvent.objects.filter(
        child_id=world.child.pk, summary__contains="asked for their home-confidence"
    ).exists()


def test_the_parent_sees_a_task_on_their_home_page(world, as_user):
    pk = start_profile(as_user("sendco"), world.child)
    home = as_user("parent").get(reverse("home")).content.decode()
    assert "You have questions to answer" not in home
    _ask(as_user("sendco"), pk)
    home = as_user("parent").get(reverse("home")).content.decode()
    assert "You have questions to answer" in home
    assert reverse("profiles:family-start", kwargs={"pk": pk}) in home


def test_answers_are_saved_as_they_go_and_survive_a_new_sign_in(world, as_user):
    pk = start_profile(as_user("sendco"), world.child)
    _ask(as_user("sendco"), pk)
    first, second = DOMAIN_KEYS[:2]
    response = as_user("parent").post(
        reverse("profiles:family-question", kwargs={"pk": pk, "domain": first}),
        {"level": "2", "note": "Mornings are hard"},
    )
    assert response.status_code == 302
    assert FamilyAnswers.objects.get(profile_id=pk).answers == {
        first: {"level": 2, "note": "Mornings are hard"}
    }
    # A fresh session (as after an idle sign-out): the answer is still there.
    fresh = Client()
    fresh.force_login(world.users["parent"])
    page = fresh.get(reverse("profiles:family-question", kwargs={"pk": pk, "domain": first}))
    assert "Mornings are hard" in page.content.decode()
    start = fresh.get(reverse("profiles:family-start", kwargs={"pk": pk})).content.decode()
    assert "Carry on where you stopped" in start
    assert reverse("profiles:family-question", kwargs={"pk": pk, "domain": second}) in start
    home = fresh.get(reverse("home")).content.decode()
    assert "Carry on answering" in home and "You have answered 1 so far" in home


def test_sent_answers_reach_the_profile_and_the_sendco_sees_them_arrive(world, as_user):
    pk = start_profile(as_user("sendco"), world.child)
    _ask(as_user("sendco"), pk)
    parent = as_user("parent")
    for key, level in CONFIDENCE.items():
        parent.post(
            reverse("profiles:family-question", kwargs={"pk": pk, "domain": key}),
            {"level": str(level), "note": ""},
        )
    lock = Profile.objects.get(pk=pk).lock_version
    done = parent.post(reverse("profiles:family-check", kwargs={"pk": pk}), {"lock_version": lock})
    assert "Your answers have been sent" in done.content.decode()
    profile = Profile.objects.get(pk=pk)
    assert profile.home_by_family and "home" in profile.completed_steps
    assert {r.domain: r.confidence_level for r in profile.ratings.all()} == CONFIDENCE
    assert FamilyAnswers.objects.get(profile_id=pk).status == "sent"
    home = as_user("parent").get(reverse("home")).content.decode()
    assert "You have questions to answer" not in home
    sendco_home = as_user("sendco").get(reverse("home")).content.decode()
    assert "Family answers received (1)" in sendco_home
    tasks = as_user("sendco").get(reverse("profiles:tasks", kwargs={"pk": pk})).content.decode()
    assert "The family sent their answers about home on" in tasks


def test_a_review_asks_the_family_afresh(world, as_user):
    """A review draft carries no home confidence: the summary, the table and the family's
    questions all say it is not given yet, instead of showing last term's answers."""
    client = as_user("sendco")
    first = complete_profile(client, world.child)
    client.post(reverse("profiles:review", kwargs={"pk": first}))
    second = Profile.objects.get(child=world.child, number=2)
    summary = client.get(reverse("profiles:summary", kwargs={"pk": second.pk})).content.decode()
    assert "Not given yet" in summary
    assert "series-confidence" not in summary.split("At a glance")[1].split("</svg>")[0]
    assert "above the family&#39;s confidence" not in summary
    question = as_user("parent").get(
        reverse("profiles:family-question", kwargs={"pk": second.pk, "domain": DOMAIN_KEYS[0]})
    )
    assert (
        "checked" not in question.content.decode().split('name="level"')[1].split("</fieldset>")[0]
    )
