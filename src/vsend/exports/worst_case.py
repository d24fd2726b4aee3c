"""The largest profile the forms allow, for measuring how long its PDF takes to make.

Every text box at its limit (5,000 characters; 500 and 200 for action rows), every outcome and
action row filled, and a review of five earlier outcomes with full notes. Built inside a
transaction that is rolled back, so it leaves nothing behind."""

import io
import re
import statistics
import time
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from vsend.audit.services import Actor
from vsend.children.models import Child
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles import selectors, services
from vsend.profiles.forms import ACTION_ROWS
from vsend.profiles.models import OutcomeReview, Profile, SupportAction, SupportOutcome
from vsend.profiles.pdf import profile_pdf

WORDS = (
    "Amelia settles best with a visual timetable and a quiet start to the morning; she "
    "communicates with short phrases and signs, and needs adults to model language often. "
)


def text(limit: int) -> str:
    return (WORDS * (limit // len(WORDS) + 1))[: limit - 1] + "."


def _fill(profile: Profile) -> None:
    Profile.objects.filter(pk=profile.pk).update(  # scope-lint: allow benchmark data
        strengths=text(5000), child_views=text(5000), aspirations=text(5000),
        family_views=text(5000), review_date=profile.assessment_date + timedelta(weeks=8),
    )  # fmt: skip
    profile.ratings.update(
        need_level=3, readiness_level=1, confidence_level=2,
        need_evidence=text(5000), readiness_note=text(5000), confidence_note=text(5000),
    )  # fmt: skip
    # A review starts with the last plan's rows; the form shows ACTION_ROWS a domain, no more.
    profile.actions.all().delete()
    profile.outcomes.all().delete()
    for i, key in enumerate(DOMAIN_KEYS):
        SupportOutcome.objects.create(  # scope-lint: allow benchmark data
            profile=profile, domain=key, position=i, what=text(5000),
            how_we_will_know=text(5000), by_when=profile.assessment_date + timedelta(weeks=8),
        )  # fmt: skip
        for n in range(ACTION_ROWS):
            SupportAction.objects.create(  # scope-lint: allow benchmark data
                profile=profile, domain=key, position=i * ACTION_ROWS + n, what=text(500),
                who=text(200), how_often=text(200), starts_on=profile.assessment_date,
            )  # fmt: skip


def build(child: Child, user: Any) -> Profile:
    """A finalised worst-case profile, then a worst-case review of it."""
    actor = Actor(user=user)
    first = services.start_profile(actor=actor, child=child, assessment_date=date(2026, 9, 7))
    _fill(first)
    finalised = Profile.objects.filter(pk=first.pk)  # scope-lint: allow benchmark data
    finalised.update(status="finalised")
    review = services.start_profile(actor=actor, child=child, assessment_date=date(2026, 11, 2))
    _fill(review)
    for outcome in first.outcomes.all():
        OutcomeReview.objects.create(  # scope-lint: allow benchmark data
            profile=review, outcome=outcome, result="partly", note=text(5000)
        )
    return review


def _pages(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader  # a development dependency, as this benchmark is
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page\b", pdf))
    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure(child: Child, user: Any, runs: int, out: Any) -> dict[str, float]:
    with transaction.atomic():
        profile = build(child, user)
        times, pdf = [], b""
        for _ in range(runs):
            start = time.perf_counter()
            pdf = profile_pdf(selectors.profile_view(profile))
            times.append(time.perf_counter() - start)
        transaction.set_rollback(True)
    pages = _pages(pdf)
    figures = {
        "pages": pages,
        "bytes": len(pdf),
        "median": statistics.median(times),
        "max": max(times),
    }
    out.write(
        f"Worst-case profile PDF: {pages} pages, {len(pdf):,} bytes; made in median "
        f"{figures['median']:.2f} s, max {figures['max']:.2f} s ({runs} runs, in the job worker)\n"
    )
    return figures
