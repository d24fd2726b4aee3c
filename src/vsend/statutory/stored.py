"""Statutory timeliness as stored aggregates (ADR 25, ADR 32): for each setting, as at each
stored date (a term's end, or today), the counts of `timeliness.Timeliness` and
`timeliness.Reviews` for every month of the term containing that date, keyed
"YYYY-MM.field". A case counts at its requesting setting, else the child's setting today (as
`selectors.request_facts`); a case is at one setting only, so rows have no duplicates. Cases of
children at no setting are counted on reading (`unplaced`), so the authority's sum is whole.
"""

from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import date, timedelta

from vsend.aggregates import events, store
from vsend.aggregates.registry import Kind, Values, register
from vsend.insights.terms import Term, term_containing
from vsend.statutory import timeliness as t

KIND = "statutory.timeliness"
CHANGED = "statutory.changed"
TIMELINESS = tuple(f.name for f in fields(t.Timeliness))
REVIEWS = tuple(f.name for f in fields(t.Reviews))


def months(term: Term, until: date | None = None) -> list[tuple[str, date, date]]:
    """(key, first day, last day) of each month of the term, up to `until`."""
    out, day = [], term.starts
    last = min(term.ends, until) if until else term.ends
    while day <= last:
        nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        out.append((f"{day:%Y-%m}", day, min(nxt - timedelta(days=1), last)))
        day = nxt
    return out


def values_of(requests: list[t.RequestFacts], reviews: list[t.ReviewFacts], as_at: date) -> Values:
    values: Values = {}
    for key, first, last in months(term_containing(as_at), as_at):
        figures = t.timeliness(requests, first, last)
        for f in TIMELINESS:
            values[f"{key}.{f}"] = getattr(figures, f)
        held = t.reviews(reviews, first, last)
        for f in REVIEWS:
            values[f"{key}.{f}"] = getattr(held, f)
    return {k: v for k, v in values.items() if v}


def compute(
    authority_id: int, setting_ids: tuple[int, ...], as_at: date, duplicates_only: bool
) -> dict[int, Values]:
    if duplicates_only:
        return {}
    from vsend.statutory.selectors import request_facts, review_facts

    requests = request_facts(authority_id, setting_ids)
    reviews = review_facts(authority_id, setting_ids)
    out = {}
    for pk in setting_ids:
        out[pk] = values_of(
            [f for f in requests if f.setting_id == pk],
            [f for f in reviews if f.setting_id == pk],
            as_at,
        )
    return out


# A case without a setting counts at the child's setting today: a move changes where.
MOVES = ("child.created", "child.left", "child.moved", "enrolments.moved", "register.imported")
register(Kind(KIND, compute, reacts_to=(CHANGED, *MOVES), whole_history=True))


def announce(case: object) -> None:
    """A case changed: its setting's (and the child's settings') rows follow, from the day the
    case began."""
    events.announce(
        CHANGED,
        authority_id=case.child.authority_id,  # type: ignore[attr-defined]
        child_id=case.child_id,  # type: ignore[attr-defined]
        setting_ids=[case.setting_id] if case.setting_id else [],  # type: ignore[attr-defined]
        since=case.started_on,  # type: ignore[attr-defined]
    )


def unplaced(authority_id: int, as_at: date) -> Values:
    """The cases with no setting, computed on reading (few: children at no setting)."""
    from vsend.statutory.selectors import request_facts, review_facts

    return values_of(
        request_facts(authority_id, unplaced=True), review_facts(authority_id, unplaced=True), as_at
    )


def read(
    authority_id: int, as_at: date, groups: Mapping[object, Iterable[int]]
) -> dict[object, Values]:
    """Each group of settings' sums as at a stored date; the key "all" (if asked for) also
    counts the cases at no setting."""
    rows = store.rows(KIND, authority_id, as_at)
    out = store.sums(rows, groups)
    if "all" in out:
        store.add(out["all"], unplaced(authority_id, as_at))
    return out


def term_figures(values: Mapping[str, int], month: str | None = None) -> t.Timeliness:
    """The Timeliness of a sum: one month's, or (None) every month's together."""
    return t.Timeliness(
        **{
            f: sum(
                v for k, v in values.items() if k.endswith(f".{f}") and k.startswith(month or "")
            )
            for f in TIMELINESS
        }
    )


def review_figures(values: Mapping[str, int], month: str | None = None) -> t.Reviews:
    """Reviews held (and on time) over the months asked for; overdue as at the last month."""
    keys = sorted({k.split(".")[0] for k in values})
    last = month or (keys[-1] if keys else "")
    return t.Reviews(
        held=sum(v for k, v in values.items() if k.endswith(".held") and k.startswith(month or "")),
        held_on_time=sum(
            v
            for k, v in values.items()
            if k.endswith(".held_on_time") and k.startswith(month or "")
        ),
        overdue=values.get(f"{last}.overdue", 0),
    )


def setting_ids(authority_id: int) -> list[int]:
    from vsend.organisations.models import Setting

    return list(Setting.objects.filter(authority_id=authority_id).values_list("pk", flat=True))
