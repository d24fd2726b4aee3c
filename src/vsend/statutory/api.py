"""The statutory pathway in the API: a child's cases (requests and annual reviews) with every
milestone and its due date, and their EHC plans with sections, outcomes and reviews. Read only;
scoped and audited as the pages are (selectors.get_case_for / get_plan_for, view_case)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from vsend.accounts.roles import Perm
from vsend.api.problems import problem_responses
from vsend.audit.models import Action, Channel
from vsend.audit.services import Actor, actor_from_request, record, record_shown
from vsend.children import selectors as children
from vsend.statutory import selectors
from vsend.statutory.models import Case, EhcPlan, PlanOutcome
from vsend.workflows.engine import Milestone, next_steps


class MilestoneOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField()
    who_acts = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["done", "due", "at_risk", "overdue", "waiting", "paused", "not_needed"]
    )
    due_on = serializers.DateField(allow_null=True)
    asked_on = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    late = serializers.BooleanField()
    moved_days = serializers.IntegerField(help_text="Days the due date moved for exceptions")
    rule = serializers.CharField(allow_blank=True)


class ExceptionOut(serializers.Serializer[Any]):
    kind = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class AppealOut(serializers.Serializer[Any]):
    kind = serializers.CharField()
    about = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)


class AdulthoodOut(serializers.Serializer[Any]):
    employment = serializers.CharField(allow_blank=True)
    independent_living = serializers.CharField(allow_blank=True)
    community = serializers.CharField(allow_blank=True)
    health = serializers.CharField(allow_blank=True)


class CaseOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    child = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["assessment", "annual_review"])
    started_on = serializers.DateField(help_text="Request received, or plan issued or reviewed")
    requester = serializers.CharField(allow_blank=True)
    received_how = serializers.CharField()
    setting = serializers.IntegerField(allow_null=True)
    plan = serializers.IntegerField(allow_null=True, help_text="The plan an annual review reviews")
    closed_on = serializers.DateField(allow_null=True)
    closed_reason = serializers.CharField(allow_blank=True)
    withdrawn = serializers.BooleanField()
    withdrawn_by = serializers.CharField(allow_blank=True)
    next = MilestoneOut(allow_null=True, help_text="The next thing due, or null")
    milestones = MilestoneOut(many=True)
    exceptions = ExceptionOut(many=True)
    appeals = AppealOut(many=True)
    adulthood = AdulthoodOut(
        allow_null=True, help_text="Preparing for adulthood (annual reviews from Year 9)"
    )


class OutcomeOut(serializers.Serializer[Any]):
    areas = serializers.ListField(child=serializers.CharField())
    outcome = serializers.CharField()
    provision = serializers.CharField(allow_blank=True)
    by_when = serializers.DateField(allow_null=True)


class SectionOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True)


class PlanOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    child = serializers.IntegerField()
    assessment = serializers.IntegerField(allow_null=True)
    issued_on = serializers.DateField()
    start_date = serializers.DateField()
    named_setting = serializers.IntegerField(allow_null=True)
    sen_setting = serializers.CharField(allow_blank=True)
    personal_budget = serializers.BooleanField()
    ceased_on = serializers.DateField(allow_null=True)
    cease_reason = serializers.IntegerField(allow_null=True)
    sections = SectionOut(many=True)
    outcomes = OutcomeOut(many=True)
    reviews = CaseOut(many=True)


def _actor(request: Request) -> Actor:
    return actor_from_request(request, channel=Channel.API)


def milestone_data(m: Milestone) -> dict[str, Any]:
    return {
        "key": m.key,
        "name": m.name,
        "who_acts": m.step.who,
        "status": m.status,
        "due_on": m.due_on,
        "asked_on": m.asked_on,
        "done_on": m.done_on,
        "outcome": m.outcome,
        "late": m.late,
        "moved_days": m.moved_days,
        "rule": m.step.rule,
    }


def case_data(case: Case, today: date) -> dict[str, Any]:
    milestones = selectors.clock(case, today)
    upcoming = next_steps(milestones)
    adulthood = getattr(case, "adulthood", None) if case.kind == "annual_review" else None
    return {
        "id": case.pk,
        "child": case.child_id,
        "kind": case.kind,
        "started_on": case.started_on,
        "requester": case.requester,
        "received_how": case.received_how,
        "setting": case.setting_id,
        "plan": case.plan_id,
        "closed_on": case.closed_on,
        "closed_reason": case.closed_reason,
        "withdrawn": case.withdrawn,
        "withdrawn_by": case.withdrawn_by,
        "next": milestone_data(upcoming[0]) if upcoming else None,
        "milestones": [milestone_data(m) for m in milestones],
        "exceptions": [
            {"kind": e.kind, "starts_on": e.starts_on, "ends_on": e.ends_on}
            for e in case.exceptions.all()
        ],
        "appeals": [
            {
                "kind": a.kind,
                "about": a.about,
                "started_on": a.started_on,
                "ended_on": a.ended_on,
                "outcome": a.outcome,
            }
            for a in case.appeals.all()
        ],
        "adulthood": {
            "employment": adulthood.employment,
            "independent_living": adulthood.independent_living,
            "community": adulthood.community,
            "health": adulthood.health,
        }
        if adulthood
        else None,
    }


def outcome_data(o: PlanOutcome) -> dict[str, Any]:
    return {"areas": o.areas, "outcome": o.outcome, "provision": o.provision, "by_when": o.by_when}


def plan_data(plan: EhcPlan, today: date) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "child": plan.child_id,
        "assessment": plan.assessment_id,
        "issued_on": plan.issued_on,
        "start_date": plan.start_date,
        "named_setting": plan.named_setting_id,
        "sen_setting": plan.sen_setting,
        "personal_budget": plan.personal_budget,
        "ceased_on": plan.ceased_on,
        "cease_reason": plan.cease_reason,
        "sections": [{"key": k, "title": t, "text": v} for k, t, v in plan.sections()],
        "outcomes": [outcome_data(o) for o in plan.outcomes.all()],
        "reviews": [case_data(r, today) for r in plan.reviews.all()],
    }


def _cases() -> Any:
    return Case.objects.select_related("child", "adulthood").prefetch_related(
        "steps", "exceptions", "appeals"
    )


def _plans() -> Any:
    return EhcPlan.objects.prefetch_related(
        "outcomes", Prefetch("reviews", queryset=_cases().order_by("-started_on", "-pk"))
    )


@dataclass(frozen=True)
class _Rows:
    """A child's cases or plans as the API gives them: listed for a child, or opened one by one
    (found through the access policy, then read again with everything the answer shows)."""

    out: type[serializers.Serializer[Any]]
    rows: Callable[[], Any]
    order: tuple[str, ...]
    data: Callable[[Any, date], dict[str, Any]]
    listed: str
    get_for: Callable[[Actor, int, str], Any]
    object_type: str
    opened: str

    def list_for_child(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        child = children.get_child_for(actor, pk, Perm.VIEW_CASE)
        rows = list(self.rows().filter(child=child).order_by(*self.order))
        record(actor, Action.VIEW, obj=child, summary=self.listed)
        today = timezone.localdate()
        return Response(self.out([self.data(r, today) for r in rows], many=True).data)

    def detail(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        found = self.get_for(actor, pk, Perm.VIEW_CASE)
        row = self.rows().get(pk=found.pk)
        record_shown(actor, found, self.object_type, self.opened)  # found has its child
        return Response(self.out(self.data(row, timezone.localdate())).data)


CASES = _Rows(
    out=CaseOut,
    rows=_cases,
    order=("-started_on", "-pk"),
    data=case_data,
    listed="Statutory cases listed (API)",
    get_for=selectors.get_case_for,
    object_type="statutory_case",
    opened="Statutory case opened (API)",
)
PLANS = _Rows(
    out=PlanOut,
    rows=_plans,
    order=("-issued_on", "-pk"),
    data=plan_data,
    listed="EHC plans listed (API)",
    get_for=selectors.get_plan_for,
    object_type="ehc_plan",
    opened="EHC plan opened (API)",
)


@extend_schema(
    responses={200: CaseOut(many=True), **problem_responses(403, 404)},
    summary="A child's EHC needs assessment requests and annual reviews, with their clocks",
)
@api_view(["GET"])
def child_cases(request: Request, pk: int) -> Response:
    return CASES.list_for_child(request, pk)


@extend_schema(
    responses={200: CaseOut, **problem_responses(403, 404)},
    summary="One request or annual review: every milestone, due date and who acts",
)
@api_view(["GET"])
def case_detail(request: Request, pk: int) -> Response:
    return CASES.detail(request, pk)


@extend_schema(
    responses={200: PlanOut(many=True), **problem_responses(403, 404)},
    summary="A child's EHC plans with sections, outcomes by area, and reviews",
)
@api_view(["GET"])
def child_plans(request: Request, pk: int) -> Response:
    return PLANS.list_for_child(request, pk)


@extend_schema(
    responses={200: PlanOut, **problem_responses(403, 404)},
    summary="One EHC plan with its sections A-K, outcomes by area and annual reviews",
)
@api_view(["GET"])
def plan_detail(request: Request, pk: int) -> Response:
    return PLANS.detail(request, pk)


urlpatterns = [
    path("children/<id:pk>/cases/", login_not_required(child_cases), name="child-cases"),
    path("cases/<id:pk>/", login_not_required(case_detail), name="case"),
    path("children/<id:pk>/plans/", login_not_required(child_plans), name="child-plans"),
    path("plans/<id:pk>/", login_not_required(plan_detail), name="plan"),
]
