"""The statutory pathway in the API: a child's cases with their milestones and due dates, plans
with sections, outcomes and reviews; scoped and audited as the pages; in the OpenAPI schema."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from vsend.accounts.services import create_api_token
from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import SYSTEM, Actor
from vsend.statutory import services


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def issued_plan(world, received_weeks_ago: int = 19):
    actor = Actor(user=world.users["caseworker"])
    today = timezone.localdate()
    case = services.request_assessment(
        actor=actor,
        child=world.child,
        requester="parent",
        reasons="Reading is very hard",
        received_on=today - timedelta(weeks=received_weeks_ago),
    )
    services.record_step(
        actor=actor,
        case=case,
        step="decision_to_assess",
        done_on=today - timedelta(weeks=received_weeks_ago - 5),
        outcome="assess",
    )
    plan = services.issue_final_plan(
        actor=actor,
        case=case,
        details=services.PlanDetails(
            issued_on=today, start_date=today, named_setting=world.setting
        ),
        sections={"a": "Loves trains", "f": "Daily reading support"},
    )
    return case, plan


def _token(world, persona: str) -> str:
    return create_api_token(actor=SYSTEM, user=world.users[persona], name="t")


def test_a_childs_cases_come_with_every_milestone_and_due_date(world):
    case, plan = issued_plan(world)
    api = Client()
    token = _token(world, "sendco")
    found = api.get(reverse("api:child-cases", kwargs={"pk": world.child.pk}), **bearer(token))
    assert found.status_code == 200
    body = found.json()
    assert [c["kind"] for c in body] == ["annual_review", "assessment"]
    assessment = body[1]
    assert assessment["id"] == case.pk and assessment["closed_on"] is not None
    keys = {m["key"]: m for m in assessment["milestones"]}
    decision = keys["decision_to_assess"]
    assert decision["status"] == "done" and decision["outcome"] == "assess"
    assert decision["due_on"] == (case.started_on + timedelta(weeks=6)).isoformat()
    assert keys["final_plan"]["due_on"] == (case.started_on + timedelta(weeks=20)).isoformat()
    review = body[0]
    assert review["plan"] == plan.pk and review["next"]["who_acts"]
    meeting = next(m for m in review["milestones"] if m["key"] == "meeting")
    assert meeting["due_on"] == plan.issued_on.replace(
        year=plan.issued_on.year + 1
    ).isoformat() or (plan.issued_on.month == 2 and plan.issued_on.day == 29)
    detail = api.get(reverse("api:case", kwargs={"pk": case.pk}), **bearer(token)).json()
    assert detail["id"] == case.pk and detail["milestones"] == assessment["milestones"]
    reads = AuditEvent.objects.filter(action=Action.VIEW, child_id=world.child.pk)
    assert reads.filter(summary="Statutory cases listed (API)").exists()
    assert reads.filter(object_type="statutory_case", object_id=str(case.pk)).exists()


def test_a_plan_comes_with_its_sections_outcomes_and_reviews(world):
    _, plan = issued_plan(world)
    services.add_plan_outcome(
        actor=Actor(user=world.users["caseworker"]),
        plan=plan,
        areas=["cognition_learning", "communication_interaction"],
        outcome="Reads a short book on their own by the end of Year 4",
        provision="Daily 20-minute reading with a trained assistant",
    )
    api = Client()
    token = _token(world, "parent")
    body = api.get(reverse("api:plan", kwargs={"pk": plan.pk}), **bearer(token)).json()
    sections = {s["key"]: s["text"] for s in body["sections"]}
    assert sections["a"] == "Loves trains" and sections["f"] == "Daily reading support"
    assert body["outcomes"][0]["areas"] == ["communication_interaction", "cognition_learning"]
    assert body["outcomes"][0]["provision"].startswith("Daily 20-minute")
    assert len(body["reviews"]) == 1 and body["reviews"][0]["kind"] == "annual_review"
    listed = api.get(reverse("api:child-plans", kwargs={"pk": world.child.pk}), **bearer(token))
    assert [p["id"] for p in listed.json()] == [plan.pk]
    assert AuditEvent.objects.filter(
        action=Action.VIEW, object_type="ehc_plan", object_id=str(plan.pk)
    ).exists()


def test_cases_outside_reach_are_not_found_and_a_teacher_is_refused(world):
    case, plan = issued_plan(world)
    api = Client()
    other = _token(world, "other_setting")
    for name, pk in [
        ("api:case", case.pk),
        ("api:plan", plan.pk),
        ("api:child-cases", world.child.pk),
    ]:
        assert api.get(reverse(name, kwargs={"pk": pk}), **bearer(other)).status_code == 404
    teacher = _token(world, "teacher")
    response = api.get(reverse("api:case", kwargs={"pk": case.pk}), **bearer(teacher))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=Action.ACCESS_REFUSED).count() >= 4


def test_the_schema_describes_cases_and_plans():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for url in (
        "/api/v1/children/{id}/cases/",
        "/api/v1/cases/{id}/",
        "/api/v1/children/{id}/plans/",
        "/api/v1/plans/{id}/",
    ):
        assert set(paths[url]["get"]["responses"]) >= {"200", "401", "403", "404"}
    case = schema["components"]["schemas"]["CaseOut"]["properties"]
    assert {"milestones", "next", "adulthood", "received_how"} <= set(case)
    assert "outcomes" in schema["components"]["schemas"]["PlanOut"]["properties"]
