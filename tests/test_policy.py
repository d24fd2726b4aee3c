"""The access policy: decided once per request, from the role declarations and each membership's
reach; the pages ask the database about one child's permissions once."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.profile_helpers import complete_profile
from vsend.accounts.models import Membership
from vsend.accounts.policy import (
    AccessPolicy,
    Disclosure,
    disclosure_for_authority,
    disclosure_for_setting,
    may_view_authority,
    may_view_setting,
)
from vsend.accounts.roles import CHILD_PERMISSIONS, Perm, Role

# A scope check reads a membership's reach: a subquery of the children it reaches.
REACH = re.compile(r'SELECT U\d+\."child_id"')
SCOPED = ["sendco", "teacher", "parent", "caseworker"]


def _scope_checks(queries) -> int:
    return sum(bool(REACH.search(q["sql"])) for q in queries)


@pytest.mark.parametrize("persona", SCOPED)
def test_a_childs_page_checks_the_scope_once(world, as_user, persona):
    client = as_user(persona)
    client.get("/")  # the session's first request does its own bookkeeping
    url = reverse("children:detail", kwargs={"pk": world.child.pk})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert _scope_checks(queries.captured_queries) == 1
    # Of these, the audit row takes three: the chain head advanced, the row, the head's hash;
    # one lists the child's statutory cases.
    assert len(queries.captured_queries) <= 16


@pytest.mark.parametrize("persona", ["sendco", "teacher", "parent"])
def test_a_profile_page_checks_the_scope_once(world, as_user, persona):
    pk = complete_profile(as_user("sendco"), world.child, finalise=True)
    client = as_user(persona)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("profiles:summary", kwargs={"pk": pk})).status_code == 200
    assert _scope_checks(queries.captured_queries) == 1
    # The audit row and its chain: three; the provision linked to the plan's action: one.
    assert len(queries.captured_queries) <= 19


def test_the_api_reads_a_child_with_one_scope_check(world, as_user):
    client = as_user("sendco")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:child", kwargs={"pk": world.child.pk}))
    assert response.status_code == 200 and response.json()["current_enrolment"]
    assert _scope_checks(queries.captured_queries) == 1


def test_one_query_answers_every_permission_on_a_child(world, django_assert_num_queries):
    user = world.users["teacher"]
    user.active_memberships()
    policy = AccessPolicy.for_user(user)
    with django_assert_num_queries(1):
        child = policy.find_child(world.child.pk)
    assert child == world.child
    with django_assert_num_queries(0):
        assert policy.can(Perm.VIEW_CHILD, child)
        assert policy.can(Perm.VIEW_PROFILE, child)
        assert not policy.can(Perm.CHANGE_CHILD, child)
        assert not policy.can(Perm.EDIT_PROFILE, child.pk)
    # The teacher's other class is outside their reach.
    assert policy.find_child(world.classmate.pk) is None
    assert policy.permissions_on(world.classmate) == frozenset()


def test_what_each_persona_may_do_to_a_child(world):
    expected = {
        "platform_admin": CHILD_PERMISSIONS
        - {Perm.RECORD_HOME_CONFIDENCE, Perm.REQUEST_ASSESSMENT, Perm.GIVE_OWN_VIEWS},
        "la_admin": CHILD_PERMISSIONS
        - {Perm.RECORD_HOME_CONFIDENCE, Perm.REQUEST_ASSESSMENT, Perm.GIVE_OWN_VIEWS},
        "caseworker": {
            Perm.VIEW_CHILD,
            Perm.VIEW_CHILD_ACCESS,
            Perm.VIEW_PROFILE,
            Perm.TRANSFER_CHILD,
            Perm.EXPORT_RECORD,
            Perm.VIEW_PROVISION,
            Perm.VIEW_CASE,
            Perm.MANAGE_CASE,
            Perm.PREPARE_REVIEW,
            Perm.VIEW_TRANSITION,
            Perm.MANAGE_TRANSITION,
        },
        # A setting's roll changes through the authority's transfer, not a SENDCo's own.
        "sendco": CHILD_PERMISSIONS
        - {Perm.RECORD_HOME_CONFIDENCE, Perm.TRANSFER_CHILD, Perm.MANAGE_CASE},
        "teacher": {Perm.VIEW_CHILD, Perm.VIEW_PROFILE, Perm.VIEW_PROVISION, Perm.GIVE_OWN_VIEWS},
        "parent": {
            Perm.VIEW_CHILD,
            Perm.VIEW_PROFILE,
            Perm.RECORD_HOME_CONFIDENCE,
            Perm.EXPORT_RECORD,
            Perm.REQUEST_ASSESSMENT,
            Perm.VIEW_CASE,
            Perm.GIVE_OWN_VIEWS,
            Perm.VIEW_TRANSITION,
        },
        # Aggregates only, so no child is within their reach: every child id is "not found".
        "la_officer": set(),
        "governor": set(),
        "young_person": set(),
        "other_setting": set(),
        "other_authority": set(),
    }
    for persona, perms in expected.items():
        policy = AccessPolicy.for_user(world.users[persona])
        assert policy.permissions_on(world.child) == perms, persona
        assert (policy.find_child(world.child.pk) is not None) == bool(perms), persona
        assert set(policy.children(None).values_list("pk", flat=True)) >= (
            {world.child.pk} if perms else set()
        )


def test_the_policy_is_built_once_per_request_and_again_when_memberships_change(world):
    user = world.users["sendco"]
    request = RequestFactory().get("/")
    request.user = user
    policy = AccessPolicy.for_request(request)
    assert AccessPolicy.for_request(request) is policy
    assert AccessPolicy.for_user(user) is policy
    Membership.objects.create(user=user, role=Role.GOVERNOR, authority=world.authority)
    user._memberships_cache = None
    rebuilt = AccessPolicy.for_request(request)
    assert rebuilt is not policy and len(rebuilt.memberships) == 2


def test_anonymous_visitors_reach_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    policy = AccessPolicy.for_user(AnonymousUser())
    assert not policy.can_anywhere(Perm.VIEW_CHILD)
    assert not policy.children(None).exists()
    assert policy.find_child(1) is None


def test_disclosure_for_a_setting(world):
    s = world.setting
    identifiable = {"platform_admin", "la_admin", "sendco"}
    for persona in ("platform_admin", "la_admin", "sendco", "la_officer", "governor", "teacher"):
        d = disclosure_for_setting(world.users[persona], s)
        assert may_view_setting(world.users[persona], s), persona
        if persona in identifiable:
            assert d.level is Disclosure.IDENTIFIABLE and d.class_ids is None, persona
        elif persona == "teacher":
            assert d.identifiable and d.class_ids == (world.class_3x.pk,)
        else:
            assert d.level is Disclosure.ANONYMOUS and d.class_ids is None, persona
    for persona in ("caseworker", "parent", "young_person", "other_setting", "other_authority"):
        assert not may_view_setting(world.users[persona], s), persona
        assert not disclosure_for_setting(world.users[persona], s).identifiable, persona


def test_disclosure_for_an_authority(world):
    a = world.authority
    assert disclosure_for_authority(world.users["la_admin"], a) is Disclosure.IDENTIFIABLE
    assert disclosure_for_authority(world.users["platform_admin"], a) is Disclosure.IDENTIFIABLE
    assert disclosure_for_authority(world.users["la_officer"], a) is Disclosure.ANONYMOUS
    assert disclosure_for_authority(world.users["other_authority"], a) is Disclosure.ANONYMOUS
    for persona in ("platform_admin", "la_admin", "la_officer"):
        assert may_view_authority(world.users[persona], a), persona
    for persona in ("sendco", "teacher", "governor", "caseworker", "other_authority"):
        assert not may_view_authority(world.users[persona], a), persona


def test_the_most_open_membership_decides_never_a_mixture(world):
    teacher = world.users["teacher"]
    Membership.objects.create(
        user=teacher, role=Role.GOVERNOR, authority=world.authority, setting=world.setting
    )
    teacher._memberships_cache = None
    d = disclosure_for_setting(teacher, world.setting)
    assert d.identifiable and d.class_ids == (world.class_3x.pk,)  # their classes, named

    officer = world.users["la_officer"]
    Membership.objects.create(user=officer, role=Role.PARENT, authority=world.authority)
    officer._memberships_cache = None
    # Being a parent in the authority does not make its figures identifiable.
    assert disclosure_for_authority(officer, world.authority) is Disclosure.ANONYMOUS
    assert not disclosure_for_setting(officer, world.setting).identifiable


def test_the_home_page_publishes_figures_as_the_policy_decides(world, as_user, monkeypatch):
    # The officer's page shows the published (protected) figures; told the officer may identify
    # children, it would show the exact ones: the page asks the policy, not the role's name.
    from markupsafe import escape

    from vsend.insights.suppression import NOTE

    note = str(escape(NOTE))
    assert note in as_user("la_officer").get("/").content.decode()
    monkeypatch.setattr(
        AccessPolicy, "authority_disclosure", lambda self, authority: Disclosure.IDENTIFIABLE
    )
    assert note not in as_user("la_officer").get("/").content.decode()
