"""Nothing tells a user that a record exists when they may not see it."""

import re

import pytest
from django.urls import reverse

from tests.profile_helpers import complete_profile


def _page(response) -> str:
    page = re.sub(r'nonce="[^"]+"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.mark.parametrize("api", [False, True])
def test_an_la_officer_gets_the_same_404_for_a_child_in_their_authority_as_elsewhere(
    world, as_user, api
):
    officer = as_user("la_officer")
    name = "api:child" if api else "children:detail"
    own = officer.get(reverse(name, kwargs={"pk": world.child.pk}))
    elsewhere = officer.get(reverse(name, kwargs={"pk": world.far_child.pk}))
    missing = officer.get(reverse(name, kwargs={"pk": 999999}))
    assert own.status_code == elsewhere.status_code == missing.status_code == 404
    if not api:  # the same page, but for the per-response nonce and CSRF token
        assert _page(own) == _page(missing)


def test_every_child_and_profile_url_is_404_for_an_la_officer(world, as_user):
    pk = complete_profile(as_user("sendco"), world.child)
    officer = as_user("la_officer")
    child = {"pk": world.child.pk}
    urls = [
        reverse("children:edit", kwargs=child),
        reverse("children:access", kwargs=child),
        reverse("profiles:start", kwargs={"child_pk": world.child.pk}),
        reverse("profiles:summary", kwargs={"pk": pk}),
        reverse("profiles:pdf", kwargs={"pk": pk}),
        reverse("api:child-profiles", kwargs=child),
        reverse("api:profile", kwargs={"pk": pk}),
    ]
    assert {url: officer.get(url).status_code for url in urls} == {url: 404 for url in urls}


def test_a_user_who_sees_a_child_is_still_told_they_may_not_change_it(world, as_user):
    teacher = as_user("teacher")
    assert teacher.get(reverse("children:detail", kwargs={"pk": world.child.pk})).status_code == 200
    assert teacher.get(reverse("children:edit", kwargs={"pk": world.child.pk})).status_code == 403
