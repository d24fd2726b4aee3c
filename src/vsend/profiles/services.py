"""Writes to profiles: one transaction and one audit row each; drafts only; stale saves refused."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from vsend.aggregates import events
from vsend.audit.changes import diff
from vsend.audit.models import Action
from vsend.audit.services import Actor
from vsend.children.models import Child
from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS, Framework
from vsend.profiles.drafts import _audit, _claim, _complete, _credit_home, _save_ratings
from vsend.profiles.errors import (  # noqa: F401 (re-exported for views and the API)
    DraftExists,
    FrameworkUnavailable,
    OutOfOrder,
    ProfileLocked,
    ProfileNotReady,
    StaleProfile,
)
from vsend.profiles.models import (
    STEP_NAMES,
    DomainRating,
    OutcomeReview,
    Profile,
    Status,
    SupportAction,
    SupportOutcome,
)


def check_in_order(previous: Profile | None, assessment_date: date) -> None:
    if previous is not None and assessment_date <= previous.assessment_date:
        raise OutOfOrder(previous)


def framework_of(profile: Profile) -> Framework:
    """Exactly the framework file the profile was rated against: never a substitute."""
    framework = registry.get(profile.framework_id, profile.framework_version, profile.age_band)
    if framework is None or framework.checksum != profile.framework_checksum:
        raise FrameworkUnavailable(profile)
    return framework


def default_review_date(assessed: date) -> date:
    """Seven weeks on: within the usual six to eight weeks of a support plan."""
    return assessed + timedelta(weeks=7)


@transaction.atomic
def start_profile(
    *,
    actor: Actor,
    child: Child,
    assessment_date: date,
    age_band: str | None = None,
    reason: str = "",
) -> Profile:
    """A new draft: the first for the child, or a review pre-filled from the latest finalised."""
    chosen = registry.age_band_for(child.date_of_birth, assessment_date)
    if age_band and age_band != chosen:
        if not reason.strip():
            raise ValueError("Give a reason for using the other version")
        chosen = age_band
    else:
        reason = ""
    draft = child.profiles.filter(status=Status.DRAFT).first()
    if draft is not None:
        raise DraftExists(draft)
    framework = registry.current(chosen)
    top = framework.max_level
    previous = child.profiles.filter(status=Status.FINALISED).order_by("-number").first()
    check_in_order(previous, assessment_date)
    number = (child.profiles.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            profile = Profile.objects.create(
                child=child,
                number=number,
                previous=previous,
                framework_id=framework.id,
                framework_version=framework.version,
                framework_checksum=framework.checksum,
                age_band=chosen,
                age_band_reason=reason.strip(),
                assessment_date=assessment_date,
                created_by=actor.user,
                review_date=default_review_date(assessment_date),
            )
    except IntegrityError:
        raise DraftExists(child.profiles.get(status=Status.DRAFT)) from None
    carried = {r.domain: r for r in previous.ratings.all()} if previous else {}

    def level(key: str, field: str) -> int | None:
        value = getattr(carried.get(key), field, None)
        return value if value is not None and value <= top else None

    DomainRating.objects.bulk_create(
        [
            DomainRating(
                profile=profile,
                domain=key,
                need_level=level(key, "need_level"),
                need_evidence=getattr(carried.get(key), "need_evidence", ""),
                readiness_level=level(key, "readiness_level"),
                readiness_prompts=getattr(carried.get(key), "readiness_prompts", []),
                readiness_note=getattr(carried.get(key), "readiness_note", ""),
                # Home confidence is the family's answer for now: last time's answers are not
                # carried, so nothing shows them as current (the family answers afresh).
            )
            for key in DOMAIN_KEYS
        ]
    )
    if previous:
        for field in ("strengths", "child_views", "aspirations", "family_views"):
            setattr(profile, field, getattr(previous, field))
        profile.save(update_fields=["strengths", "child_views", "aspirations", "family_views"])
        SupportAction.objects.bulk_create(
            [
                SupportAction(
                    profile=profile,
                    domain=a.domain,
                    position=a.position,
                    what=a.what,
                    who=a.who,
                    how_often=a.how_often,
                    starts_on=a.starts_on,
                    ends_on=a.ends_on,
                )
                for a in previous.actions.all()
            ]
        )
    _audit(
        actor,
        profile,
        Action.CREATE,
        f"Profile {number} started"
        + (f" (a review of profile {previous.number})" if previous else ""),
        framework=f"{framework.id} {framework.version}",
        age_band=chosen,
    )
    return profile


@transaction.atomic
def save_about(*, actor: Actor, profile: Profile, expected: int, data: dict[str, Any]) -> None:
    check_in_order(profile.previous, data["assessment_date"])
    _claim(profile, expected)
    fields = ["assessment_date", "strengths", "child_views", "aspirations", "family_views"]
    changes = diff({f: getattr(profile, f) for f in fields}, {f: data[f] for f in fields})
    for field in fields:
        setattr(profile, field, data[field])
    Profile.objects.filter(pk=profile.pk).update(**{f: data[f] for f in fields})
    _complete(profile, "about")
    _audit(actor, profile, Action.UPDATE, f"{STEP_NAMES['about']} saved", changes=changes)


@transaction.atomic
def save_needs(
    *, actor: Actor, profile: Profile, expected: int, ratings: dict[str, dict[str, Any]]
) -> None:
    _claim(profile, expected)
    changes = _save_ratings(
        profile,
        {k: {"need_level": v["level"], "need_evidence": v["evidence"]} for k, v in ratings.items()},
    )
    _complete(profile, "needs")
    _audit(actor, profile, Action.UPDATE, f"{STEP_NAMES['needs']} saved", changes=changes)


@transaction.atomic
def save_need_area(
    *, actor: Actor, profile: Profile, expected: int, domain: str, level: int, evidence: str
) -> None:
    """One area of need, from its own page; the needs step is done once every area is."""
    _claim(profile, expected)
    changes = _save_ratings(profile, {domain: {"need_level": level, "need_evidence": evidence}})
    _complete(profile, f"need:{domain}")
    if all(f"need:{k}" in profile.completed_steps for k in DOMAIN_KEYS):
        _complete(profile, "needs")
    _audit(actor, profile, Action.UPDATE, f"Need saved: {domain}", changes=changes)


@transaction.atomic
def save_readiness(
    *, actor: Actor, profile: Profile, expected: int, ratings: dict[str, dict[str, Any]]
) -> None:
    _claim(profile, expected)
    changes = _save_ratings(
        profile,
        {
            k: {
                "readiness_level": v["level"],
                "readiness_prompts": v["prompts"],
                "readiness_note": v["note"],
            }
            for k, v in ratings.items()
        },
    )
    _complete(profile, "readiness")
    _audit(actor, profile, Action.UPDATE, f"{STEP_NAMES['readiness']} saved", changes=changes)


@transaction.atomic
def save_home(
    *,
    actor: Actor,
    profile: Profile,
    expected: int,
    ratings: dict[str, dict[str, Any]],
    by_family: bool,
) -> None:
    _claim(profile, expected)
    changes = _save_ratings(
        profile,
        {
            k: {"confidence_level": v["level"], "confidence_note": v["note"]}
            for k, v in ratings.items()
        },
    )
    _credit_home(profile, actor, by_family=by_family)
    _complete(profile, "home")
    who = "by the family" if by_family else "by staff on the family's behalf"
    _audit(actor, profile, Action.UPDATE, f"{STEP_NAMES['home']} recorded {who}", changes=changes)


@dataclass(frozen=True)
class OutcomePlan:
    domain: str
    what: str
    how_we_will_know: str
    by_when: date


@dataclass(frozen=True)
class ActionPlan:
    domain: str
    what: str
    who: str
    how_often: str
    starts_on: date
    ends_on: date | None


@transaction.atomic
def save_plan(
    *,
    actor: Actor,
    profile: Profile,
    expected: int,
    outcomes: list[OutcomePlan],
    actions: list[ActionPlan],
    review_date: date,
    reviews: dict[int, tuple[str, str]],
) -> None:
    _claim(profile, expected)
    before = _plan_text(profile.review_date, profile.outcomes.all(), profile.actions.all())
    profile.outcomes.all().delete()
    profile.actions.all().delete()
    SupportOutcome.objects.bulk_create(
        [SupportOutcome(profile=profile, position=i, **o.__dict__) for i, o in enumerate(outcomes)]
    )
    SupportAction.objects.bulk_create(
        [SupportAction(profile=profile, position=i, **a.__dict__) for i, a in enumerate(actions)]
    )
    profile.outcome_reviews.all().delete()
    OutcomeReview.objects.bulk_create(
        [
            OutcomeReview(profile=profile, outcome_id=outcome_id, result=result, note=note)
            for outcome_id, (result, note) in reviews.items()
        ]
    )
    Profile.objects.filter(pk=profile.pk).update(review_date=review_date)
    profile.review_date = review_date
    _complete(profile, "plan")
    _audit(
        actor,
        profile,
        Action.UPDATE,
        f"{STEP_NAMES['plan']} saved",
        outcomes=len(outcomes),
        actions=len(actions),
        changes=diff(before, _plan_text(review_date, outcomes, actions)),
    )


def _plan_text(review_date: date | None, outcomes: Any, actions: Any) -> dict[str, Any]:
    return {
        "review_date": review_date,
        "outcomes": [f"{o.domain}: {o.what}" for o in outcomes],
        "actions": [f"{a.domain}: {a.what} ({a.who})" for a in actions],
    }


@transaction.atomic
def finalise(*, actor: Actor, profile: Profile, expected: int) -> None:
    if (
        not profile.is_complete
        or profile.ratings.filter(
            Q(need_level__isnull=True)
            | Q(readiness_level__isnull=True)
            | Q(confidence_level__isnull=True)
        ).exists()
    ):
        raise ProfileNotReady
    _claim(profile, expected)
    profile.refresh_from_db(fields=["assessment_date"])
    check_in_order(profile.previous, profile.assessment_date)
    now = timezone.now()
    # The version replaced ends first, so the two never overlap (a database constraint on
    # PostgreSQL: see migration 0004).
    if profile.previous_id:
        Profile.objects.filter(pk=profile.previous_id).update(superseded_on=profile.assessment_date)
    Profile.objects.filter(pk=profile.pk).update(
        status=Status.FINALISED, finalised_at=now, finalised_by=actor.user
    )
    profile.status, profile.finalised_at, profile.finalised_by = Status.FINALISED, now, actor.user
    events.announce(
        "profile.finalised",
        authority_id=profile.child.authority_id,
        child_id=profile.child_id,
        since=profile.assessment_date,
    )
    _audit(
        actor,
        profile,
        Action.UPDATE,
        f"Profile {profile.number} finalised",
        changes={"status": {"old": Status.DRAFT.value, "new": Status.FINALISED.value}},
    )


RATING_FIELDS = {
    "need_level",
    "need_evidence",
    "readiness_level",
    "readiness_note",
    "confidence_level",
    "confidence_note",
}


@transaction.atomic
def update_ratings(
    *, actor: Actor, profile: Profile, expected: int, ratings: dict[str, dict[str, Any]]
) -> None:
    """Change some ratings of a draft (the API's PATCH); the steps' completion is unchanged."""
    _claim(profile, expected)
    changes = _save_ratings(
        profile,
        {
            k: {f: v for f, v in fields.items() if f in RATING_FIELDS}
            for k, fields in ratings.items()
        },
    )
    if any(f.startswith("confidence_") for fields in ratings.values() for f in fields):
        # Staff changing home confidence: the profile must not go on crediting the family.
        _credit_home(profile, actor, by_family=False)
    _audit(
        actor,
        profile,
        Action.UPDATE,
        "Ratings changed through the API",
        fields=sorted({f"{k}.{f}" for k, fields in ratings.items() for f in fields}),
        changes=changes,
    )
