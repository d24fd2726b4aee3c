"""Provision's stored aggregates (ADR 25, ADR 32): each setting's spend, hours and children with
provision per area of need and per provision name, and the change in need of those children,
for the term containing each stored date (a term's end holds that term).

Values are additive integers: money and hours in ten-thousandths (the ledger's own precision,
so sums are exact), children as counts. A child with provision at two settings of the authority
in a term counts at both settings and, in sums, once: at the lower-numbered setting (the
`duplicates` of the other setting's row).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from vsend.aggregates.registry import Kind, Values, register
from vsend.insights.terms import Term, term_containing
from vsend.provision.aggregates import change_by_setting_area
from vsend.provision.models import PlaceTermCost

SPEND = "provision.spend"
CHANGE = "provision.change"
CHANGED = "provision.changed"  # the event the provision services announce
UNIT = Decimal(10_000)  # money and hours are stored in ten-thousandths
CHANGE_FIELDS = ("compared", "fell", "same", "rose", "total_change")
WHOLE_AUTHORITY = 500  # above this many children, read the term's whole ledger instead


def _firsts(authority_id: int, term: Term, children: set[int]) -> dict[tuple[object, ...], int]:
    """The lowest setting at which each child (and each child in each area, and with each
    provision name) had provision in the term: the one place they count in sums."""
    others = PlaceTermCost.objects.filter(
        term_starts=term.starts, setting__authority_id=authority_id
    )
    if len(children) <= WHOLE_AUTHORITY:
        others = others.filter(child_id__in=children)
    first: dict[tuple[object, ...], int] = {}
    for setting_id, child_id, area, name in others.values_list(
        "setting_id", "child_id", "area", "provision__name"
    ).distinct():
        for key in ((child_id,), (child_id, "a", area), (child_id, "p", name)):
            if setting_id < first.get(key, setting_id + 1):
                first[key] = setting_id
    return first


def compute_spend(
    authority_id: int, setting_ids: tuple[int, ...], as_at: date, duplicates_only: bool
) -> dict[int, Values]:
    term = term_containing(as_at)
    rows = list(
        PlaceTermCost.objects.filter(setting_id__in=setting_ids, term_starts=term.starts)
        .values_list("setting_id", "child_id", "area", "provision__name", "hours", "cost")
        .order_by()
    )
    first = _firsts(authority_id, term, {r[1] for r in rows}) if duplicates_only and rows else None
    seen: dict[int, set[tuple[object, ...]]] = {}
    money: dict[int, dict[str, Decimal]] = {}
    for setting_id, child_id, area, name, hours, cost in rows:
        keys = seen.setdefault(setting_id, set())
        for key, label in (
            ((child_id,), "n"),
            ((child_id, "a", area), f"a.{area}.n"),
            ((child_id, "p", name), f"p.{name}.n"),
        ):
            if first is None or first.get(key, setting_id) < setting_id:
                keys.add((*key, label))
        if first is None:
            m = money.setdefault(setting_id, {})
            for label, value in (
                (f"a.{area}.hours", hours),
                (f"a.{area}.cost", cost),
                (f"p.{name}.cost", cost),
            ):
                m[label] = m.get(label, Decimal(0)) + value
    out: dict[int, Values] = {}
    for setting_id in setting_ids:
        values: Values = {}
        for seen_key in seen.get(setting_id, set()):
            label = str(seen_key[-1])
            values[label] = values.get(label, 0) + 1
        for label, total in money.get(setting_id, {}).items():
            values[label] = int(total * UNIT)
        out[setting_id] = {k: v for k, v in values.items() if v}
    return out


def compute_change(
    authority_id: int, setting_ids: tuple[int, ...], as_at: date, duplicates_only: bool
) -> dict[int, Values]:
    term = term_containing(as_at)
    rows = change_by_setting_area(
        setting_ids, term, duplicates_of=authority_id if duplicates_only else None
    )
    out: dict[int, Values] = {}
    for setting_id in setting_ids:
        values: Values = {}
        for c in rows.get(setting_id, []):
            for f in CHANGE_FIELDS:
                values[f"a.{c.area}.{f}"] = getattr(c, f)
        out[setting_id] = {k: v for k, v in values.items() if v}
    return out


register(Kind(SPEND, compute_spend, reacts_to=(CHANGED,)))
# Change in need also moves when a profile is finalised or a child moves.
register(Kind(CHANGE, compute_change, reacts_to=("*",), ignores=("statutory.",)))


@dataclass(frozen=True)
class Spend:
    children: int
    hours: Decimal
    cost: Decimal


def areas(values: Mapping[str, int]) -> dict[str, Spend]:
    """A row's (or a sum's) spend by area."""
    names = {k.split(".")[1] for k in values if k.startswith("a.")}
    return {
        a: Spend(
            values.get(f"a.{a}.n", 0),
            Decimal(values.get(f"a.{a}.hours", 0)) / UNIT,
            Decimal(values.get(f"a.{a}.cost", 0)) / UNIT,
        )
        for a in sorted(names)
    }


def by_name(values: Mapping[str, int]) -> list[tuple[str, int, Decimal]]:
    """(provision name, children, cost), most children first."""
    names = {k[2:].rsplit(".", 1)[0] for k in values if k.startswith("p.")}
    out = [
        (n, values.get(f"p.{n}.n", 0), Decimal(values.get(f"p.{n}.cost", 0)) / UNIT) for n in names
    ]
    return sorted(out, key=lambda r: (-r[1], r[0]))


def change(values: Mapping[str, int], area: str) -> dict[str, int]:
    return {f: values.get(f"a.{area}.{f}", 0) for f in CHANGE_FIELDS}


def announce(authority_id: int, setting_ids: Iterable[int], since: date | None) -> None:
    """Tell the stored aggregates that a setting's provision changed from a date on."""
    from vsend.aggregates import events

    events.announce(CHANGED, authority_id=authority_id, setting_ids=setting_ids, since=since)
