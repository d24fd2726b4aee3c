"""Scoped reads of profiles: a profile is visible exactly when its child is."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child
from vsend.children.selectors import children_visible_to, refuse_outside_scope
from vsend.frameworks.loader import Domain, Framework
from vsend.profiles import finalised
from vsend.profiles.models import DomainRating, Profile, Status
from vsend.profiles.services import framework_of


def profiles_visible_to(user: object, perm: str = Perm.VIEW_PROFILE) -> QuerySet[Profile]:
    return Profile.objects.filter(child__in=children_visible_to(user, perm))


def get_profile_for(actor: Actor, pk: int, perm: str = Perm.VIEW_PROFILE) -> Profile:
    """One profile, if the actor may act on it with perm; refusals are audited. One query
    decides reach and permissions, as for a child."""
    policy = AccessPolicy.for_user(actor.user)
    profile = policy.find_profile(pk)
    if profile is None:
        refuse_outside_scope(
            actor, "profile", pk, Profile.objects.filter(pk=pk), perm, child_field="child_id"
        )
        raise Http404("No profile found")
    if not policy.can(perm, profile.child_id):
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="profile",
            object_id=pk,
            child_id=profile.child_id,
            authority_id=profile.child.authority_id,
            summary="The user's role does not allow this",
            detail={"permission": perm},
        )
        raise PermissionDenied
    return profile


def open_profile(
    actor: Actor, pk: int, what: str = "Profile viewed", *, page_view: bool = True
) -> Profile:
    """The profile, scoped, with its opening audited (a page view unless said otherwise: a
    download waits for the disk, ADR 40)."""
    profile = get_profile_for(actor, pk)
    record(
        actor,
        Action.VIEW,
        object_type="profile",
        object_id=pk,
        child_id=profile.child_id,
        authority_id=profile.child.authority_id,
        summary=what,
        page_view=page_view,
    )
    return profile


@dataclass
class DomainView:
    domain: Domain
    rating: DomainRating
    previous_need: int | None = None

    @property
    def change(self) -> int | None:
        if self.previous_need is None or self.rating.need_level is None:
            return None
        return self.rating.need_level - self.previous_need


@dataclass
class ProfileView:
    """Everything a summary, PDF or API response shows, read in a handful of queries."""

    profile: Profile
    framework: Framework
    domains: list[DomainView]
    outcomes: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    previous_outcomes: list = field(default_factory=list)
    family_answers: Any = None  # the family's home answers for this profile, if asked

    @property
    def readiness_gaps(self) -> list[DomainView]:
        return [d for d in self.domains if d.rating.readiness_gap]

    @property
    def confidence_gaps(self) -> list[DomainView]:
        return [d for d in self.domains if d.rating.confidence_gap]

    @property
    def has_previous(self) -> bool:
        return any(d.previous_need is not None for d in self.domains)


VERSIONS_ATTR = "_vsend_versions"


def versions_of(profile: Profile) -> list[Profile]:
    """Every profile of the profile's child, newest first: read once per profile object, so a
    page's summary, history and "is this the latest" share one query. Their ratings are not
    read here: profile_view reads the profile's and the one it reviewed; anything that shows
    every version's ratings should use history(child), which reads them all at once."""
    versions = getattr(profile, VERSIONS_ATTR, None)
    if versions is None:
        versions = _versions(profile.child)
        setattr(profile, VERSIONS_ATTR, versions)
    return versions


def profile_view(profile: Profile) -> ProfileView:
    framework = framework_of(profile)
    by_pk = {p.pk: p for p in versions_of(profile)}
    rated = by_pk.get(profile.pk, profile)  # the same row, its ratings read with the earlier's
    earlier = by_pk.get(profile.previous_id) if profile.previous_id else None
    finalised.with_ratings([p for p in (rated, earlier) if p is not None])
    ratings = {r.domain: r for r in rated.ratings.all()}
    previous: dict[str, int | None] = {}
    if earlier is not None:
        previous = {r.domain: r.need_level for r in earlier.ratings.all()}
    elif profile.previous_id:  # not the child's (never expected): read it as it is
        previous = dict(
            DomainRating.objects.filter(profile_id=profile.previous_id).values_list(
                "domain", "need_level"
            )
        )
    outcomes, previous_outcomes, actions, reviews, answers = finalised.parts(profile)
    domains = [
        DomainView(d, ratings[d.key], previous.get(d.key))
        for d in framework.domains
        if d.key in ratings
    ]
    return ProfileView(
        profile=profile,
        framework=framework,
        domains=domains,
        outcomes=outcomes,
        actions=actions,  # with the provision that carries each out (ADR 40)
        reviews=reviews,
        previous_outcomes=previous_outcomes,
        family_answers=answers,
    )


def history(child: "int | Child | Profile") -> list[Profile]:
    """The child's profiles, newest first, with their ratings (a finalised profile's kept by
    the process, ADR 40); given a profile, the list its page already read (with the ratings of
    the profile and the one it reviewed once profile_view has read them)."""
    if isinstance(child, Profile):
        return versions_of(child)
    return finalised.with_ratings(_versions(child))


def _versions(child: "int | Child") -> list[Profile]:
    # Newest first, sorted here: a child has a few versions, and building the ORDER BY takes
    # Django longer than sorting them.
    if isinstance(child, Child):  # already read: each version points to it, no join
        versions = sorted(
            Profile.objects.filter(child_id=child.pk).order_by(), key=lambda p: -p.number
        )
        for version in versions:
            version.child = child
    else:
        versions = sorted(
            Profile.objects.filter(child_id=child).select_related("child").order_by(),
            key=lambda p: -p.number,
        )
    return versions


def latest_finalised(child_id: int) -> Profile | None:
    return (
        Profile.objects.filter(child_id=child_id, status=Status.FINALISED)
        .select_related("child")
        .order_by("-number")
        .first()
    )


def latest_finalised_of(versions: list[Profile]) -> Profile | None:
    """The newest finalised profile in a child's history (from history()), knowing its history."""
    latest = next((p for p in versions if p.status == Status.FINALISED), None)
    if latest is not None:
        setattr(latest, VERSIONS_ATTR, versions)
    return latest


def is_latest(profile: Profile) -> bool:
    """No review has been started from this profile."""
    versions = getattr(profile, VERSIONS_ATTR, None)
    if versions is not None:
        return not any(p.previous_id == profile.pk for p in versions)
    return not Profile.objects.filter(previous=profile).exists()
