"""The parts of a finalised profile that never change, read once per process (ADR 40).

A finalised profile refuses every write (ADR 7: `drafts._claim` takes a lock only on a draft),
so its outcomes, actions and review verdicts, the outcomes of the profile it reviewed, and the
family's answers (sent or not; `profiles.family` refuses answers once it is finalised) are the
same on every visit. They are kept here by the profile's id *and* the moments it was made
and finalised, so a reused id can never meet another profile's rows. What can change around them is
read afresh on every visit: the provision that carries out each action (its places and groups),
the child, the history and the views. Bounded; a process keeps at most MAX_PROFILES.

A finalised profile's ratings are kept the same way (`with_ratings`), so a child's history
reads only its drafts' ratings.
"""

import copy
import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from vsend.profiles.models import (
    DomainRating,
    FamilyAnswers,
    OutcomeReview,
    Profile,
    Status,
    SupportAction,
    SupportOutcome,
)
from vsend.provision.models import Place

MAX_PROFILES = 2000
# outcomes, the previous profile's outcomes, actions, reviews, the family's answers
Parts = tuple[list[Any], list[Any], list[Any], list[Any], FamilyAnswers | None]
_lock = threading.Lock()
Key = tuple[int, datetime, datetime | None]
_kept: "OrderedDict[Key, Parts]" = OrderedDict()
_ratings: "OrderedDict[Key, list[DomainRating]]" = OrderedDict()


def _key(profile: Profile) -> Key | None:
    """A finalised profile's key: its id and the moments it was made and finalised."""
    if profile.status != Status.FINALISED:
        return None
    return (profile.pk, profile.created_at, profile.finalised_at)


def _keep(store: "OrderedDict[Key, Any]", key: Key, value: Any) -> None:
    with _lock:
        store[key] = value
        while len(store) > MAX_PROFILES:
            store.popitem(last=False)


def _detached(rating: DomainRating) -> DomainRating:
    """A copy that holds on to no request's Profile (prefetching links each rating to it)."""
    kept = copy.copy(rating)
    kept._state.fields_cache.pop("profile", None)
    kept.readiness_prompts = list(rating.readiness_prompts or [])  # its own list, not shared
    return kept


def _as_prefetched(profile: Profile, ratings: list[DomainRating]) -> None:
    """`profile.ratings.all()` answers these without a query, as after prefetch_related."""
    qs: Any = profile.ratings.all()
    qs._result_cache = ratings
    qs._prefetch_done = True
    cache = profile.__dict__.setdefault("_prefetched_objects_cache", {})
    cache["ratings"] = qs


def with_ratings(profiles: list[Profile]) -> list[Profile]:
    """The profiles with their ratings, as prefetch_related("ratings") would give them: a
    finalised profile's from this process's store, the others' read in one query."""
    unread = []
    for profile in profiles:
        if "ratings" in getattr(profile, "_prefetched_objects_cache", {}):
            continue  # read already
        key = _key(profile)
        with _lock:
            kept = _ratings.get(key) if key else None
            if kept is not None and key is not None:
                _ratings.move_to_end(key)
        if kept is None:
            unread.append(profile)
        else:
            _as_prefetched(profile, [_detached(r) for r in kept])
    prefetch_related_objects(unread, "ratings")
    for profile in unread:
        key = _key(profile)
        if key is not None:
            _keep(_ratings, key, [_detached(r) for r in profile.ratings.all()])
    return profiles


def _read(profile: Profile) -> Parts:
    # Read by the profile's id, not through its related managers, so no kept row holds on to
    # this request's Profile object (and its child).
    both = list(
        SupportOutcome.objects.filter(profile_id__in=[profile.pk, profile.previous_id or 0])
    )
    return (
        [o for o in both if o.profile_id == profile.pk],
        [o for o in both if profile.previous_id and o.profile_id == profile.previous_id],
        list(SupportAction.objects.filter(profile_id=profile.pk)),
        list(OutcomeReview.objects.filter(profile_id=profile.pk).select_related("outcome")),
        FamilyAnswers.objects.filter(profile_id=profile.pk).first(),
    )


def parts(profile: Profile) -> Parts:
    """(outcomes, the previous profile's outcomes, actions with their provision, reviews, the
    family's answers)."""
    key = _key(profile)
    with _lock:  # a threaded server: one thread's eviction never breaks another's lookup
        kept = _kept.get(key) if key else None
        if kept is not None and key is not None:
            _kept.move_to_end(key)
    if kept is None:
        kept = _read(profile)
        if key is not None:
            _keep(_kept, key, kept)
    outcomes, previous, actions, reviews, answers = kept
    # Each visit gets its own copies of the actions, with the provision as it is now.
    actions = [copy.copy(a) for a in actions]
    for a in actions:
        a._prefetched_objects_cache = {}
    # The places with their groups in one query (a lookup through to the group would take two).
    places = Place.objects.select_related("group")
    prefetch_related_objects(actions, Prefetch("provision_places", queryset=places))
    return list(outcomes), list(previous), actions, list(reviews), answers


def forget() -> None:
    """Empty the store (tests)."""
    with _lock:
        _kept.clear()
        _ratings.clear()
