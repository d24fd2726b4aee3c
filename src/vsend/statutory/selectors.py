"""Scoped reads of the statutory pathway. A case is reached through its child: outside the
user's reach it is not found (404), within reach without the permission it is refused (403);
both are audited, as for a child's record."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm, Role
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Enrolment
from vsend.children.selectors import refuse_outside_scope
from vsend.organisations.models import Setting
from vsend.statutory.models import Case, CaseDocument, EhcPlan, Requester
from vsend.workflows.definitions import definition
from vsend.workflows.engine import Done, Milestone, Pause, next_steps, schedule

if TYPE_CHECKING:
    from vsend.organisations.models import LocalAuthority
    from vsend.profiles.models import Profile
    from vsend.statutory.timeliness import RequestFacts, ReviewFacts


def _check(
    actor: Actor, child_id: int | None, perm: str, kind: str, pk: int, found: QuerySet
) -> None:
    policy = AccessPolicy.for_user(actor.user)
    if child_id is None or not policy.permissions_on(child_id):
        refuse_outside_scope(actor, kind, pk, found, perm, child_field="child_id")
        raise Http404(f"No {kind} found")
    if not policy.can(perm, child_id):
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type=kind,
            object_id=pk,
            child_id=child_id,
            summary="The user's role does not allow this",
            detail={"permission": perm},
        )
        raise PermissionDenied


def get_case_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASE) -> Case:
    found = Case.objects.filter(pk=pk)
    case = found.select_related("child", "setting", "plan").first()
    _check(actor, case.child_id if case else None, perm, "statutory_case", pk, found)
    assert case is not None
    return case


def require_on_case(actor: Actor, case: Case, perm: str) -> None:
    """A second check on a case already found (for a permission that depends on the step)."""
    _check(actor, case.child_id, perm, "statutory_case", case.pk, Case.objects.filter(pk=case.pk))


def get_plan_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASE) -> EhcPlan:
    found = EhcPlan.objects.filter(pk=pk)
    plan = found.select_related("child", "named_setting").first()
    _check(actor, plan.child_id if plan else None, perm, "ehc_plan", pk, found)
    assert plan is not None
    return plan


def get_document_for(actor: Actor, case: Case, pk: int) -> CaseDocument:
    doc = case.documents.filter(pk=pk).first()
    if doc is None:
        raise Http404("No letter found")
    return doc


def is_family_view(policy: AccessPolicy, child_id: int) -> bool:
    """A parent or the young person (not staff): they see the plain-English page."""
    return any(m.role in (Role.PARENT, Role.YOUNG_PERSON) for m in policy.memberships) and not (
        policy.can(Perm.VIEW_CHILD_ACCESS, child_id)
    )


def clock(case: Case, today: date) -> list[Milestone]:
    wf = definition(case.workflow)
    done = [Done(s.step, s.item, s.asked_on, s.done_on, s.outcome, s.pk) for s in case.steps.all()]
    pauses = [
        Pause(e.kind, e.starts_on, e.ends_on, wf.exception(e.kind).steps)
        for e in case.exceptions.all()
    ]
    under_5 = case.child.age_on(case.started_on) < 5
    milestones = schedule(
        wf, started_on=case.started_on, done=done, pauses=pauses, today=today, under_5=under_5
    )
    if not case.is_open:
        # A closed case has nothing more due.
        return [m if m.status in ("done",) else _not_needed(m) for m in milestones]
    return milestones


def _not_needed(m: Milestone) -> Milestone:
    from dataclasses import replace

    return replace(m, status="not_needed")


AT_RISK_WEEKS = 2  # on the worklist: due within two weeks after this one


@dataclass(frozen=True)
class WorkItem:
    case: Case
    milestone: Milestone


@dataclass(frozen=True)
class Worklist:
    overdue: list[WorkItem]
    this_week: list[WorkItem]
    at_risk: list[WorkItem]
    paused: list[WorkItem]
    cases: list[Case]
    next_by_case: list[tuple[Case, Milestone | None]]
    # Children changing phase next September whose EHC plan is overdue or at risk against its
    # phase-transfer deadline (transitions.phase.Mover).
    phase_transfer: list[Any] = field(default_factory=list)


def worklist(policy: AccessPolicy, today: date, perm: str = Perm.MANAGE_CASE) -> Worklist:
    """Every open case of the children the user may act on: what is overdue, due by Sunday,
    at risk (due in the two weeks after), and paused by an exception."""
    cases = list(
        Case.objects.filter(child__in=policy.children(perm), closed_on__isnull=True)
        .select_related("child", "setting")
        .prefetch_related("steps", "exceptions")
        .order_by("started_on", "pk")
    )
    end_of_week = today + timedelta(days=6 - today.weekday())
    overdue, this_week, at_risk, paused = [], [], [], []
    next_by_case: list[tuple[Case, Milestone | None]] = []
    for case in cases:
        upcoming = next_steps(clock(case, today))
        next_by_case.append((case, upcoming[0] if upcoming else None))
        for m in upcoming:
            item = WorkItem(case, m)
            if m.status == "paused":
                paused.append(item)
            elif m.status == "overdue":
                overdue.append(item)
            elif m.due_on and m.due_on <= end_of_week:
                this_week.append(item)
            elif m.due_on and m.due_on <= end_of_week + timedelta(days=AT_RISK_WEEKS * 7):
                at_risk.append(item)

    def by_due(items: list[WorkItem]) -> list[WorkItem]:
        return sorted(items, key=lambda w: (w.milestone.due_on or date.max, w.case.pk))

    from vsend.transitions.phase import plan_deadlines_due

    return Worklist(
        by_due(overdue),
        by_due(this_week),
        by_due(at_risk),
        paused,
        cases,
        next_by_case,
        plan_deadlines_due(policy, policy.children(perm), today),
    )


def cases_of_child(policy: AccessPolicy, child_id: int) -> list[Case]:
    if not policy.can(Perm.VIEW_CASE, child_id):
        return []
    return list(Case.objects.filter(child_id=child_id).order_by("-started_on", "-pk"))


def requester_for(policy: AccessPolicy, child_id: int) -> tuple[str, Setting | None] | None:
    """Who the user is making a request as, for this child: their setting, their family, or
    themselves. The first membership that both reaches the child and may request decides."""
    for m in policy.memberships:
        if m.role == Role.SENDCO and m.setting_id is not None:
            enrolment = Enrolment.objects.current().filter(
                child_id=child_id, setting_id=m.setting_id
            )
            if enrolment.exists():
                return Requester.SETTING, m.setting
        if m.role == Role.PARENT and policy.can(Perm.REQUEST_ASSESSMENT, child_id):
            if m.user.family_links.filter(child_id=child_id).exists():
                return Requester.PARENT, None
        if m.role == Role.YOUNG_PERSON and m.child_id == child_id:
            return Requester.YOUNG_PERSON, None
    return None


def _cases_at(
    authority_id: int, kind: str, setting_ids: Iterable[int] | None, unplaced: bool
) -> tuple[QuerySet[Case], dict[int, int]]:
    """An authority's cases of one kind, with each child's setting today; limited to the cases
    counted at some settings (their own setting, else the child's), or to those at none."""
    cases = Case.objects.filter(child__authority_id=authority_id, kind=kind)
    current = Enrolment.objects.current().filter(child__authority_id=authority_id)
    if setting_ids is not None:
        ids = list(setting_ids)
        current = current.filter(setting_id__in=ids)
        cases = cases.filter(
            Q(setting_id__in=ids) | Q(setting__isnull=True, child_id__in=current.values("child_id"))
        )
    elif unplaced:
        cases = cases.filter(setting__isnull=True).exclude(child_id__in=current.values("child_id"))
    return cases, dict(current.values_list("child_id", "setting_id"))


def request_facts(
    authority_id: int, setting_ids: Iterable[int] | None = None, *, unplaced: bool = False
) -> list["RequestFacts"]:
    """The facts the timeliness functions need, for every request in the authority (no names),
    or for those counted at some settings, or at none."""
    from vsend.statutory.timeliness import RequestFacts

    wf = definition("ehc-needs-assessment")
    limited = {e.key for e in wf.exceptions if "final_plan" in e.steps}
    out = []
    cases, current = _cases_at(authority_id, "assessment", setting_ids, unplaced)
    for case in cases.prefetch_related("steps", "exceptions").order_by("pk"):
        steps = {s.step: s for s in case.steps.all() if not s.item}
        decision = steps.get("decision_to_assess")
        final = steps.get("final_plan")
        out.append(
            RequestFacts(
                setting_id=case.setting_id or current.get(case.child_id),
                received_on=case.started_on,
                decided_on=decision.done_on if decision else None,
                decision=decision.outcome if decision else "",
                final_issued_on=final.done_on if final else None,
                exception_applies=any(e.kind in limited for e in case.exceptions.all()),
            )
        )
    return out


def review_facts(
    authority_id: int, setting_ids: Iterable[int] | None = None, *, unplaced: bool = False
) -> list["ReviewFacts"]:
    """Each annual review's due date (12 months from the plan or the last review, 6 under 5)
    and when its meeting was held, counted where requests are."""
    from vsend.statutory.timeliness import ReviewFacts
    from vsend.workflows.engine import add_months

    out = []
    cases, current = _cases_at(authority_id, "annual_review", setting_ids, unplaced)
    for case in cases.select_related("child").prefetch_related("steps").order_by("pk"):
        months = 6 if case.child.age_on(case.started_on) < 5 else 12
        meeting = next((s for s in case.steps.all() if s.step == "meeting" and not s.item), None)
        out.append(
            ReviewFacts(
                setting_id=case.setting_id or current.get(case.child_id),
                due_on=add_months(case.started_on, months),
                held_on=meeting.done_on if meeting else None,
            )
        )
    return out


def sen2_requests(authority: "LocalAuthority", start: date, end: date) -> QuerySet[Case]:
    """Requests of the whole authority for its SEN2 return (its administrators only: the view
    checks make_sen2): received by the year's end and not closed before it began."""
    return (
        Case.objects.filter(child__authority=authority, kind="assessment", started_on__lte=end)
        .exclude(closed_on__lt=start)
        .select_related("child")
        .prefetch_related("steps", "exceptions", "appeals")
    )


def sen2_plans(authority: "LocalAuthority", start: date, ref: date) -> QuerySet[EhcPlan]:
    return (
        EhcPlan.objects.filter(child__authority=authority, issued_on__lte=ref)
        .exclude(ceased_on__lt=start)
        .select_related("child", "named_setting", "assessment")
        .prefetch_related("reviews__steps")
    )


def finalised_profiles(child_id: int, limit: int) -> list["Profile"]:
    """A child's latest finalised profiles (the request pack's plan-do-review cycles); the
    caller has checked the case is within the user's reach."""
    from vsend.profiles.models import Profile, Status

    return list(
        Profile.objects.filter(child_id=child_id, status=Status.FINALISED)
        .select_related("previous")
        .order_by("-number")[:limit]
    )
