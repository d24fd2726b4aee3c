"""Reads every page makes, made lighter: the signed-in user is read with their memberships in
one query (accounts.backends.EmailBackend.get_user), refused exactly as Django's ModelBackend
refuses (an unknown id or an inactive account); a child's placement is chosen in Python the
same way whether read alone or with a list."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from vsend.accounts.backends import EmailBackend
from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role


def test_a_user_with_roles_is_read_with_them_in_one_query(world):
    backend = EmailBackend()
    sendco = world.users["sendco"]
    Membership.objects.create(
        user=sendco,
        role=Role.GOVERNOR,
        setting=sendco.active_memberships()[0].setting,
        authority=sendco.active_memberships()[0].authority,
    )
    with CaptureQueriesContext(connection) as queries:
        user = backend.get_user(sendco.pk)
        memberships = user.active_memberships()
        names = [(m.role, m.setting.name, m.authority.name, m.user is user) for m in memberships]
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert user == sendco and isinstance(user, User)
    # In the model's order (by role), each pointing to the one user object.
    assert [m.role for m in memberships] == sorted(m.role for m in memberships)
    assert {m.role for m in memberships} == {Role.SENDCO, Role.GOVERNOR}
    assert all(same for *_, same in names)
    expected = sorted(Membership.objects.filter(user=sendco).values_list("pk", flat=True))
    assert sorted(m.pk for m in memberships) == expected


def test_a_user_without_roles_unknown_ids_and_inactive_accounts(world):
    backend = EmailBackend()
    nobody = User.objects.create_user("nobody@example.org", "a long enough password 1")
    assert backend.get_user(nobody.pk) == nobody
    assert backend.get_user(nobody.pk).active_memberships() == []
    assert backend.get_user(10**9) is None
    assert backend.get_user("not a number") is None
    sendco = world.users["sendco"]
    User.objects.filter(pk=sendco.pk).update(is_active=False)
    assert backend.get_user(sendco.pk) is None
    User.objects.filter(pk=nobody.pk).update(is_active=False)
    assert backend.get_user(nobody.pk) is None


def test_a_signed_in_page_sees_the_users_memberships_as_they_are_now(world, as_user):
    """Memberships are read afresh on every request: a role removed is gone on the next page."""
    client = as_user("sendco")
    child_url = f"/children/{world.child.pk}/"
    assert client.get(child_url).status_code == 200
    Membership.objects.filter(user=world.users["sendco"]).delete()
    assert client.get(child_url).status_code in (403, 404)


def test_a_dual_registered_childs_placement_is_the_same_read_alone_or_with_a_list(world):
    """Two placements starting on the same day: the summary's (read alone) and the lists'
    (read with many children) choose the same one, the later made."""
    from vsend.children.models import Child, Enrolment, Registration
    from vsend.children.selectors import (
        Placement,
        current_enrolment,
        current_placement,
        with_current_enrolment,
    )

    first = Enrolment.objects.filter(child=world.child, ended_on__isnull=True).get()
    Enrolment.objects.filter(pk=first.pk).update(registration=Registration.MAIN)
    second = Enrolment.objects.create(
        child=world.child,
        setting=world.other_setting,
        started_on=first.started_on,
        registration=Registration.SUBSIDIARY,
    )
    alone = current_enrolment(Child.objects.get(pk=world.child.pk))
    listed = current_enrolment(with_current_enrolment(Child.objects.filter(pk=world.child.pk))[0])
    assert alone.pk == listed.pk == second.pk
    # The summary's heading reads only the names, chosen the same way.
    placement = current_placement(Child.objects.get(pk=world.child.pk))
    assert placement == Placement(world.other_setting.name, None)
    Enrolment.objects.filter(child=world.child).update(
        ended_on=date(2000, 1, 1), started_on=date(1999, 1, 1)
    )
    assert current_placement(Child.objects.get(pk=world.child.pk)) is None


def test_a_profile_names_its_people_from_the_names_read_with_it(world):
    """A profile opened through the access check carries the names of who finalised it and who
    recorded home confidence, not their user rows; a person set on the object since is named
    as set; a profile read any other way names them from their user rows."""
    from tests.test_insights import make_profile
    from vsend.accounts.policy import AccessPolicy
    from vsend.profiles.models import Profile

    sendco, parent, officer = (world.users[k] for k in ("sendco", "parent", "la_officer"))
    profile = _named_profile(world, sendco, parent)
    policy = AccessPolicy(sendco)
    with CaptureQueriesContext(connection) as queries:
        found = policy.find_profile(profile.pk)
        names = (found.finaliser_name, found.home_recorder_name)
    assert len(queries) == 1
    assert "password" not in queries.captured_queries[0]["sql"]
    assert names == (sendco.full_name, parent.full_name)
    found.finalised_by = officer  # as finalising does to the object it holds
    assert found.finaliser_name == officer.full_name
    # Changed in the database and read again: the name read first is no longer trusted.
    Profile.objects.filter(pk=profile.pk).update(home_recorded_by=officer)
    found.refresh_from_db()
    assert found.home_recorder_name == officer.full_name
    found.home_recorded_by_id = parent.pk  # the id set directly
    assert found.home_recorder_name == parent.full_name
    Profile.objects.filter(pk=profile.pk).update(home_recorded_by=parent)
    plain = Profile.objects.get(pk=profile.pk)
    assert (plain.finaliser_name, plain.home_recorder_name) == names
    draft = make_profile(
        world.child, 2, date(2026, 2, 5), [1, 1, 1, 1, 1], status="draft", by=sendco
    )
    assert (draft.finaliser_name, draft.home_recorder_name) == ("", "")


def test_the_summary_names_its_people_and_placement(world, as_user):
    """What the summary's heading shows, read by name: the setting and year group, who
    finalised the profile and who recorded home confidence (two different people)."""
    from vsend.children.models import Enrolment

    parent, officer = world.users["parent"], world.users["la_officer"]
    Enrolment.objects.filter(child=world.child).update(year_group=world.year3)
    profile = _named_profile(world, officer, parent)
    html = as_user("sendco").get(f"/profiles/{profile.pk}/").content.decode()
    assert f"by {officer.full_name}</dd>" in " ".join(html.split()).replace(" </dd>", "</dd>")
    assert f"Recorded by {parent.full_name} on the family" in html
    assert world.setting.name in html and "Year 3" in html


def _named_profile(world, finalised_by, home_recorded_by):  # type: ignore[no-untyped-def]
    """A finalised profile of the persona's child, with who finalised it and who recorded home
    confidence on the family's behalf."""
    from django.utils import timezone

    from tests.test_insights import make_profile
    from vsend.profiles.models import Profile

    profile = make_profile(
        world.child, 1, date(2026, 1, 5), [1, 2, 3, 1, 0], by=world.users["sendco"]
    )
    Profile.objects.filter(pk=profile.pk).update(
        finalised_by=finalised_by,
        finalised_at=timezone.now(),
        home_recorded_by=home_recorded_by,
        home_recorded_at=timezone.now(),
        home_by_family=False,
    )
    return profile
