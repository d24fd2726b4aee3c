"""What every write to a draft shares: its lock version, its audit row, its completed steps, the
credit for its home ratings and its ratings saved by area."""

from typing import Any

from django.db.models import F
from django.utils import timezone

from vsend.audit.changes import diff
from vsend.audit.services import Actor, record
from vsend.profiles.errors import ProfileLocked, StaleProfile
from vsend.profiles.models import DomainRating, Profile, Status


def _audit(actor: Actor, profile: Profile, action: str, summary: str, **detail: Any) -> None:
    record(
        actor,
        action,
        object_type="profile",
        object_id=profile.pk,
        child_id=profile.child_id,
        authority_id=profile.child.authority_id,
        summary=summary,
        detail=detail,
    )


def _claim(profile: Profile, expected: int) -> None:
    """Take the next lock version of a draft, or explain why not."""
    updated = Profile.objects.filter(
        pk=profile.pk, lock_version=expected, status=Status.DRAFT
    ).update(lock_version=F("lock_version") + 1, updated_at=timezone.now())
    if not updated:
        current = Profile.objects.get(pk=profile.pk)
        if current.status != Status.DRAFT:
            raise ProfileLocked
        raise StaleProfile
    profile.lock_version = expected + 1


def _credit_home(profile: Profile, actor: Actor, *, by_family: bool) -> None:
    """Record who gave the home-confidence ratings, and when."""
    now = timezone.now()
    Profile.objects.filter(pk=profile.pk).update(
        home_recorded_by=actor.user, home_by_family=by_family, home_recorded_at=now
    )
    profile.home_recorded_by, profile.home_by_family, profile.home_recorded_at = (
        actor.user,
        by_family,
        now,
    )


def _complete(profile: Profile, step: str) -> None:
    if step not in profile.completed_steps:
        profile.completed_steps = [*profile.completed_steps, step]
        Profile.objects.filter(pk=profile.pk).update(completed_steps=profile.completed_steps)


def _save_ratings(profile: Profile, values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Save ratings by domain; the changes, as "domain.field" old and new values."""
    changes: dict[str, Any] = {}
    for rating in profile.ratings.all():
        if rating.domain in values:
            new = values[rating.domain]
            DomainRating.objects.filter(pk=rating.pk).update(**new)
            old = {f: getattr(rating, f) for f in new}
            changes |= {f"{rating.domain}.{k}": v for k, v in diff(old, new).items()}
    return changes
