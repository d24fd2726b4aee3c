"""Demo Valuing SEND profiles: termly versions with plausible, correlated ratings.

A child's primary need raises the domain it belongs to (autism: communication and SEMH;
profound and multiple learning difficulties: almost everything); an EHC plan raises need
overall. Readiness and confidence scatter around need, so some gaps appear. Over the terms,
need drifts, mostly down. Most latest versions are finalised (some with reviews now overdue),
some are drafts, and some families gave home confidence themselves.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from vsend.children.models import Child, FamilyLink
from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.models import DomainRating, Profile, Status, SupportAction, SupportOutcome

CI, CL, SEMH, PS, IND = DOMAIN_KEYS
# Typical need by primary need, per domain.
BASE = {
    "ASD": {CI: 3, SEMH: 2, IND: 2},
    "SLCN": {CI: 3, CL: 1, SEMH: 1},
    "SPLD": {CL: 2, SEMH: 1},
    "MLD": {CL: 3, CI: 1, IND: 1},
    "SLD": {CL: 3, CI: 2, IND: 3, PS: 1},
    "PMLD": {CL: 4, CI: 4, PS: 4, IND: 4, SEMH: 1},
    "SEMH": {SEMH: 3, CL: 1, CI: 1},
    "HI": {PS: 3, CI: 2},
    "VI": {PS: 3, IND: 1},
    "MSI": {PS: 4, CI: 3, IND: 2},
    "PD": {PS: 3, IND: 2},
    "OTH": {PS: 1, SEMH: 1, CL: 1},
    "NSA": {CL: 1, SEMH: 1},
}
OUTCOMES = {
    CI: (
        "Asks an adult for help using words, signs or a card",
        "Does this at least three times a week in class",
    ),
    CL: ("Reads and understands short texts at their level", "Reading checks show steady progress"),
    SEMH: (
        "Names a worry and uses a calming plan",
        "Fewer times leaving class upset, from the staff log",
    ),
    PS: (
        "Moves around the setting safely and on their own",
        "Needs no adult at transitions by the review",
    ),
    IND: (
        "Gets ready for the day with fewer reminders",
        "A reminder chart shows three or fewer prompts",
    ),
}


def _clip(value: int) -> int:
    return max(0, min(4, value))


def _term_dates(today: date, count: int, rng: random.Random) -> list[date]:
    """One assessment a term, the latest within the last term."""
    latest = today - timedelta(days=rng.randint(5, 110))
    return [latest - timedelta(weeks=13 * (count - 1 - i)) for i in range(count)]


def build_profiles(
    children: list[Child], creator_for: dict[int, Any], today: date | None = None
) -> int:
    today = today or timezone.localdate()
    rng = random.Random(4242)  # noqa: S311 - demo data
    done = set(Profile.objects.filter(child__in=children).values_list("child_id", flat=True))
    parents = dict(FamilyLink.objects.filter(child__in=children).values_list("child_id", "user_id"))
    made = 0
    for child in children:
        if child.pk in done or child.sen_provision == "N" or rng.random() > 0.85:
            continue
        if child.age_on(today) >= 26:
            continue
        versions = rng.choice([1, 2, 2, 3, 3, 4])
        dates = _term_dates(today, versions, rng)
        base = dict.fromkeys(DOMAIN_KEYS, 0) | BASE.get(child.primary_need, {})
        for key, value in BASE.get(child.secondary_need, {}).items():
            base[key] = max(base[key], value - 1)
        bump = 1 if child.sen_provision == "E" else 0
        need = {k: _clip(v + bump + rng.choice([-1, 0, 0, 0, 1])) for k, v in base.items()}
        previous = None
        for i, assessed in enumerate(dates):
            last = i == versions - 1
            draft = last and rng.random() < 0.15
            band = registry.age_band_for(child.date_of_birth, assessed)
            framework = registry.current(band)
            creator = creator_for[child.pk]
            by_family = child.pk in parents and rng.random() < 0.6
            if previous is not None and not draft:
                # The version replaced ends first: versions never overlap (migration 0004).
                Profile.objects.filter(pk=previous.pk).update(superseded_on=assessed)
            profile = Profile.objects.create(
                child=child,
                number=i + 1,
                previous=previous,
                framework_id=framework.id,
                framework_version=framework.version,
                framework_checksum=framework.checksum,
                age_band=band,
                assessment_date=assessed,
                review_date=assessed + timedelta(weeks=7),
                status=Status.DRAFT if draft else Status.FINALISED,
                completed_steps=["about", "needs", "readiness"]
                if draft
                else ["about", "needs", "readiness", "home", "plan"],
                strengths="Kind to friends, and enjoys practical tasks.",
                child_views="Likes it when adults explain what is happening next.",
                created_by=creator,
                # A draft has no home-confidence answers yet, so nobody is credited with them.
                home_recorded_by_id=None
                if draft
                else (parents[child.pk] if by_family else creator.pk),
                home_by_family=by_family and not draft,
                home_recorded_at=None
                if draft
                else timezone.make_aware(datetime.combine(assessed, time(15))),
                finalised_by=None if draft else creator,
                finalised_at=None
                if draft
                else timezone.make_aware(datetime.combine(assessed + timedelta(days=7), time(16))),
            )
            DomainRating.objects.bulk_create(
                [
                    DomainRating(
                        profile=profile,
                        domain=k,
                        need_level=need[k],
                        readiness_level=_clip(need[k] + rng.choice([-2, -1, -1, 0, 0, 0, 1])),
                        confidence_level=None
                        if draft
                        else _clip(need[k] + rng.choice([-2, -1, -1, 0, 0, 1])),
                    )
                    for k in DOMAIN_KEYS
                ]
            )
            if draft and child.pk % 2 == 0:
                # Some drafts stopped part-way through setting readiness (one page per area):
                # "continue where you stopped" opens the third area.
                steps_done = ["about", "needs", *(f"readiness:{k}" for k in DOMAIN_KEYS[:2])]
                Profile.objects.filter(pk=profile.pk).update(completed_steps=steps_done)
                profile.completed_steps = steps_done
                DomainRating.objects.filter(profile=profile, domain__in=DOMAIN_KEYS[2:]).update(
                    readiness_level=None
                )
            top = max(DOMAIN_KEYS, key=lambda k: need[k])
            what, know = OUTCOMES[top]
            SupportOutcome.objects.create(
                profile=profile,
                domain=top,
                what=what,
                how_we_will_know=know,
                by_when=assessed + timedelta(weeks=12),
            )
            SupportAction.objects.create(
                profile=profile,
                domain=top,
                what="Small-group session",
                who="Teaching assistant",
                how_often="Three times a week",
                starts_on=assessed + timedelta(days=3),
            )
            previous = profile
            made += 1
            # Next term: need mostly eases a little where support is working.
            need = {k: _clip(v + rng.choice([-1, -1, 0, 0, 0, 1])) for k, v in need.items()}
    return made
