"""The dashboards' stored aggregate: every figure of a Block, per setting and date, as flat
additive counts (registered with vsend.aggregates; ADR 25)."""

from datetime import date, timedelta
from typing import TypedDict

from vsend.aggregates.registry import Kind, Values, register
from vsend.insights import cache, queries
from vsend.insights.queries import (
    Block,
    ChangeStats,
    CohortStats,
    DomainStats,
    Filters,
    Scale,
    Scope,
)
from vsend.insights.terms import one_year_before, previous_term, term_containing

KIND = "insight"
DUE_WITHIN = timedelta(weeks=4)
DOMAIN_FIELDS = (
    "n",
    "significant",
    "readiness_gap",
    "readiness_gap_total",
    "confidence_gap",
    "confidence_gap_total",
    "need_total",
)
CHANGE_FIELDS = ("n", "improved", "same", "increased", "total_change")


class Dates(TypedDict):
    previous_term_end: date
    year_before: date
    due_by: date


def dates_for(as_at: date) -> Dates:
    """The other dates a picture as at as_at compares with."""
    return {
        "previous_term_end": previous_term(term_containing(as_at)).ends,
        "year_before": one_year_before(as_at),
        "due_by": as_at + DUE_WITHIN,
    }


def scale_prefix(scale: Scale) -> str:
    """Need figures are stored under their scale, so rows made on another scale are never read
    as this one's (a new framework is picked up by `vsend aggregates refresh`)."""
    return f"s{scale.levels}.{scale.significant}"


def flatten(block: Block, scale: Scale) -> Values:
    out: Values = {f"c.{f}": getattr(block.cohort, f) for f in CohortStats.__dataclass_fields__}
    p = scale_prefix(scale)
    for key, d in block.domains.items():
        for f in DOMAIN_FIELDS:
            out[f"{p}.d.{key}.{f}"] = getattr(d, f)
        for i, n in enumerate(d.levels):
            out[f"{p}.d.{key}.lv{i}"] = n
    for i, n in enumerate(block.complexity):
        out[f"{p}.x{i}"] = n
    for attr in ("change_term", "change_year"):
        for key, ch in getattr(block, attr).items():
            for f in CHANGE_FIELDS:
                out[f"{p}.{attr}.{key}.{f}"] = getattr(ch, f)
    return {k: int(v) for k, v in out.items() if v}


def unflatten(values: Values, scale: Scale) -> Block:
    from vsend.frameworks.loader import DOMAIN_KEYS

    block = Block()
    block.cohort = CohortStats(
        **{f: values.get(f"c.{f}", 0) for f in CohortStats.__dataclass_fields__}
    )
    p = scale_prefix(scale)
    for key in DOMAIN_KEYS:
        if values.get(f"{p}.d.{key}.n"):
            block.domains[key] = DomainStats(
                key,
                levels=[values.get(f"{p}.d.{key}.lv{i}", 0) for i in range(scale.levels)],
                **{f: values.get(f"{p}.d.{key}.{f}", 0) for f in DOMAIN_FIELDS},
            )
        for attr in ("change_term", "change_year"):
            if values.get(f"{p}.{attr}.{key}.n"):
                getattr(block, attr)[key] = ChangeStats(
                    key, **{f: values.get(f"{p}.{attr}.{key}.{f}", 0) for f in CHANGE_FIELDS}
                )
    block.complexity = [values.get(f"{p}.x{i}", 0) for i in range(6)]
    return block


def compute(
    authority_id: int,
    setting_ids: tuple[int, ...] | None,
    as_at: date,
    duplicates_only: bool,
    filters: Filters | None = None,
    class_ids: tuple[int, ...] | None = None,
) -> dict[int, Values]:
    """From scratch: the figures of these settings (None: all the authority's)."""
    scale = queries.current_scale()
    scope = Scope(
        authority_id,
        setting_ids=setting_ids,
        class_ids=class_ids,
        duplicates_only=duplicates_only,
    )
    blocks = queries.blocks_by_setting(
        scope, filters or Filters(), as_at, **dates_for(as_at), scale=scale
    )
    return {pk: flatten(b, scale) for pk, b in blocks.items()}


def _compute(
    authority_id: int, setting_ids: tuple[int, ...], as_at: date, duplicates_only: bool
) -> dict[int, Values]:
    return compute(authority_id, setting_ids, as_at, duplicates_only)


def _compute_both(
    authority_id: int, setting_ids: tuple[int, ...], as_at: date
) -> tuple[dict[int, Values], dict[int, Values]]:
    """compute() for every child and for the duplicates only, in one pass of five queries."""
    scale = queries.current_scale()
    scope = Scope(authority_id, setting_ids=setting_ids)
    split = queries.blocks_by_setting(
        scope, Filters(), as_at, **dates_for(as_at), scale=scale, split=True
    )
    values: dict[int, Values] = {}
    duplicates: dict[int, Values] = {}
    for pk in {key // 2 for key in split}:
        alone, elsewhere = split.get(2 * pk, Block()), split.get(2 * pk + 1, Block())
        whole = Block()
        whole.add(alone)
        whole.add(elsewhere)
        values[pk] = flatten(whole, scale)
        if 2 * pk + 1 in split:
            duplicates[pk] = flatten(elsewhere, scale)
    return values, duplicates


register(
    Kind(
        KIND,
        _compute,
        compute_both=_compute_both,
        reacts_to=("*",),
        # Spending and the statutory clock never change a profile figure.
        ignores=("provision.", "statutory."),
        # Filtered and teachers' views are computed and cached: drop them.
        changed=cache.bump,
    )
)
