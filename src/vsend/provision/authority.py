"""Provision at authority level: spend and change in need by area, setting and locality, and the
provisions most used. For LA officers (anonymous) every count goes through
insights.suppression and every spend through insights.published (ADR 11, ADR 19).

A fixed number of queries (settings, spend per setting and area, change per setting and area,
provisions by name), whatever the number of children.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import published, suppression
from vsend.insights.tables import Table
from vsend.insights.terms import Term
from vsend.organisations.models import LocalAuthority, Setting
from vsend.provision import aggregates
from vsend.provision.maps import domain_names, money

ZERO = Decimal(0)
MOST_USED = 15


@dataclass
class Tally:
    children: int = 0
    cost: Decimal = ZERO
    compared: int = 0
    fell: int = 0
    same: int = 0
    rose: int = 0
    total_change: int = 0

    def add(self, other: "Tally") -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))


@dataclass
class AuthorityProvision:
    authority: LocalAuthority
    term: Term
    identifiable: bool
    tables: list[Table] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "" if self.identifiable else NOTE


NOTE = (
    f"{suppression.NOTE} Spending is rounded to the nearest {published.MONEY_ROUNDING} pounds and "
    f"shown only for groups of {published.MIN_DETAIL} or more children; change in need likewise."
)


def _row(label: str, t: Tally, identifiable: bool) -> list[Any]:
    if identifiable:
        mean = round(t.total_change / t.compared, 2) if t.compared else None
        return [label, t.children, money(t.cost), t.compared, t.fell, t.same, t.rose, mean]
    return [
        label,
        suppression.count(t.children),
        published.spend(t.cost, t.children),
        *published.change_counts(t.compared, t.fell, t.same, t.rose),
    ]


def columns(identifiable: bool, first: str) -> list[str]:
    base = [
        first,
        "Children with provision",
        "Spend (£)",
        "Children compared",
        "Need fell",
        "No change",
        "Need rose",
    ]
    return [*base, "Mean change in need"] if identifiable else base


def cached_authority_provision(
    authority: LocalAuthority, term: Term, identifiable: bool
) -> AuthorityProvision:
    """The view through the dashboards' cache (insights.cache, keyed by the authority's data
    version, which every provision write bumps); the stored per-setting per-term aggregates
    will replace it (ADR 19)."""
    from vsend.insights import cache

    return cache.cached(
        authority.pk,
        ("provision", term.slug, identifiable),
        lambda: authority_provision(authority, term, identifiable),
    )


def authority_provision(
    authority: LocalAuthority, term: Term, identifiable: bool
) -> AuthorityProvision:
    settings = list(
        Setting.objects.filter(authority=authority).select_related("locality").order_by("name")
    )
    ids = [s.pk for s in settings]
    spend = aggregates.spend_by_setting_area(ids, term)
    change = aggregates.change_by_setting_area(ids, term)
    children = aggregates.children_by_setting(ids, term)
    names = domain_names()
    by_setting: dict[int, Tally] = {}
    by_area: dict[str, Tally] = {k: Tally() for k in DOMAIN_KEYS}
    by_locality: dict[int, Tally] = {}
    total = Tally()
    for s in settings:
        t = Tally()
        for a in spend.get(s.pk, []):
            area = by_area.setdefault(a.area, Tally())
            area.children += a.children
            area.cost += a.cost
            t.cost += a.cost
        t.children = children.get(s.pk, 0)
        for c in change.get(s.pk, []):
            area = by_area.setdefault(c.area, Tally())
            for f in ("compared", "fell", "same", "rose", "total_change"):
                setattr(area, f, getattr(area, f) + getattr(c, f))
        by_setting[s.pk] = t
        by_locality.setdefault(s.locality_id, Tally()).add(t)
        total.add(t)
    # Setting-level change figures: children compared in any area.
    for s in settings:
        rows = change.get(s.pk, [])
        if rows:
            t = by_setting[s.pk]
            t.compared = max(r.compared for r in rows)
            t.fell, t.same, t.rose = (
                sum(getattr(r, f) for r in rows) for f in ("fell", "same", "rose")
            )
            t.total_change = sum(r.total_change for r in rows)
    out = AuthorityProvision(authority, term, identifiable)
    area_table = Table(
        "provision_by_area",
        "Provision spend and change in need by area",
        columns(identifiable, "Area"),
        [_row(names.get(k, k), t, identifiable) for k, t in by_area.items()],
        "Spend is split evenly between a provision's areas. Change in need is the children's "
        "picture at the end of the term against the end of the term before, for the children who "
        "had provision and were reassessed; a fall is an improvement. This is association, not "
        "proof that the provision caused the change.",
    )
    localities = sorted({s.locality for s in settings}, key=lambda loc: loc.name)
    locality_table = Table(
        "provision_by_locality",
        "Provision spend by locality",
        columns(identifiable, "Locality")[:3],
        [_row(loc.name, by_locality.get(loc.pk, Tally()), identifiable)[:3] for loc in localities]
        + [_row("Whole authority", total, identifiable)[:3]],
    )
    setting_table = Table(
        "provision_by_setting",
        "Provision spend and change in need by setting",
        columns(identifiable, "Setting"),
        [_row(s.name, by_setting[s.pk], identifiable) for s in settings],
        "Change counts areas: a child compared in five areas is counted in each.",
    )
    used = aggregates.spend_by_provision_name(ids, term)[:MOST_USED]
    if identifiable:
        used_rows = [[name, n, money(cost)] for name, n, cost in used]
    else:
        used_rows = [  # in name order: ranking would compare hidden counts
            [name, suppression.count(n), published.spend(cost, n)] for name, n, cost in sorted(used)
        ]
    used_table = Table(
        "provision_most_used",
        "Provisions most used",
        ["Provision", "Children", "Spend (£)"],
        used_rows,
        "Provisions with the same name in different settings are counted together.",
    )
    out.tables = [area_table, locality_table, setting_table, used_table]
    return out


def governors_spend_table(setting_id: int, term: Term) -> Table:
    """For the governors' SEN summary: spend by area in a term, aggregates only, through the
    same disclosure control as every other figure governors see."""
    names = domain_names()
    spend = {a.area: a for a in aggregates.spend_by_area(setting_id, term)}
    children = aggregates.children_with_provision(setting_id, term)
    rows: list[list[Any]] = []
    for key in DOMAIN_KEYS:
        a = spend.get(key)
        n, cost = (a.children, a.cost) if a else (0, ZERO)
        rows.append([names[key], suppression.count(n), published.spend(cost, n)])
    total = sum((a.cost for a in spend.values()), ZERO)
    rows.append(["All provision", suppression.count(children), published.spend(total, children)])
    return Table(
        "provision_spend",
        f"Provision spending by area of need, {term.label}",
        ["Area", "Children with provision", "Spend (£)"],
        rows,
        f"Spending is rounded to the nearest {published.MONEY_ROUNDING} pounds and shown only "
        f"for {published.MIN_DETAIL} or more children. A provision in more than one area is "
        "split evenly between them.",
    )
