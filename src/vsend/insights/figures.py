"""Where a dashboard's figures come from: one path for pages, files and the API.

Unfiltered whole-setting figures as at a term's end or today are read from the stored rows
(vsend.aggregates), and localities and the authority are sums of those rows. Anything else (a
filter, a teacher's classes, another date) is computed from scratch and cached until the
authority's figures next change.
"""

from dataclasses import dataclass, field
from datetime import date

from vsend.aggregates import store
from vsend.aggregates.registry import Values
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import aggregate, queries
from vsend.insights.cache import cached
from vsend.insights.queries import Block, Filters, Scale, Scope


@dataclass
class Figures:
    scale: Scale
    values: dict[int, Values] = field(default_factory=dict)  # per setting
    duplicates: dict[int, Values] = field(default_factory=dict)  # counted at another setting too

    def setting(self, pk: int) -> Block:
        return aggregate.unflatten(self.values.get(pk, {}), self.scale)

    def group(self, pks: list[int] | None = None) -> Block:
        """Settings summed, each child once (pks None: every setting here)."""
        members = list(self.values) if pks is None else pks
        stored = {pk: (self.values.get(pk, {}), self.duplicates.get(pk, {})) for pk in members}
        return aggregate.unflatten(store.sums(stored, {0: members})[0], self.scale)

    def settings(self) -> dict[int, Block]:
        return {pk: self.setting(pk) for pk in self.values}


def from_stored_rows(scope: Scope, filters: Filters, as_at: date) -> bool:
    return filters == Filters() and scope.class_ids is None and store.is_stored_date(as_at)


def figures(scope: Scope, filters: Filters, as_at: date) -> Figures:
    scale = queries.current_scale()
    ids = (scope.setting_id,) if scope.setting_id else None
    if from_stored_rows(scope, filters, as_at):
        rows = store.rows(aggregate.KIND, scope.authority_id, as_at, ids)
        return Figures(
            scale,
            {pk: v for pk, (v, _) in rows.items()},
            {pk: d for pk, (_, d) in rows.items()},
        )
    aid = scope.authority_id

    def compute(duplicates: bool) -> dict[int, Values]:
        return cached(
            aid,
            ("values", scope, filters, as_at, scale, duplicates),
            lambda: aggregate.compute(aid, ids, as_at, duplicates, filters, scope.class_ids),
        )

    return Figures(scale, compute(False), compute(True) if ids is None else {})


TrendPoint = dict[str, tuple[int, int, int]]  # domain -> (profiled, total need, significant)


def trend(scope: Scope, filters: Filters, dates: list[date]) -> list[TrendPoint]:
    """Per date, per domain: children profiled, their total need, those at significant need."""
    scale = queries.current_scale()
    if all(from_stored_rows(scope, filters, d) for d in dates):
        out = []
        for d in dates:
            block = figures(scope, filters, d).group()
            out.append(
                {
                    k: (s.n, s.need_total, s.significant)
                    for k, s in block.domains.items()
                    if k in DOMAIN_KEYS
                }
            )
        return out
    return cached(
        scope.authority_id,
        ("trend", scope, filters, tuple(dates), scale),
        lambda: queries.trend(scope, filters, dates, scale),
    )
