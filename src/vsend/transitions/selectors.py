"""Scoped reads of transition plans (AccessPolicy.transition_reach). A plan outside the user's
reach is not found (404); within reach for reading but not for recording, refused (403); both
audited, as for a child's record."""

from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm, Role
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child
from vsend.children.selectors import refuse_outside_scope
from vsend.transitions.models import TransitionPlan, TransitionReview, TransitionStep
from vsend.workflows.definitions import definition
from vsend.workflows.engine import Done, Milestone, next_steps, schedule

WHO = {
    "sending_setting": "SENDCo at the sending setting",
    "receiving_setting": "SENDCo at the receiving setting",
    "caseworker": "Caseworker at the local authority",
    "family": "The family",
    "adviser": "Transition adviser",
}


def plans_for(policy: AccessPolicy, perm: str = Perm.VIEW_TRANSITION) -> QuerySet[TransitionPlan]:
    return TransitionPlan.objects.filter(policy.transition_reach(perm)).select_related(
        "child", "sending_setting", "receiving_setting"
    )


def get_plan_for(actor: Actor, pk: int, perm: str = Perm.VIEW_TRANSITION) -> TransitionPlan:
    policy = AccessPolicy.for_user(actor.user)
    found = TransitionPlan.objects.filter(pk=pk)
    plan = plans_for(policy).filter(pk=pk).select_related("child__authority").first()
    if plan is None:
        child_id = found.values_list("child_id", flat=True).first()
        if child_id is None or not policy.permissions_on(child_id):
            refuse_outside_scope(actor, "transition_plan", pk, found, perm, child_field="child_id")
            raise Http404("No transition plan found")
        _refuse(actor, found.select_related("child").get(), perm)  # in reach, not their role
    assert plan is not None
    if perm != Perm.VIEW_TRANSITION and not plans_for(policy, perm).filter(pk=pk).exists():
        _refuse(actor, plan, perm)
    return plan


def _refuse(actor: Actor, plan: TransitionPlan, perm: str) -> None:
    record(
        actor,
        Action.ACCESS_REFUSED,
        object_type="transition_plan",
        object_id=plan.pk,
        child_id=plan.child_id,
        authority_id=plan.child.authority_id,
        summary="The user's role does not allow this",
        detail={"permission": perm},
    )
    raise PermissionDenied


def may_manage(policy: AccessPolicy, plan: TransitionPlan) -> bool:
    return plans_for(policy, Perm.MANAGE_TRANSITION).filter(pk=plan.pk).exists()


def is_family_view(policy: AccessPolicy, plan: TransitionPlan) -> bool:
    """A parent or the young person, not staff: they see the steps that concern them."""
    staff = any(
        m.role not in (Role.PARENT, Role.YOUNG_PERSON) for m in policy.memberships
    ) and may_manage(policy, plan)
    return not staff and any(m.role in (Role.PARENT, Role.YOUNG_PERSON) for m in policy.memberships)


def milestones(plan: TransitionPlan, today: date) -> list[Milestone]:
    wf = definition(plan.template)
    done = [Done(s.step, s.item, None, s.done_on, s.outcome, s.pk) for s in plan.steps.all()]
    out = schedule(wf, started_on=plan.started_on, done=done, today=today)
    if not plan.is_open:
        return [m if m.status == "done" else replace(m, status="not_needed") for m in out]
    return out


@dataclass(frozen=True)
class NextAction:
    who: str
    milestone: Milestone


def who_acts(plan: TransitionPlan, key: str) -> str:
    if key == "sending_setting":
        return f"SENDCo at {plan.sending_setting.name}"
    if key == "receiving_setting" and plan.receiving_setting is not None:
        return f"SENDCo at {plan.receiving_setting.name}"
    return WHO.get(key, key)


def next_action(plan: TransitionPlan, ms: list[Milestone]) -> NextAction | None:
    """Who must act next: the soonest step still to do."""
    upcoming = next_steps(ms)
    if not upcoming:
        return None
    return NextAction(who_acts(plan, upcoming[0].step.who), upcoming[0])


def family_steps(ms: list[Milestone]) -> list[Milestone]:
    return [m for m in ms if m.step.for_family and m.status != "not_needed"]


@dataclass(frozen=True)
class Referral:
    """Where a plan that ended in a referral for an EHC needs assessment leads: the request
    when there is one the user may see, else a way to make it (or record it) when they may."""

    case_id: int | None = None
    case_open: bool = False
    started_on: date | None = None
    start_url: str = ""
    start_text: str = ""


def referral(policy: AccessPolicy, plan: TransitionPlan) -> Referral | None:
    """The child's open request, or the latest made since the plan started; None when the
    plan was not referred or the user may neither see a request nor start one."""
    from django.db.models import Q
    from django.urls import reverse

    from vsend.statutory.models import Case
    from vsend.transitions.models import Outcome

    if plan.outcome != Outcome.REFERRED:
        return None
    child_id = plan.child_id
    if policy.can(Perm.VIEW_CASE, child_id):
        case = (
            Case.objects.filter(child_id=child_id, kind="assessment")
            .filter(Q(closed_on__isnull=True) | Q(started_on__gte=plan.started_on))
            .order_by("-started_on", "-pk")
            .first()
        )
        if case is not None:
            return Referral(case.pk, case.closed_on is None, case.started_on)
    if policy.can(Perm.REQUEST_ASSESSMENT, child_id):
        url = reverse("statutory:request", kwargs={"child_pk": child_id})
        return Referral(start_url=url, start_text="Ask for an EHC needs assessment")
    if policy.can(Perm.MANAGE_CASE, child_id):
        url = reverse("statutory:request-received", kwargs={"child_pk": child_id})
        return Referral(start_url=url, start_text="Record a request the authority has received")
    return None


def plans_with_history(policy: AccessPolicy) -> QuerySet[TransitionPlan]:
    """The plans in the policy's transition reach, with their steps and reviews in order."""
    return plans_for(policy).prefetch_related(
        Prefetch("steps", queryset=TransitionStep.objects.order_by("done_on", "pk")),
        Prefetch("reviews", queryset=TransitionReview.objects.order_by("held_on", "pk")),
    )


def refuse_child(actor: Actor, pk: int, perm: str) -> None:
    """Record the refusal of a child outside the viewer's reach (ADR 10's not-found rules)."""
    refuse_outside_scope(actor, "child", pk, Child.objects.filter(pk=pk), perm)


def authority_of_child(pk: int) -> int | None:
    """The authority a child belongs to (an id only), for the audit row."""
    return Child.objects.filter(pk=pk).values_list("authority_id", flat=True).first()
