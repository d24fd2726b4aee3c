"""What the family's window shows about one child: the current picture, what changed, the next
date that matters and what the family can do now. Reads only; the page audits its own view."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm, Role
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child
from vsend.children.selectors import get_child_for
from vsend.profiles import family as family_answers
from vsend.profiles.chart import profile_chart
from vsend.profiles.models import Profile
from vsend.profiles.selectors import ProfileView, history, latest_finalised_of, profile_view
from vsend.statutory import family as statutory_family
from vsend.statutory.models import Case, EhcPlan
from vsend.statutory.selectors import cases_of_child, clock
from vsend.workflows.engine import next_steps

FAMILY_ROLES = (Role.PARENT, Role.YOUNG_PERSON)


def family_child(actor: Actor, pk: int) -> tuple[AccessPolicy, Child]:
    """The child, for a parent, carer or the young person linked to them. A child out of reach
    is not found; staff who reach the child are refused (their page is the record), audited."""
    child = get_child_for(actor, pk, Perm.VIEW_CHILD)
    policy = AccessPolicy.for_user(actor.user)
    if not any(
        m.role in FAMILY_ROLES and policy.children_reached_by(m).filter(pk=pk).exists()
        for m in policy.memberships
    ):
        record(
            actor,
            Action.ACCESS_REFUSED,
            obj=child,
            summary="The family's window is for the child's family",
        )
        raise PermissionDenied
    return policy, child


def is_young_person(policy: AccessPolicy, child: Child) -> bool:
    return any(m.role == Role.YOUNG_PERSON and m.child_id == child.pk for m in policy.memberships)


@dataclass(frozen=True)
class Area:
    name: str
    words: str  # the framework's family words for the need level
    change: str  # more need / less need / the same / "" (no earlier profile)


@dataclass(frozen=True)
class NextDate:
    text: str
    on: date | None


@dataclass
class Window:
    child: Child
    own: bool  # the young person reading about themselves
    latest: Profile | None = None
    view: ProfileView | None = None
    chart: str = ""
    areas: list[Area] = field(default_factory=list)
    next_date: NextDate | None = None
    asked: list[Any] = field(default_factory=list)
    case: Case | None = None
    plan: EhcPlan | None = None


def change_words(change: int | None) -> str:
    if change is None:
        return ""
    if change > 0:
        return _("More need than last time")
    if change < 0:
        return _("Less need than last time")
    return _("The same as last time")


def _areas(view: ProfileView, own: bool) -> list[Area]:
    return [
        Area(
            # The framework's words (data texts) in the reader's language.
            _(d.domain.name),
            _(d.domain.family_descriptor(d.rating.need_level, to_reader=own)),
            change_words(d.change),
        )
        for d in view.domains
        if d.rating.need_level is not None
    ]


def _next_date(case: Case | None, latest: Profile | None, today: date) -> NextDate | None:
    """A statutory step when a case is open (it has a legal time limit); else the review."""
    if case is not None and case.is_open:
        milestones = clock(case, today)
        upcoming = next_steps(milestones)
        due = next((m.due_on for m in upcoming if m.due_on), None)
        return NextDate(statutory_family.headline(case, milestones, today), due)
    if latest is not None and latest.review_date:
        return NextDate(
            _("The next review of the profile is due by %(date)s.")
            % {"date": statutory_family.when(latest.review_date)},
            latest.review_date,
        )
    return None


def window(policy: AccessPolicy, child: Child, today: date) -> Window:
    own = is_young_person(policy, child)
    w = Window(child=child, own=own)
    latest = latest_finalised_of(history(child))
    if latest is not None:
        w.latest, w.view = latest, profile_view(latest)
        w.chart = profile_chart(w.view)
        w.areas = _areas(w.view, own)
    cases = [c for c in cases_of_child(policy, child.pk)]
    open_cases = [c for c in cases if c.is_open]
    w.case = open_cases[0] if open_cases else (cases[0] if cases else None)
    if w.case is not None:
        w.case = (
            Case.objects.prefetch_related("steps", "exceptions")
            .select_related("child")
            .get(pk=w.case.pk)
        )
    w.next_date = _next_date(w.case if open_cases else None, latest, today)
    if policy.can(Perm.VIEW_CASE, child.pk):
        w.plan = child.ehc_plans.order_by("-issued_on", "-pk").first()
    if policy.can(Perm.RECORD_HOME_CONFIDENCE, child.pk):
        w.asked = list(family_answers.pending_for(Child.objects.filter(pk=child.pk)))
    return w
