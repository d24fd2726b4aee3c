"""Need, provision and outcome as one thread, area by area: for a plan (and its annual review),
the child's need in each Valuing SEND area now and at the start of the period (the plan issued
or last reviewed), the provision they received in that area, and the plan's outcomes naming it.

The caller has checked the plan or review is within the user's reach."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vsend.profiles.models import Profile, Status
from vsend.provision.models import Place
from vsend.statutory.models import EhcPlan, PlanOutcome


@dataclass
class AreaThread:
    key: str
    name: str
    need: int | None = None
    need_before: int | None = None
    provision: list[str] = field(default_factory=list)
    outcomes: list[PlanOutcome] = field(default_factory=list)

    @property
    def change(self) -> int | None:
        if self.need is None or self.need_before is None:
            return None
        return self.need - self.need_before

    @property
    def empty(self) -> bool:
        return self.need is None and not self.provision and not self.outcomes


@dataclass
class Thread:
    since: date
    latest: Profile | None
    before: Profile | None
    areas: list[AreaThread]
    views: dict[str, str]

    @property
    def outcomes_without_area(self) -> bool:
        return not any(a.outcomes for a in self.areas)


def _finalised_as_at(child_id: int, day: date) -> Profile | None:
    return (
        Profile.objects.filter(child_id=child_id, status=Status.FINALISED, assessment_date__lte=day)
        .select_related("previous")
        .order_by("-assessment_date", "-number")
        .first()
    )


def _needs(profiles: list[Profile]) -> tuple[dict[int, dict[str, int | None]], dict[str, str]]:
    """Each profile's need by area, in one query, and the areas' names from its framework."""
    from vsend.profiles.models import DomainRating
    from vsend.profiles.services import framework_of

    if not profiles:
        return {}, {}
    needs: dict[int, dict[str, int | None]] = {p.pk: {} for p in profiles}
    rows = DomainRating.objects.filter(profile__in=profiles).values_list(
        "profile_id", "domain", "need_level"
    )
    for profile_id, domain, level in rows:
        needs[profile_id][domain] = level
    names = {d.key: d.name for d in framework_of(profiles[0]).domains}
    return needs, names


def plan_thread(plan: EhcPlan, since: date, today: date) -> Thread:
    """The thread over the period from `since` (the plan issued or last reviewed) to today."""
    from vsend.frameworks.loader import DOMAIN_KEYS

    latest = _finalised_as_at(plan.child_id, today)
    before = _finalised_as_at(plan.child_id, since)
    if latest is not None and (before is None or before.pk == latest.pk):
        # No profile older than the period, or the same one: compare with the one before it.
        before = latest.previous if latest.previous_id else None
    needs, names = _needs([p for p in (latest, before) if p is not None])
    need_now = needs.get(latest.pk, {}) if latest else {}
    need_then = needs.get(before.pk, {}) if before else {}
    areas = {
        k: AreaThread(
            k,
            names.get(k, k.replace("_", " ").capitalize()),
            need_now.get(k),
            need_then.get(k),
        )
        for k in DOMAIN_KEYS
    }
    places = (
        Place.objects.filter(child_id=plan.child_id, ends_on__gte=since, starts_on__lte=today)
        .select_related("group__provision")
        .order_by("starts_on", "pk")
    )
    for place in places:
        provision = place.group.provision
        for key in provision.areas or []:
            if key in areas and provision.name not in areas[key].provision:
                areas[key].provision.append(provision.name)
    for outcome in plan.outcomes.all():
        for key in outcome.areas:
            if key in areas:
                areas[key].outcomes.append(outcome)
    views: dict[str, Any] = {}
    if latest is not None:
        views = {"child": latest.child_views, "family": latest.family_views}
    return Thread(since, latest, before, list(areas.values()), views)
