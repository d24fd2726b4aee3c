"""Writes for a plan's outcomes by Valuing SEND area and a review's preparing-for-adulthood
part: each one transaction and one audit row."""

from datetime import date

from django.db import transaction
from django.db.models import Max

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.statutory.models import (
    NOTE_LIMIT,
    PFA_PARTS,
    AdulthoodPart,
    Case,
    EhcPlan,
    Kind,
    PlanOutcome,
)
from vsend.statutory.services.common import StatutoryError, _audit, _text

MAX_OUTCOMES = 40
# Preparing for adulthood is part of every review from Year 9 (the year a child turns 14).
ADULTHOOD_FROM_AGE = 13


def _plan_audit(actor: Actor, plan: EhcPlan, summary: str, detail: dict) -> None:
    record(
        actor,
        Action.UPDATE,
        object_type="ehc_plan",
        object_id=plan.pk,
        child_id=plan.child_id,
        authority_id=plan.child.authority_id,
        summary=summary,
        detail=detail,
    )


def _checked(
    plan: EhcPlan, areas: list[str], outcome: str, provision: str, by_when: date | None
) -> tuple[list[str], str, str]:
    """An outcome's areas (in the framework's order), words and provision, checked; the first
    thing to change is raised as a StatutoryError naming its field."""
    areas = [a for a in DOMAIN_KEYS if a in set(areas or [])]
    if not areas:
        raise StatutoryError("Choose the area or areas of need this outcome is about", "areas")
    outcome = _text(outcome, "outcome", NOTE_LIMIT)
    if not outcome:
        raise StatutoryError("Say what the outcome is", "outcome")
    provision = _text(provision, "provision", NOTE_LIMIT)
    if by_when is not None and by_when < plan.issued_on:
        raise StatutoryError("The date must be after the plan was issued", "by_when")
    return areas, outcome, provision


def add_plan_outcome(
    *,
    actor: Actor,
    plan: EhcPlan,
    areas: list[str],
    outcome: str,
    provision: str = "",
    by_when: date | None = None,
) -> PlanOutcome:
    """An outcome of section E, naming the areas of need it answers (one or more) and the
    provision of section F that works towards it."""
    areas, outcome, provision = _checked(plan, areas, outcome, provision, by_when)
    with transaction.atomic():
        EhcPlan.objects.select_for_update().filter(pk=plan.pk).first()
        existing = plan.outcomes.all()
        if existing.count() >= MAX_OUTCOMES:
            raise StatutoryError(f"A plan holds up to {MAX_OUTCOMES} outcomes", "outcome")
        same = existing.filter(outcome=outcome, areas=areas).first()
        if same is not None:
            return same  # the same outcome sent twice: one row
        last = existing.aggregate(m=Max("position"))["m"]
        row = PlanOutcome.objects.create(
            plan=plan,
            areas=areas,
            outcome=outcome,
            provision=provision,
            by_when=by_when,
            position=(last or 0) + 1,
        )
        _plan_audit(actor, plan, "EHC plan outcome added", {"outcome": row.pk, "areas": areas})
    return row


def update_plan_outcome(
    *,
    actor: Actor,
    plan: EhcPlan,
    outcome_id: int,
    areas: list[str],
    outcome: str,
    provision: str = "",
    by_when: date | None = None,
) -> PlanOutcome:
    """Change an outcome's areas, words, provision or date. Sent twice with the same words, the
    second changes nothing and writes no audit row; an outcome removed meanwhile is an error."""
    areas, outcome, provision = _checked(plan, areas, outcome, provision, by_when)
    with transaction.atomic():
        row = plan.outcomes.select_for_update().filter(pk=outcome_id).first()
        if row is None:
            raise StatutoryError("This outcome has been removed from the plan")
        new = {"areas": areas, "outcome": outcome, "provision": provision, "by_when": by_when}
        changed = sorted(k for k, v in new.items() if getattr(row, k) != v)
        if not changed:
            return row
        for key in changed:
            setattr(row, key, new[key])
        row.save(update_fields=changed)
        _plan_audit(
            actor,
            plan,
            "EHC plan outcome changed",
            {"outcome": row.pk, "changed": changed, "areas": areas},
        )
    return row


def remove_plan_outcome(*, actor: Actor, plan: EhcPlan, outcome_id: int) -> None:
    """Removing one already removed (a second click) does nothing and writes no audit row."""
    with transaction.atomic():
        deleted, _ = plan.outcomes.filter(pk=outcome_id).delete()
        if deleted:
            _plan_audit(actor, plan, "EHC plan outcome removed", {"outcome": outcome_id})


def adulthood_applies(review: Case) -> bool:
    """From Year 9: the year group when the child has one, else their age on 31 August before
    the review is due (13 or more at the start of the school year)."""
    from vsend.children.models import Enrolment

    child = review.child
    current = Enrolment.objects.current().filter(child=child).select_related("year_group").first()
    year = current.year_group.code if current and current.year_group else ""
    if year.isdigit():
        return int(year) >= 9
    start = review.started_on
    aug31 = date(start.year if start.month > 8 else start.year - 1, 8, 31)
    return child.age_on(aug31) >= ADULTHOOD_FROM_AGE


def record_adulthood(*, actor: Actor, review: Case, parts: dict[str, str]) -> AdulthoodPart:
    if review.kind != Kind.ANNUAL_REVIEW:
        raise StatutoryError("Only an annual review has a preparing-for-adulthood part")
    texts = {k: _text(parts.get(k, ""), k, NOTE_LIMIT) for k in PFA_PARTS}
    if not any(texts.values()):
        raise StatutoryError("Write about at least one part", "employment")
    with transaction.atomic():
        row, created = AdulthoodPart.objects.update_or_create(
            review=review, defaults={**texts, "recorded_by": actor.user}
        )
        _audit(
            actor,
            Action.CREATE if created else Action.UPDATE,
            review,
            "Preparing for adulthood recorded",
            {"parts": sorted(k for k, v in texts.items() if v)},
        )
    return row
