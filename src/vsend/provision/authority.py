"""Provision at authority level: spend and change in need by area, setting and locality, and the
provisions most used. For LA officers (anonymous) every count goes through
insights.suppression and every spend through insights.published (ADR 11, ADR 19).

Read from the stored per-setting rows (provision/stored.py, ADR 25): a fixed number of
queries (the settings, and the stored rows' stamps and changed rows of two kinds), whatever the
number of children; sums count a child with provision at two settings once.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from vsend.aggregates import store
from vsend.aggregates.store import Row
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import published, suppression
from vsend.insights.tables import Table
from vsend.insights.terms import Term
from vsend.organisations.models import LocalAuthority, Setting
from vsend.provision import stored
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
    """Kept for callers: the view is now read from the stored rows, which are always fresh."""
    return authority_provision(authority, term, identifiable)


def _tally(values: dict[str, int], area: str | None = None) -> Tally:
    """A tally from stored values: one area's, or (None) the setting's, where a child compared
    in several areas counts once in `compared`."""
    t = Tally()
    spends = stored.areas(values)
    if area is not None:
        s = spends.get(area)
        if s is not None:
            t.children, t.cost = s.children, s.cost
        for f, v in stored.change(values, area).items():
            setattr(t, f, v)
        return t
    t.children = values.get("n", 0)
    t.cost = sum((s.cost for s in spends.values()), ZERO)
    changes = [stored.change(values, a) for a in spends]
    t.compared = max((c["compared"] for c in changes), default=0)
    for f in ("fell", "same", "rose", "total_change"):
        setattr(t, f, sum(c[f] for c in changes))
    return t


class _Place(NamedTuple):
    pk: int
    name: str
    locality_id: int = 0
    locality_name: str = ""

    def __str__(self) -> str:
        return self.name


_MEMO: dict[tuple[object, ...], Any] = {}
MEMO_MAX = 20_000


def _memo(key: tuple[object, ...], build: Any) -> Any:
    if key not in _MEMO:
        _MEMO[key] = build()
    return _MEMO[key]


def _stamp(row: Row | None) -> object:
    return row.stamp if row is not None else None


def _row_of(spend: dict[int, Row], change: dict[int, Row], pk: int) -> Row:
    a, b = spend.get(pk), change.get(pk)
    return Row(
        {**(a.values if a else {}), **(b.values if b else {})},
        {**(a.duplicates if a else {}), **(b.duplicates if b else {})},
        None,
    )


def authority_provision(
    authority: LocalAuthority, term: Term, identifiable: bool
) -> AuthorityProvision:
    """From the stored per-setting rows as at the term's end (ADR 25): settings are read, then
    summed to localities, areas and the whole authority, each child counted once in sums."""
    settings = [
        _Place(*row)
        for row in Setting.objects.filter(authority=authority)
        .order_by("name")
        .values_list("pk", "name", "locality_id", "locality__name")
    ]
    ids = [s.pk for s in settings]
    spend = store.rows(stored.SPEND, authority.pk, term.ends, ids, every_setting=True)
    change = store.rows(stored.CHANGE, authority.pk, term.ends, ids, every_setting=True)
    stamps = {pk: (_stamp(spend.get(pk)), _stamp(change.get(pk))) for pk in ids}
    if len(_MEMO) > MEMO_MAX:
        _MEMO.clear()
    by_locality_ids: dict[int, list[int]] = {}
    for s in settings:
        by_locality_ids.setdefault(s.locality_id, []).append(s.pk)
    # A setting's tally and a locality's sum are kept by their rows' stamps, so after a change
    # in one setting only that setting and its locality are worked out again.
    by_setting = {
        pk: _memo(("s", pk, *stamps[pk]), lambda pk=pk: _tally(_row_of(spend, change, pk).values))
        for pk in ids
    }
    sums = {
        loc: _memo(
            ("l", *((pk, *stamps[pk]) for pk in members)),
            lambda members=members: store.sums(
                {pk: _row_of(spend, change, pk) for pk in members}, {0: members}
            )[0],
        )
        for loc, members in by_locality_ids.items()
    }
    whole: dict[str, int] = {}
    for values in sums.values():
        store.add(whole, values)
    names = domain_names()
    found = {k.split(".")[1] for k in whole if k.startswith("a.")}
    by_area = {k: _tally(whole, k) for k in [*DOMAIN_KEYS, *sorted(found - set(DOMAIN_KEYS))]}
    by_locality = {pk: _tally(v) for pk, v in sums.items()}
    total = _tally(whole)
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
    localities = sorted({_Place(s.locality_id, s.locality_name) for s in settings}, key=str)
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
    used = stored.by_name(whole)[:MOST_USED]
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
    authority_id = Setting.objects.filter(pk=setting_id).values_list("authority_id", flat=True)
    row = store.rows(stored.SPEND, authority_id.get(), term.ends, [setting_id]).get(setting_id)
    values = row.values if row is not None else {}
    spend = stored.areas(values)  # the setting's stored row (ADR 32)
    children = values.get("n", 0)
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
