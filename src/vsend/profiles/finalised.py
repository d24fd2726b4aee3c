"""The parts of a finalised profile that never change, read once per process (ADR 40).

A finalised profile refuses every write (ADR 7: `drafts._claim` takes a lock only on a draft),
so its outcomes, actions and review verdicts, the outcomes of the profile it reviewed, and the
family's answers (sent or not; `profiles.family` refuses answers once it is finalised) are the
same on every visit. They are kept here by the profile's id *and* the moments it was made
and finalised, so a reused id can never meet another profile's rows. What can change around them is
read afresh on every visit: the provision that carries out each action (its places and groups),
the child, the history and the views. Bounded; a process keeps at most MAX_PROFILES.
"""

import copy
import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any

from django.db.models import prefetch_related_objects

from vsend.profiles.models import (
    FamilyAnswers,
    OutcomeReview,
    Profile,
    Status,
    SupportAction,
    SupportOutcome,
)

MAX_PROFILES = 2000
# outcomes, the previous profile's outcomes, actions, reviews, the family's answers
Parts = tuple[list[Any], list[Any], list[Any], list[Any], FamilyAnswers | None]
_lock = threading.Lock()
_kept: "OrderedDict[tuple[int, datetime, datetime | None], Parts]" = OrderedDict()


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
    final = profile.status == Status.FINALISED
    key = (profile.pk, profile.created_at, profile.finalised_at) if final else None
    with _lock:  # a threaded server: one thread's eviction never breaks another's lookup
        kept = _kept.get(key) if key else None
        if kept is not None and key is not None:
            _kept.move_to_end(key)
    if kept is None:
        kept = _read(profile)
        if key is not None:
            with _lock:
                _kept[key] = kept
                while len(_kept) > MAX_PROFILES:
                    _kept.popitem(last=False)
    outcomes, previous, actions, reviews, answers = kept
    # Each visit gets its own copies of the actions, with the provision as it is now.
    actions = [copy.copy(a) for a in actions]
    for a in actions:
        a._prefetched_objects_cache = {}
    prefetch_related_objects(actions, "provision_places__group")
    return list(outcomes), list(previous), actions, list(reviews), answers


def forget() -> None:
    """Empty the store (tests)."""
    with _lock:
        _kept.clear()
