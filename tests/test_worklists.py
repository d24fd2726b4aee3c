"""Worklists on the home page (SENDCo, teacher, caseworker), and what families see."""

import re
from datetime import date

from django.urls import reverse

from tests.profile_helpers import complete_profile, start_profile
from vsend.children.models import Child
from vsend.profiles.models import Profile
from vsend.profiles.worklist import SHOWN, worklist_for


def test_the_sendco_worklist_has_due_dates_and_continue_links(world, as_user):
    client = as_user("sendco")
    done = complete_profile(client, world.child)
    Profile.objects.filter(pk=done).update(review_date=date(2026, 11, 1))
    draft = start_profile(client, world.classmate)
    home = client.get(reverse("home")).content.decode()
    assert "Reviews overdue (1)" in home and "review was due 1 November 2026" in home
    assert "Profiles in progress (1)" in home
    assert reverse("profiles:step", kwargs={"pk": draft, "step": "about"}) in home


def test_see_all_lists_exactly_the_children_counted(world, as_user):
    # More children with SEN and no profile than the home page shows.
    for n in range(SHOWN + 2):
        Child.objects.create(
            authority=world.authority,
            first_name=f"Extra{n}",
            last_name="Test",
            date_of_birth=date(2018, 2, 1),
            sen_provision="K",
        ).enrolments.create(setting=world.setting, started_on=date(2025, 9, 1))
    client = as_user("sendco")
    home = client.get(reverse("home")).content.decode()
    match = re.search(r'href="([^"]*profile=none[^"]*)">See all (\d+) children', home)
    assert match, "a See all link for children with no profile"
    link, total = match.group(1).replace("&amp;", "&"), int(match.group(2))
    assert total > SHOWN
    listed = client.get(link).content.decode()
    assert f"{total} children match your filters" in listed


def test_a_teacher_sees_the_work_for_their_classes_only(world, as_user):
    sendco = as_user("sendco")
    start_profile(sendco, world.child)  # class 3X, the teacher's
    start_profile(sendco, world.classmate)  # class 3Y, not theirs
    home = as_user("teacher").get(reverse("home")).content.decode()
    worklist = home.split("What needs doing")[1]
    assert world.child.full_name in worklist and world.classmate.full_name not in worklist


def test_a_caseworker_sees_the_work_for_their_children(world, as_user):
    start_profile(as_user("sendco"), world.child)
    home = as_user("caseworker").get(reverse("home")).content.decode()
    assert "Profiles in progress (1)" in home and world.child.full_name in home


def test_a_worklist_names_only_children_it_was_given(world):
    wl = worklist_for(Child.objects.filter(pk=world.classmate.pk), date(2026, 11, 30))
    assert all(c.pk == world.classmate.pk for c in wl.children)


def test_families_see_plain_words_and_no_staff_things(world, as_user):
    parent = as_user("parent")
    record = parent.get(reverse("children:detail", kwargs={"pk": world.child.pk})).content.decode()
    assert world.child.upn not in record and "UPN" not in record and "ULN" not in record
    assert "Special educational needs (SEN) support at school or setting" in record
    staff = as_user("sendco").get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    assert world.child.upn in staff.content.decode()
    assert "API tokens" not in parent.get(reverse("accounts:account")).content.decode()
    assert "API tokens" in as_user("sendco").get(reverse("accounts:account")).content.decode()
    listed = parent.get(reverse("children:list")).content.decode()
    assert "Apply filters" not in listed


def test_a_young_persons_own_record_speaks_to_them(world, as_user):
    page = as_user("young_person").get(
        reverse("children:detail", kwargs={"pk": world.young_person_child.pk})
    )
    assert "Your record" in page.content.decode()


def test_families_are_shown_the_family_words_for_each_need(world, as_user):
    pk = complete_profile(as_user("sendco"), world.child)
    view = as_user("parent").get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    assert "What the needs ratings mean" in view
    from vsend.frameworks import registry

    fw = registry.current("5_to_25")
    communication = fw.domain("communication_interaction")
    level = Profile.objects.get(pk=pk).ratings.get(domain=communication.key).need_level
    assert communication.family_descriptor(level).replace("'", "&#39;") in view
    staff = as_user("sendco").get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    assert "What the needs ratings mean" not in staff


def test_a_young_persons_own_profile_speaks_to_them(world, as_user):
    pk = complete_profile(as_user("sendco"), world.young_person_child)
    page = as_user("young_person").get(reverse("profiles:summary", kwargs={"pk": pk}))
    text = page.content.decode()
    assert "Your profile" in text and "About you" in text and "Your strengths" in text
    section = text.split("What the needs ratings mean")[1].split("</dl>")[0]
    assert "You " in section and "They " not in section and " their " not in section
