"""Where a dashboard's figures come from: one path for pages, files and the API.

Unfiltered whole-setting figures as at a term's end or today are read from the stored rows
(vsend.aggregates), and localities and the authority are sums of those rows. Anything else (a
filter, a teacher's classes, another date) is computed from scratch and cached until the
authority's figures next change.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from vsend.aggregates import store
from vsend.aggregates.registry import Values
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import aggregate, queries
from vsend.insights.cache import cached
from vsend.insights.queries import Block, Filters, Scale, Scope

# Blocks and sums already built by this process from stored rows, keyed by the rows' stamps.
_BLOCKS: dict[tuple[object, ...], Block] = {}
_VALUES: dict[tuple[object, ...], Values] = {}
CHUNK = 25


def _memo(key: tuple[object, ...] | None, build: Callable[[], Block]) -> Block:
    if key is None:
        return build()
    if key not in _BLOCKS:
        if len(_BLOCKS) > 20_000:
            _BLOCKS.clear()
        _BLOCKS[key] = build()
    return _BLOCKS[key]


@dataclass
class Figures:
    scale: Scale
    values: dict[int, Values] = field(default_factory=dict)  # per setting
    duplicates: dict[int, Values] = field(default_factory=dict)  # counted at another setting too
    stamps: dict[int, object] | None = None  # stored rows: when each was computed
    as_at: date | None = None

    def _key(self, what: str, pks: list[int]) -> tuple[object, ...] | None:
        if self.stamps is None:
            return None
        return (what, self.scale, self.as_at, tuple(pks), tuple(self.stamps.get(pk) for pk in pks))

    def setting(self, pk: int) -> Block:
        return _memo(
            self._key("setting", [pk]),
            lambda: aggregate.unflatten(self.values.get(pk, {}), self.scale),
        )

    def group(self, pks: list[int] | None = None) -> Block:
        """Settings summed, each child once (pks None: every setting here)."""
        members = sorted(self.values) if pks is None else sorted(pks)
        return _memo(
            self._key("group", members),
            lambda: aggregate.unflatten(self.group_values(members), self.scale),
        )

    def group_values(self, members: list[int]) -> Values:
        """The sum of some settings' rows less their duplicates. Large groups are summed in
        chunks of CHUNK settings, each kept by its rows' stamps, so when one setting's row
        changes only its chunk is summed again."""
        if len(members) <= CHUNK:
            key = self._key("values", members)
            if key is not None and key in _VALUES:
                return _VALUES[key]
            stored = {pk: (self.values.get(pk, {}), self.duplicates.get(pk, {})) for pk in members}
            chunk = store.sums(stored, {0: members})[0]
            if key is not None:
                if len(_VALUES) > 20_000:
                    _VALUES.clear()
                _VALUES[key] = chunk
            return chunk
        total: Values = {}
        for i in range(0, len(members), CHUNK):
            store.add(total, self.group_values(members[i : i + CHUNK]))
        return total

    def settings(self) -> dict[int, Block]:
        return {pk: self.setting(pk) for pk in self.values}


def from_stored_rows(scope: Scope, filters: Filters, as_at: date) -> bool:
    return filters == Filters() and scope.class_ids is None and store.is_stored_date(as_at)


def _stored(scope: Scope, dates: list[date]) -> dict[date, Figures]:
    scale = queries.current_scale()
    ids = (scope.setting_id,) if scope.setting_id else None
    found = store.rows_at(aggregate.KIND, scope.authority_id, dates, ids)
    return {
        d: Figures(
            scale,
            {pk: r.values for pk, r in rows.items()},
            {pk: r.duplicates for pk, r in rows.items()},
            {pk: r.stamp for pk, r in rows.items()},
            d,
        )
        for d, rows in found.items()
    }


def figures(scope: Scope, filters: Filters, as_at: date) -> Figures:
    if from_stored_rows(scope, filters, as_at):
        return _stored(scope, [as_at])[as_at]
    scale = queries.current_scale()
    ids = (scope.setting_id,) if scope.setting_id else None
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
        stored = _stored(scope, dates)
        out = []
        for d in dates:
            block = stored[d].group()
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
