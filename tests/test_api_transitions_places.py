"""The read-only API for transition plans (scoped by the transition reach, audited, the family
seeing their own steps) and for special-school place planning (exact for the authority's
administrators, suppressed for LA officers)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from tests.test_places import places as places  # noqa: F401 - the fixture
from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import Actor
from vsend.transitions import services

TODAY = timezone.localdate()


def _plan(world, receiving=True):
    plan = services.start_plan(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        template="special-to-mainstream",
        sending_setting=world.setting,
        receiving_setting=world.other_setting if receiving else None,
        started_on=TODAY - timedelta(days=60),
    )
    services.record_step(
        actor=Actor(user=world.users["sendco"]),
        plan=plan,
        step="family_views",
        done_on=TODAY - timedelta(days=50),
    )
    services.record_review(
        actor=Actor(user=world.users["sendco"]),
        plan=plan,
        held_on=TODAY - timedelta(days=10),
        notes="Settling well at the taster days",
        decision="continue",
    )
    return plan


def test_a_childs_plans_with_steps_reviews_and_next(world, as_user):
    plan = _plan(world)
    url = reverse("api:child-transitions", kwargs={"pk": world.child.pk})
    body = as_user("caseworker").get(url).json()
    [data] = body
    assert data["id"] == plan.pk and data["outcome"] == "" and data["ended_on"] is None
    assert data["receiving_setting"] == world.other_setting.pk
    done = next(s for s in data["steps"] if s["key"] == "family_views")
    assert done["state"] == "done" and done["done_on"] == str(TODAY - timedelta(days=50))
    assert any(s["due_on"] for s in data["steps"] if s["state"] != "done")
    assert data["next"]["who_acts"]
    assert data["reviews"] == [
        {
            "held_on": str(TODAY - timedelta(days=10)),
            "decision": "continue",
            "notes": "Settling well at the taster days",
        }
    ]
    row = AuditEvent.objects.filter(summary="Transition plans listed (API)").latest("pk")
    assert row.child_id == world.child.pk and row.detail["plans"] == [plan.pk]
    one = as_user("caseworker").get(reverse("api:transition", kwargs={"pk": plan.pk}))
    assert one.json() == data
    assert AuditEvent.objects.filter(
        summary="Transition plan opened (API)", object_id=str(plan.pk), action=Action.VIEW
    ).exists()


def test_the_family_sees_their_steps_and_reviews_without_notes(world, as_user):
    plan = _plan(world)
    staff = as_user("sendco").get(reverse("api:transition", kwargs={"pk": plan.pk})).json()
    family = as_user("parent").get(reverse("api:transition", kwargs={"pk": plan.pk})).json()
    assert 0 < len(family["steps"]) < len(staff["steps"])
    assert family["reviews"][0]["notes"] == "" and family["reviews"][0]["decision"] == "continue"


def test_the_receiving_sendco_reaches_the_plan_not_other_children(world, as_user):
    plan = _plan(world)
    client = as_user("other_setting")  # the receiving school's SENDCo
    listed = client.get(reverse("api:child-transitions", kwargs={"pk": world.child.pk}))
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [plan.pk]
    assert client.get(reverse("api:transition", kwargs={"pk": plan.pk})).status_code == 200
    other = reverse("api:child-transitions", kwargs={"pk": world.classmate.pk})
    assert client.get(other).status_code == 404
    assert as_user("teacher").get(
        reverse("api:transition", kwargs={"pk": plan.pk})
    ).status_code in (
        403,
        404,
    )
    assert (
        as_user("la_officer")
        .get(reverse("api:child-transitions", kwargs={"pk": world.child.pk}))
        .status_code
        == 404
    )


def test_place_planning_is_exact_for_administrators_and_suppressed_for_officers(places, as_user):
    url = reverse("api:place-planning")
    exact = as_user("la_admin").get(url).json()
    assert exact["suppressed"] is False and exact["disclosure"] is None
    officer = as_user("la_officer").get(url).json()
    assert officer["suppressed"] is True and officer["disclosure"]
    assert [t["key"] for t in officer["tables"]] == [t["key"] for t in exact["tables"]]
    assert "1 to 7" in str(officer["tables"]) and "1 to 7" not in str(exact["tables"])
    assert exact["method"] and exact["as_at"] == str(TODAY)
    rows = AuditEvent.objects.filter(object_type="place_planning", summary__endswith="(API)")
    assert {r.detail["disclosure"] for r in rows} == {"identifiable", "anonymous"}
    assert as_user("sendco").get(url).status_code == 403
    assert as_user("la_officer").get(url, {"authority": "999999"}).status_code == 404


def test_the_schema_describes_the_new_operations():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for url in (
        "/api/v1/children/{id}/transitions/",
        "/api/v1/transitions/{id}/",
        "/api/v1/place-planning/",
    ):
        assert "get" in paths[url], url
