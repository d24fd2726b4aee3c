"""Transition plans in the API: a child's plans, or one plan, with every step's due date and
state, who acts, the reviews and the outcome. Read only; scoped by the access policy's
transition reach (the child's own circle and both settings' SENDCos) and audited, as the pages
are. A parent or young person sees the steps that concern the family, and reviews without the
staff's notes, as on their page."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.api.problems import problem_responses
from vsend.audit.models import Action, Channel
from vsend.audit.services import Actor, actor_from_request, record
from vsend.transitions import selectors
from vsend.transitions.models import TransitionPlan
from vsend.workflows.engine import Milestone, next_steps

STATES = ["done", "due", "at_risk", "overdue", "waiting", "paused", "not_needed"]


class StepOut(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The step, with its occurrence for a recurring one")
    name = serializers.CharField()
    who_acts = serializers.CharField()
    state = serializers.ChoiceField(choices=STATES)
    due_on = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)


class ReviewOut(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    decision = serializers.ChoiceField(choices=["continue", "change", "end"])
    notes = serializers.CharField(allow_blank=True, help_text="Empty for the family")


class TransitionPlanOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    child = serializers.IntegerField()
    template = serializers.CharField()
    template_version = serializers.IntegerField()
    started_on = serializers.DateField()
    sending_setting = serializers.IntegerField()
    receiving_setting = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True, help_text="Empty until the plan ends")
    ended_on = serializers.DateField(allow_null=True)
    next = StepOut(allow_null=True, help_text="The next step due and who acts, or null")
    steps = StepOut(many=True)
    reviews = ReviewOut(many=True)


def _actor(request: Request) -> Actor:
    return actor_from_request(request, channel=Channel.API)


def _step(plan: TransitionPlan, m: Milestone) -> dict[str, Any]:
    return {
        "key": m.key,
        "name": m.name,
        "who_acts": selectors.who_acts(plan, m.step.who),
        "state": m.status,
        "due_on": m.due_on,
        "done_on": m.done_on,
        "outcome": m.outcome,
    }


def plan_data(policy: AccessPolicy, plan: TransitionPlan) -> dict[str, Any]:
    today = timezone.localdate()
    ms = selectors.milestones(plan, today)
    family = selectors.is_family_view(policy, plan)
    shown = selectors.family_steps(ms) if family else ms
    upcoming = next_steps(shown)
    return {
        "id": plan.pk,
        "child": plan.child_id,
        "template": plan.template,
        "template_version": plan.template_version,
        "started_on": plan.started_on,
        "sending_setting": plan.sending_setting_id,
        "receiving_setting": plan.receiving_setting_id,
        "outcome": plan.outcome,
        "ended_on": plan.ended_on,
        "next": _step(plan, upcoming[0]) if upcoming else None,
        "steps": [_step(plan, m) for m in shown],
        "reviews": [
            {"held_on": r.held_on, "decision": r.decision, "notes": "" if family else r.notes}
            for r in plan.reviews.all()
        ],
    }


@extend_schema(
    responses={200: TransitionPlanOut(many=True), **problem_responses(403, 404)},
    summary="A child's transition plans: steps with due dates and states, reviews, outcome",
)
@api_view(["GET"])
def child_transitions(request: Request, pk: int) -> Response:
    actor = _actor(request)
    policy = AccessPolicy.for_user(request.user)
    plans = list(
        selectors.plans_with_history(policy).filter(child_id=pk).order_by("-started_on", "-pk")
    )
    reach = policy.permissions_on(pk)
    if not plans and not reach:
        selectors.refuse_child(actor, pk, Perm.VIEW_TRANSITION)
        raise Http404("No child found")
    if not plans and Perm.VIEW_TRANSITION not in reach:
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="child",
            object_id=pk,
            child_id=pk,
            summary="The user's role does not allow this",
            detail={"permission": Perm.VIEW_TRANSITION},
        )
        raise PermissionDenied
    record(
        actor,
        Action.VIEW,
        object_type="transition_plan",
        child_id=pk,
        authority_id=selectors.authority_of_child(pk),
        summary="Transition plans listed (API)",
        detail={"plans": [p.pk for p in plans]},
    )
    return Response(TransitionPlanOut([plan_data(policy, p) for p in plans], many=True).data)


@extend_schema(
    responses={200: TransitionPlanOut, **problem_responses(403, 404)},
    summary="One transition plan: who acts next, every step and review, and the outcome",
)
@api_view(["GET"])
def transition_detail(request: Request, pk: int) -> Response:
    actor = _actor(request)
    found = selectors.get_plan_for(actor, pk)
    policy = AccessPolicy.for_user(request.user)
    plan = selectors.plans_with_history(policy).get(pk=found.pk)
    record(
        actor,
        Action.VIEW,
        object_type="transition_plan",
        object_id=plan.pk,
        child_id=plan.child_id,
        authority_id=found.child.authority_id,
        summary="Transition plan opened (API)",
    )
    return Response(TransitionPlanOut(plan_data(policy, plan)).data)


urlpatterns = [
    path(
        "children/<id:pk>/transitions/",
        login_not_required(child_transitions),
        name="child-transitions",
    ),
    path("transitions/<id:pk>/", login_not_required(transition_detail), name="transition"),
]
