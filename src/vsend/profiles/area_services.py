"""Writes for one area of setting readiness or of the plan, and the plan's review date.

Like the needs, readiness and the plan are saved an area at a time from their own pages (see
ADR 23 and profiles/tasks.py). Each save is one transaction and one audit row; the whole step
counts as done once every area (and, for the plan, the review date) is saved.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from vsend.audit.changes import diff
from vsend.audit.models import Action
from vsend.audit.services import Actor
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.drafts import _audit, _claim, _complete, _save_ratings
from vsend.profiles.models import OutcomeReview, Profile, SupportAction, SupportOutcome
from vsend.profiles.services import ActionPlan, OutcomePlan

# Outcomes and actions are ordered by area first: area n's rows take positions n*10 upwards.
POSITIONS_PER_AREA = 10


class PlanHasNoOutcome(Exception):
    """A plan needs at least one outcome in some area before its review date completes it."""


def _uncomplete(profile: Profile, *steps: str) -> None:
    kept = [s for s in profile.completed_steps if s not in steps]
    if kept != profile.completed_steps:
        profile.completed_steps = kept
        Profile.objects.filter(pk=profile.pk).update(completed_steps=kept)


def readiness_done(profile: Profile, key: str) -> bool:
    done = profile.completed_steps
    return "readiness" in done or f"readiness:{key}" in done


def plan_area_done(profile: Profile, key: str) -> bool:
    done = profile.completed_steps
    return "plan" in done or f"plan:{key}" in done


def plan_review_done(profile: Profile) -> bool:
    done = profile.completed_steps
    return "plan" in done or "plan:review" in done


def _finish_plan_if_done(profile: Profile) -> None:
    if plan_review_done(profile) and all(plan_area_done(profile, k) for k in DOMAIN_KEYS):
        _complete(profile, "plan")


@transaction.atomic
def save_readiness_area(
    *, actor: Actor, profile: Profile, expected: int, domain: str, rating: dict[str, Any]
) -> None:
    """One area's readiness: what is in place, the level, the note."""
    _claim(profile, expected)
    changes = _save_ratings(
        profile,
        {
            domain: {
                "readiness_level": rating["level"],
                "readiness_prompts": rating["prompts"],
                "readiness_note": rating["note"],
            }
        },
    )
    _complete(profile, f"readiness:{domain}")
    if all(readiness_done(profile, k) for k in DOMAIN_KEYS):
        _complete(profile, "readiness")
    _audit(actor, profile, Action.UPDATE, f"Setting readiness saved: {domain}", changes=changes)


def _area_text(outcomes: Any, actions: Any) -> dict[str, Any]:
    return {
        "outcomes": [f"{o.what} (by {o.by_when})" for o in outcomes],
        "actions": [f"{a.what} ({a.who}, {a.how_often})" for a in actions],
    }


@transaction.atomic
def save_plan_area(
    *,
    actor: Actor,
    profile: Profile,
    expected: int,
    domain: str,
    outcomes: list[OutcomePlan],
    actions: list[ActionPlan],
    reviews: dict[int, tuple[str, str]],
) -> None:
    """One area of the plan: its outcome and actions replace the area's earlier ones, and the
    reviews of last time's outcomes in this area replace theirs."""
    _claim(profile, expected)
    base = DOMAIN_KEYS.index(domain) * POSITIONS_PER_AREA
    before = _area_text(
        profile.outcomes.filter(domain=domain), profile.actions.filter(domain=domain)
    )
    profile.outcomes.filter(domain=domain).delete()
    profile.actions.filter(domain=domain).delete()
    SupportOutcome.objects.bulk_create(
        [
            SupportOutcome(profile=profile, position=base + i, **o.__dict__)
            for i, o in enumerate(outcomes)
        ]
    )
    SupportAction.objects.bulk_create(
        [
            SupportAction(profile=profile, position=base + i, **a.__dict__)
            for i, a in enumerate(actions)
        ]
    )
    profile.outcome_reviews.filter(Q(outcome__domain=domain) | Q(outcome_id__in=reviews)).delete()
    OutcomeReview.objects.bulk_create(
        [
            OutcomeReview(profile=profile, outcome_id=outcome_id, result=result, note=note)
            for outcome_id, (result, note) in reviews.items()
        ]
    )
    _complete(profile, f"plan:{domain}")
    if not profile.outcomes.exists():
        # A plan with no outcome left is not finished, whatever was saved before (the areas
        # a whole-plan save marked done stay done).
        areas = [f"plan:{k}" for k in DOMAIN_KEYS if plan_area_done(profile, k)]
        _uncomplete(profile, "plan", "plan:review")
        for step in areas:
            _complete(profile, step)
    _finish_plan_if_done(profile)
    _audit(
        actor,
        profile,
        Action.UPDATE,
        f"Support plan saved: {domain}",
        outcomes=len(outcomes),
        actions=len(actions),
        reviews=len(reviews),
        changes=diff(before, _area_text(outcomes, actions)),
    )


@transaction.atomic
def save_review_date(*, actor: Actor, profile: Profile, expected: int, review_date: date) -> None:
    """When the plan will be reviewed; refused while no area has an outcome."""
    if not profile.outcomes.exists():
        raise PlanHasNoOutcome
    _claim(profile, expected)
    old = profile.review_date
    Profile.objects.filter(pk=profile.pk).update(review_date=review_date)
    profile.review_date = review_date
    _complete(profile, "plan:review")
    _finish_plan_if_done(profile)
    _audit(
        actor,
        profile,
        Action.UPDATE,
        "Support plan review date saved",
        changes=diff({"review_date": old}, {"review_date": review_date}),
    )
