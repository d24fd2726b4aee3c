"""Aggregate kinds: what each domain stores per setting and date (ADR 25).

A kind is a name and one function that computes, for some settings of one authority as at one
date, a flat mapping of additive counts per setting, twice: for every child enrolled there, and
for those whose main registration is elsewhere (so sums count each child once). Everything else
(storing, reacting to events, summing to localities and the authority) is shared.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

Values = dict[str, int]
# (authority_id, setting_ids, as_at, duplicates_only) -> {setting_id: values}
Compute = Callable[[int, tuple[int, ...], date, bool], dict[int, Values]]
# Optionally both at once (every child, duplicates only), where one pass can give both.
ComputeBoth = Callable[[int, tuple[int, ...], date], tuple[dict[int, Values], dict[int, Values]]]


@dataclass(frozen=True)
class Kind:
    name: str
    compute: Compute
    # Event kinds this aggregate reacts to; "*" for every event.
    reacts_to: tuple[str, ...] = ("*",)
    # With "*": prefixes of event kinds that cannot change it (another domain's own events).
    ignores: tuple[str, ...] = ()
    # Every stored date reacts to a change, whatever its `since` (figures that place a child by
    # where they are today, such as statutory timeliness).
    whole_history: bool = False
    # Called with an authority id once its rows changed (for example to drop cached pages).
    changed: Callable[[int], None] | None = None
    compute_both: ComputeBoth | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    return KINDS[name]


def reacting_to(event_kind: str) -> list[Kind]:
    return [
        k
        for k in KINDS.values()
        if event_kind in k.reacts_to
        or ("*" in k.reacts_to and not event_kind.startswith(k.ignores))
    ]
