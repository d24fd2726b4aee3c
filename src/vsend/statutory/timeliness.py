"""Timeliness of the statutory pathway, as pure functions over plain facts.

No database access and no caching here: `selectors.request_facts` reads the facts, and
statutory/stored.py registers these functions as stored per-setting aggregates (by month,
summed to localities and the authority; ADR 25, ADR 32) and reads them back for the pages.
Anything shown to people who may not see the children goes through insights/published.py
(`timeliness_table`) and its suppression.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DECISION_LIMIT = timedelta(weeks=6)
FINAL_PLAN_LIMIT = timedelta(weeks=20)


@dataclass(frozen=True)
class RequestFacts:
    setting_id: int | None  # the requesting setting, else the child's setting at the request
    received_on: date
    decided_on: date | None = None
    decision: str = ""  # assess, not_assess
    final_issued_on: date | None = None
    exception_applies: bool = False  # an exception to the 20-week limit was recorded


@dataclass(frozen=True)
class Timeliness:
    requests: int = 0
    decisions: int = 0
    decisions_within_6_weeks: int = 0
    decided_to_assess: int = 0
    plans_issued: int = 0
    plans_within_20_weeks: int = 0
    plans_issued_without_exception: int = 0
    plans_within_20_weeks_without_exception: int = 0


def _within(start: date, end: date | None, limit: timedelta) -> bool:
    return end is not None and end <= start + limit


def timeliness(facts: Iterable[RequestFacts], start: date, end: date) -> Timeliness:
    """Requests received, decisions made and final plans issued from start to end (inclusive),
    and how many met their time limits. As the DfE counts it, a plan's 20 weeks run from the
    request; the share is given with and without the cases an exception applied to."""
    counts = dict.fromkeys(Timeliness.__dataclass_fields__, 0)
    for f in facts:
        if start <= f.received_on <= end:
            counts["requests"] += 1
        if f.decided_on and start <= f.decided_on <= end:
            counts["decisions"] += 1
            counts["decisions_within_6_weeks"] += _within(
                f.received_on, f.decided_on, DECISION_LIMIT
            )
            counts["decided_to_assess"] += f.decision == "assess"
        if f.final_issued_on and start <= f.final_issued_on <= end:
            on_time = _within(f.received_on, f.final_issued_on, FINAL_PLAN_LIMIT)
            counts["plans_issued"] += 1
            counts["plans_within_20_weeks"] += on_time
            if not f.exception_applies:
                counts["plans_issued_without_exception"] += 1
                counts["plans_within_20_weeks_without_exception"] += on_time
    return Timeliness(**counts)


def by_setting(
    facts: Iterable[RequestFacts], start: date, end: date
) -> dict[int | None, Timeliness]:
    """The same figures for each setting (None: requests with no setting)."""
    groups: dict[int | None, list[RequestFacts]] = {}
    for f in facts:
        groups.setdefault(f.setting_id, []).append(f)
    return {k: timeliness(v, start, end) for k, v in groups.items()}


@dataclass(frozen=True)
class ReviewFacts:
    setting_id: int | None
    due_on: date  # the review meeting's due date (12 months from the plan or last review)
    held_on: date | None = None


@dataclass(frozen=True)
class Reviews:
    held: int = 0
    held_on_time: int = 0
    overdue: int = 0  # open at the period's end, due before it


def reviews(facts: Iterable[ReviewFacts], start: date, end: date) -> Reviews:
    """Review meetings held from start to end and how many by their due date, and reviews still
    not held at the end whose due date had passed."""
    held = on_time = overdue = 0
    for f in facts:
        if f.held_on is not None and start <= f.held_on <= end:
            held += 1
            on_time += f.held_on <= f.due_on
        if f.due_on < end and (f.held_on is None or f.held_on > end):
            overdue += 1
    return Reviews(held, on_time, overdue)


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def reviews_overdue(review_due_dates: Iterable[date | None], on: date) -> int:
    """Open annual reviews whose meeting was due before `on`."""
    return sum(1 for due in review_due_dates if due is not None and due < on)
