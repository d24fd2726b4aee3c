"""The phase-transfer deadline for an EHC plan: when a child or young person moves from one
phase of education to the next in September, their plan must be reviewed and amended (naming
the new setting) by 15 February of that year, or by 31 March for a move from secondary school
to post-16 (SEND Regulations 2014, reg. 18; SEND Code of Practice 9.179)."""

from datetime import date, timedelta

from django.db.models import Q

from vsend.statutory.models import CaseStep, EhcPlan

AT_RISK_DAYS = 42  # six weeks before the deadline with no amended plan: at risk


def deadline(september_year: int, *, to_post_16: bool) -> date:
    """The date by which the plan must be amended, for a move in September of that year."""
    return date(september_year, 3, 31) if to_post_16 else date(september_year, 2, 15)


def state(limit: date, amended_on: date | None, today: date) -> str:
    """amended (in time), late (amended after the deadline), overdue, at_risk or due."""
    if amended_on is not None:
        return "amended" if amended_on <= limit else "late"
    if today > limit:
        return "overdue"
    if today >= limit - timedelta(days=AT_RISK_DAYS):
        return "at_risk"
    return "due"


def amended_since(child_ids: list[int], since: date) -> dict[int, date]:
    """For each child, the first day since `since` their EHC plan was amended after a review,
    or a new plan issued."""
    out: dict[int, date] = {}
    steps = CaseStep.objects.filter(
        case__child_id__in=child_ids,
        step="amended_plan",
        done_on__gte=since,
    ).values_list("case__child_id", "done_on")
    plans = EhcPlan.objects.filter(Q(child_id__in=child_ids), issued_on__gte=since).values_list(
        "child_id", "issued_on"
    )
    for child_id, on in [*steps, *plans]:
        if on is not None and (child_id not in out or on < out[child_id]):
            out[child_id] = on
    return out


def with_plan(child_ids: list[int]) -> set[int]:
    """The children with an EHC plan in force."""
    return set(
        EhcPlan.objects.filter(child_id__in=child_ids, ceased_on__isnull=True).values_list(
            "child_id", flat=True
        )
    )
