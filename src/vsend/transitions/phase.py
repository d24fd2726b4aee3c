"""Phase transfer: every child with SEN who moves to the next phase of education next September,
by receiving setting, with whether the receiving setting can see their profile and plan yet and
how their EHC plan stands against the phase-transfer deadline (statutory.phase_transfer)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.children.models import Child, Enrolment, Registration
from vsend.organisations.models import Setting, YearGroup
from vsend.profiles.models import Profile, Status
from vsend.statutory import phase_transfer
from vsend.transitions.models import Sharing, TransitionPlan

# Year group now -> (year group next September, the move); "always": a new phase wherever it is.
MOVES: dict[str, tuple[str, str, bool]] = {
    "N2": ("R", "Nursery to reception", True),
    "2": ("3", "Infant to junior", False),  # only where the school has no Year 3
    "6": ("7", "Primary to secondary", True),
    "11": ("12", "Secondary to post-16", True),
}
STATES = {
    "amended": "Amended in time",
    "late": "Amended late",
    "overdue": "Overdue",
    "at_risk": "At risk",
    "due": "Not due yet",
    "no_plan": "No EHC plan",
}


@dataclass(frozen=True)
class Mover:
    child: Child
    setting: Setting
    year: str
    move: str
    receiving: Setting | None
    profile_shared: bool
    has_profile: bool
    has_plan: bool
    plan_shared: bool
    deadline: date | None
    amended_on: date | None
    state: str

    @property
    def state_name(self) -> str:
        return STATES[self.state]


def receiving_for(child_id: int, today: date) -> Setting | None:
    """Where one child moves next (their open transition plan's receiving setting, else the
    destination their setting recorded)."""
    plan = (
        TransitionPlan.objects.filter(
            child_id=child_id, ended_on__isnull=True, receiving_setting__isnull=False
        )
        .select_related("receiving_setting")
        .first()
    )
    if plan is not None:
        return plan.receiving_setting
    enrolment = (
        Enrolment.objects.current(today)
        .filter(child_id=child_id, destination_setting__isnull=False)
        .select_related("destination_setting")
        .first()
    )
    return enrolment.destination_setting if enrolment else None


def school_year_start(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def movers(
    policy: AccessPolicy, today: date, *, among: "QuerySet[Child] | None" = None
) -> list[Mover]:
    """The children with SEN the user may plan for (or whose transition plan names the user's
    setting) who change phase next September, sorted by receiving setting. `among`, already
    scoped by the caller, replaces that reach (the statutory worklist's own cases)."""
    if among is not None:
        children = among.filter(sen_provision__in=["K", "E"])
    else:
        planned = TransitionPlan.objects.filter(
            policy.transition_reach(Perm.MANAGE_TRANSITION), ended_on__isnull=True
        )
        children = Child.objects.filter(
            Q(pk__in=policy.children(Perm.MANAGE_TRANSITION).values("pk"))
            | Q(pk__in=planned.values("child_id")),
            sen_provision__in=["K", "E"],
        )
    enrolments = list(
        Enrolment.objects.current(today)
        .exclude(registration=Registration.SUBSIDIARY)
        .filter(child__in=children, year_group__code__in=list(MOVES))
        .select_related("child", "setting", "year_group", "destination_setting")
        .order_by("child_id")
    )
    if not enrolments:
        return []
    child_ids = [e.child_id for e in enrolments]
    codes: dict[int, set[str]] = {}
    for setting_id, code in YearGroup.objects.filter(
        setting_id__in={e.setting_id for e in enrolments}
    ).values_list("setting_id", "code"):
        codes.setdefault(setting_id, set()).add(code)
    receiving: dict[int, Setting] = {
        p.child_id: p.receiving_setting
        for p in TransitionPlan.objects.filter(
            child_id__in=child_ids, ended_on__isnull=True, receiving_setting__isnull=False
        ).select_related("receiving_setting")
        if p.receiving_setting is not None
    }
    on_roll: set[tuple[int, int]] = set(
        Enrolment.objects.current(today)
        .filter(child_id__in=child_ids)
        .values_list("child_id", "setting_id")
    )
    sent = set(Sharing.objects.filter(child_id__in=child_ids).values_list("child_id", "setting_id"))
    profiled = set(
        Profile.objects.filter(child_id__in=child_ids, status=Status.FINALISED).values_list(
            "child_id", flat=True
        )
    )
    with_plan = phase_transfer.with_plan(child_ids)
    year = school_year_start(today)
    amended = phase_transfer.amended_since(child_ids, date(year, 9, 1))
    out = []
    for e in enrolments:
        assert e.year_group is not None
        next_code, move, always = MOVES[e.year_group.code]
        stays = next_code in codes.get(e.setting_id, set())
        if stays and not always:
            continue
        to = receiving.get(e.child_id) or e.destination_setting or (e.setting if stays else None)
        shared = to is not None and ((e.child_id, to.pk) in on_roll or (e.child_id, to.pk) in sent)
        has_plan = e.child_id in with_plan
        limit = (
            phase_transfer.deadline(year + 1, to_post_16=next_code == "12") if has_plan else None
        )
        amended_on = amended.get(e.child_id) if has_plan else None
        out.append(
            Mover(
                child=e.child,
                setting=e.setting,
                year=e.year_group.name,
                move=move,
                receiving=to,
                profile_shared=shared and e.child_id in profiled,
                has_profile=e.child_id in profiled,
                has_plan=has_plan,
                plan_shared=shared and has_plan,
                deadline=limit,
                amended_on=amended_on,
                state=phase_transfer.state(limit, amended_on, today) if limit else "no_plan",
            )
        )
    return sorted(
        out,
        key=lambda m: (
            m.receiving is None,
            m.receiving.name if m.receiving else "",
            m.child.last_name,
        ),
    )


def plan_deadlines_due(
    policy: AccessPolicy, children: "QuerySet[Child]", today: date
) -> list[Mover]:
    """Of `children` (scoped by the caller), those changing phase next September whose EHC plan
    is overdue or at risk against its phase-transfer deadline, soonest deadline first."""
    with_plan = children.filter(ehc_plans__ceased_on__isnull=True).distinct()
    found = movers(policy, today, among=Child.objects.filter(pk__in=with_plan.values("pk")))
    due = [m for m in found if m.state in ("overdue", "at_risk")]
    return sorted(due, key=lambda m: (m.deadline or date.max, m.child.last_name, m.child.pk))


COLUMNS = [
    "Receiving setting",
    "Child",
    "Current setting",
    "Year group",
    "Move",
    "Profile shared",
    "EHC plan shared",
    "Amend plan by",
    "Plan amended on",
    "State",
]


def rows(found: list[Mover]) -> list[list[object]]:
    def yes(v: bool) -> str:
        return "Yes" if v else "No"

    return [
        [
            m.receiving.name if m.receiving else "Not known yet",
            m.child.full_name,
            m.setting.name,
            m.year,
            m.move,
            yes(m.profile_shared) if m.has_profile else "No profile",
            yes(m.plan_shared) if m.has_plan else "No plan",
            m.deadline.isoformat() if m.deadline else "",
            m.amended_on.isoformat() if m.amended_on else "",
            m.state_name,
        ]
        for m in found
    ]
