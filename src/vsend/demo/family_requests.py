"""Demo requests to families for their home-confidence answers.

Three families with demo accounts (parent1, parent2, parent3) each have a child with a draft
profile: the first has just been asked, the second has answered two questions so far, and the
third has sent their answers, which wait for the SENDCo to talk through.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.audit.services import Actor
from vsend.children.models import Child, FamilyLink
from vsend.demo import data
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles import services
from vsend.profiles.models import DomainRating, FamilyAnswers, Profile, Status

if TYPE_CHECKING:
    from vsend.demo.loader import Builder


def _draft(child: Child, sendco: User, today: date) -> Profile | None:
    draft = child.profiles.filter(status=Status.DRAFT).first()
    if draft is not None:
        return draft
    try:
        return services.start_profile(actor=Actor(user=sendco), child=child, assessment_date=today)
    except (services.OutOfOrder, ValueError):
        return None


def add_family_requests(builder: "Builder") -> None:
    rng = random.Random(77)  # noqa: S311 - demo data
    for n, state in ((1, "requested"), (2, "started"), (3, "sent")):
        parent = User.objects.get(email=f"parent{n}@{data.EMAIL_DOMAIN}")
        link = (
            FamilyLink.objects.filter(user=parent, child__sen_provision__in=["K", "E"])
            .select_related("child")
            .first()
        )
        if link is None:
            continue
        child = link.child
        enrolment = child.enrolments.filter(ended_on__isnull=True).first()
        sendco = (
            Membership.objects.filter(role=Role.SENDCO, setting_id=enrolment.setting_id)
            .select_related("user")
            .first()
            if enrolment
            else None
        )
        if sendco is None:
            continue
        profile = _draft(child, sendco.user, builder.today)
        if profile is None or FamilyAnswers.objects.filter(profile=profile).exists():
            continue
        asked = timezone.make_aware(
            datetime.combine(builder.today - timedelta(days=4 + n), time(9, 30))
        )
        answers = {}
        if state != "requested":
            keys = DOMAIN_KEYS if state == "sent" else DOMAIN_KEYS[:2]
            answers = {k: {"level": rng.randint(1, 4), "note": ""} for k in keys}
            answers[DOMAIN_KEYS[0]]["note"] = "Mornings before school are the hardest part."
        sent = asked + timedelta(days=2) if state == "sent" else None
        FamilyAnswers.objects.create(
            profile=profile,
            requested_by=sendco.user,
            requested_at=asked,
            answers=answers,
            answered_by=parent if answers else None,
            updated_at=asked + timedelta(days=1) if answers else None,
            sent_at=sent,
        )
        if state == "sent":
            for key, answer in answers.items():
                DomainRating.objects.filter(profile=profile, domain=key).update(
                    confidence_level=answer["level"], confidence_note=answer["note"]
                )
            steps = [*profile.completed_steps, "home"]
            Profile.objects.filter(pk=profile.pk).update(
                home_recorded_by=parent,
                home_by_family=True,
                home_recorded_at=sent,
                completed_steps=sorted(set(steps)),
            )
