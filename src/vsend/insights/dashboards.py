"""Dashboards as tables: what the pages, the exports and the API all show.

A dashboard is a list of Tables built from the per-setting Blocks of queries.py. For viewers who
may not see children (LA officers, governors) every table is suppressed before it leaves here,
so no page, file or API response can show what another does not.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from vsend.accounts import policy
from vsend.accounts.roles import Role
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import queries
from vsend.insights.cache import cached
from vsend.insights.queries import Block, Filters, Scope
from vsend.insights.suppression import HIDDEN, WITHHELD, Relations, suppress_cells
from vsend.insights.suppression import THRESHOLD as SMALL
from vsend.insights.terms import Term, one_year_before, previous_term, recent_terms, term_containing
from vsend.organisations.models import LocalAuthority, Setting
from vsend.organisations.selectors import authorities_visible_to, settings_visible_to

TREND_TERMS = 6
DUE_WITHIN = timedelta(weeks=4)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    description: str = ""
    row_totals: bool = False  # the last column is each row's total
    links: list[list[str | None]] | None = None  # per cell, for viewers who may see children
    chart: str = ""  # "stacked" (levels by domain) or "bars" (first number column)
    source: Any = None  # for the benchmark: its rows in by_setting and by_locality

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "columns": self.columns, "rows": self.rows}


@dataclass
class Dashboard:
    title: str
    as_at: date
    term: Term
    filters: Filters
    identifiable: bool
    tables: list[Table] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return not self.identifiable


def domain_names() -> dict[str, str]:
    framework = registry.current("5_to_25")
    return {d.key: d.name for d in framework.domains}


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _mean(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def _link(base: dict[str, Any], **extra: Any) -> str:
    return "/children/?" + urlencode(
        {k: v for k, v in (base | extra).items() if v not in (None, "")}
    )


def _block_tables(
    block: Block, names: dict[str, str], link_base: dict[str, Any] | None, *, anonymous: bool
) -> list[Table]:
    """The tables every dashboard has. Anonymous versions group need into two bands, so fewer
    small counts relate to each other (and so fewer must be hidden)."""
    c = block.cohort
    link = (lambda **kw: _link(link_base, **kw)) if link_base is not None else (lambda **kw: None)
    empty = queries.DomainStats
    domains = [block.domains.get(k, empty(k)) for k in DOMAIN_KEYS]
    tables = [
        Table(
            "children",
            "Children",
            ["", "Children"],
            [
                ["On roll", c.children],
                ["With SEN", c.with_sen],
                ["SEN support", c.sen_support],
                ["EHC plan", c.ehc_plan],
                ["With a current profile", c.profiled],
                ["With SEN but no profile", c.sen_without_profile],
                ["Reviews overdue", c.reviews_overdue],
                ["Reviews due in the next 4 weeks", c.reviews_due],
            ],
            links=[
                [None, link()],
                [None, None],
                [None, link(sen_provision="K")],
                [None, link(sen_provision="E")],
                [None, link(profile="current")],
                [None, link(profile="none")],
                [None, link(profile="overdue")],
                [None, None],
            ],
        )
    ]
    if anonymous:
        tables.append(
            Table(
                "need_levels",
                "Need by area",
                [
                    "Area",
                    "Below significant (levels 0 to 2)",
                    "Significant (levels 3 and 4)",
                    "Children",
                    "% significant",
                    "Mean need",
                ],
                [
                    [
                        names[d.key],
                        d.n - d.significant,
                        d.significant,
                        d.n,
                        _pct(d.significant, d.n),
                        _mean(d.mean_need),
                    ]
                    for d in domains
                ],
                "From each child's latest finalised profile.",
                chart="bars_column_2",
            )
        )
    else:
        tables.append(
            Table(
                "need_levels",
                "Need by area: children at each level",
                ["Area", *[f"Level {i}" for i in range(queries.LEVELS)], "Children"],
                [[names[d.key], *d.levels, d.n] for d in domains],
                "From each child's latest finalised profile.",
                row_totals=True,
                chart="stacked",
                links=[
                    [None, *[link(domain=d.key, level=i) for i in range(queries.LEVELS)], None]
                    for d in domains
                ],
            )
        )
        tables.append(
            Table(
                "significant",
                "Significant need (level 3 or 4) by area",
                ["Area", "Children", "% of children profiled", "Mean need"],
                [
                    [names[d.key], d.significant, _pct(d.significant, d.n), _mean(d.mean_need)]
                    for d in domains
                ],
                links=[
                    [None, link(domain=d.key, min_level=queries.SIGNIFICANT), None, None]
                    for d in domains
                ],
                chart="bars",
            )
        )
    tables.append(
        Table(
            "complexity",
            "Complexity: children by number of areas of significant need",
            ["Areas at significant need", "Children"],
            [[str(k), n] for k, n in enumerate(block.complexity)]
            + [["All children profiled", sum(block.complexity)]],
            chart="bars",
        )
    )
    for key, title, gap, what in (
        (
            "readiness_gaps",
            "Training and support priorities: need above the setting's readiness",
            "readiness",
            "readiness_gap",
        ),
        (
            "confidence_gaps",
            "Home confidence: need above the family's confidence",
            "confidence",
            "confidence_gap",
        ),
    ):
        # Ranking would leak how hidden counts compare, so anonymous tables keep the areas' order.
        ranked = domains if anonymous else sorted(domains, key=lambda d: -getattr(d, what))
        rows = []
        for d in ranked:
            count, size = getattr(d, what), getattr(d, f"{what}_total")
            rows.append(
                [names[d.key], count, _pct(count, d.n), round(size / count, 2) if count else None]
            )
        tables.append(
            Table(
                key,
                title,
                ["Area", "Children", "% of children profiled", "Mean gap (levels)"],
                rows,
                "Largest first." if key == "readiness_gaps" and not anonymous else "",
                chart="bars",
                links=[[None, link(domain=d.key, gap=gap), None, None] for d in ranked],
            )
        )
    for key, title, attr in (
        ("change_term", "Change in need since last term", "change_term"),
        ("change_year", "Change in need since a year ago", "change_year"),
    ):
        rows = []
        for k in DOMAIN_KEYS:
            ch = getattr(block, attr).get(k, queries.ChangeStats(k))
            rows.append([names[k], ch.improved, ch.same, ch.increased, ch.n, _mean(ch.mean_change)])
        tables.append(
            Table(
                key,
                title,
                [
                    "Area",
                    "Need fell",
                    "No change",
                    "Need rose",
                    "Children compared",
                    "Mean change (levels)",
                ],
                rows,
                "Children reassessed since then (a newer profile now than then). A fall in need is an "
                "improvement.",
            )
        )
    return tables


def _summary_row(label: str, b: Block) -> list[Any]:
    c = b.cohort
    profiled = sum(b.complexity)
    significant_any = profiled - b.complexity[0]
    need_total = sum(d.need_total for d in b.domains.values())
    need_n = sum(d.n for d in b.domains.values())
    return [
        label,
        c.children,
        c.with_sen,
        c.profiled,
        c.sen_without_profile,
        c.reviews_overdue,
        significant_any,
        _pct(significant_any, profiled),
        _mean(need_total / need_n if need_n else None),
    ]


SUMMARY_COLUMNS = [
    "",
    "Children",
    "With SEN",
    "Profiled",
    "SEN, no profile",
    "Reviews overdue",
    "Significant need in any area",
    "% of profiled",
    "Mean need",
]
SUMMARY_COUNTS = range(1, 7)  # the count columns of a summary row


class _Joint:
    """All tables' cells in one grid, so relations can cross tables."""

    def __init__(self, tables: list[Table]) -> None:
        self.grid: list[list[Any]] = []
        self.offset: dict[str, int] = {}
        for t in tables:
            self.offset[t.key] = len(self.grid)
            self.grid.extend(t.rows)
        self.relations = Relations()

    def has(self, key: str) -> bool:
        return key in self.offset

    def cell(self, key: str, row: int, col: int) -> tuple[int, int]:
        return (self.offset[key] + row, col)

    def sum(self, parts: list[tuple[str, int, int]], total: tuple[str, int, int]) -> None:
        self.relations.sums.append(([self.cell(*p) for p in parts], self.cell(*total)))

    def same(self, a: tuple[str, int, int], b: tuple[str, int, int]) -> None:
        self.sum([a], b)
        self.sum([b], a)

    def pct(self, key: str, rows: int, pct_col: int, count_col: int) -> None:
        for r in range(rows):
            self.relations.derived.append(
                (self.cell(key, r, pct_col), self.cell(key, r, count_col))
            )


def _suppress_dashboard(
    tables: list[Table], setting_groups: list[tuple[int, list[int]]] | None = None
) -> None:
    """Suppress every table together, with every way their counts add up declared.

    setting_groups: for the authority dashboard, (row in by_locality, rows in by_setting) for
    each locality; by_locality's last row is the whole authority.
    """
    by_key = {t.key: t for t in tables}
    j = _Joint(tables)
    ch = "children"
    # Children: support + plans = with SEN; profiled + SEN without profile = with SEN (taken
    # as exact, which only ever hides more).
    j.sum([(ch, 2, 1), (ch, 3, 1)], (ch, 1, 1))
    j.sum([(ch, 4, 1), (ch, 5, 1)], (ch, 1, 1))
    n_levels = len(by_key["need_levels"].rows)
    need = by_key["need_levels"]
    if need.row_totals:  # the full distribution: levels add up to the row's total
        for r in range(n_levels):
            j.sum(
                [("need_levels", r, c) for c in range(1, len(need.columns) - 1)],
                ("need_levels", r, len(need.columns) - 1),
            )
    else:  # two bands add up to the total; the percentage shows the significant count
        for r in range(n_levels):
            j.sum([("need_levels", r, 1), ("need_levels", r, 2)], ("need_levels", r, 3))
        for count_col in (1, 2, 3):  # a percentage or mean gives away any count behind it
            j.pct("need_levels", n_levels, 4, count_col)
            j.pct("need_levels", n_levels, 5, count_col)
        for r in range(n_levels):  # every area is rated for every profiled child
            j.same(("need_levels", r, 3), (ch, 4, 1))
    if j.has("significant"):
        j.pct("significant", len(by_key["significant"].rows), 2, 1)
    cx = "complexity"
    j.sum([(cx, k, 1) for k in range(6)], (cx, 6, 1))
    j.same((cx, 6, 1), (ch, 4, 1))
    for key in ("readiness_gaps", "confidence_gaps"):
        j.pct(key, len(by_key[key].rows), 2, 1)
        j.pct(key, len(by_key[key].rows), 3, 1)
    for key in ("change_term", "change_year"):
        for r in range(len(by_key[key].rows)):
            j.sum([(key, r, 1), (key, r, 2), (key, r, 3)], (key, r, 4))
        for count_col in (1, 2, 3, 4):
            j.pct(key, len(by_key[key].rows), 5, count_col)
    if j.has("trend"):
        trend = by_key["trend"]
        j.same(("trend", len(trend.rows) - 1, 1), (ch, 4, 1))
        for col in range(2, len(trend.columns)):
            j.pct("trend", len(trend.rows), col, 1)
    if setting_groups is not None:
        loc, st = "by_locality", "by_setting"
        last = len(by_key[loc].rows) - 1
        for key in (loc, st):
            rows = len(by_key[key].rows)
            for r in range(rows):
                j.sum([(key, r, 3), (key, r, 4)], (key, r, 2))
            for count_col in SUMMARY_COUNTS:  # percentages and means give away counts behind them
                j.pct(key, rows, 7, count_col)
                j.pct(key, rows, 8, count_col)
        for col in SUMMARY_COUNTS:
            j.sum([(loc, r, col) for r in range(last)], (loc, last, col))
            for loc_row, setting_rows in setting_groups:
                j.sum([(st, r, col) for r in setting_rows], (loc, loc_row, col))
        # The whole-authority row repeats the children table; significant need in any area is
        # the profiled children less those with none.
        for col, row in ((1, 0), (2, 1), (3, 4), (4, 5), (5, 6)):
            j.same((loc, last, col), (ch, row, 1))
        j.sum([(loc, last, 6), (cx, 0, 1)], (ch, 4, 1))
    if j.has("benchmark"):
        _benchmark_relations(j, by_key, setting_groups)
    # Significant counts by area add up to the complexity rows weighted by their number of
    # areas: a relation with weights, so rather than solve it, hide those rows whenever any
    # significant count is hidden.
    shown = suppress_cells(j.grid, j.relations)
    sig_rows = range(j.offset["need_levels"], j.offset["need_levels"] + n_levels)
    sig_col = 2 if not need.row_totals else None
    if sig_col is not None and any(shown[r][sig_col] in (HIDDEN, WITHHELD) for r in sig_rows):
        force = {j.cell(cx, k, 1) for k in range(1, 6) if by_key[cx].rows[k][1]}
        shown = suppress_cells(j.grid, j.relations, force)
    for t in tables:
        start = j.offset[t.key]
        t.rows = shown[start : start + len(t.rows)]
        t.links = None


def _benchmark_relations(j: "_Joint", by_key: dict[str, Table], setting_groups: Any) -> None:
    """The benchmark's rates rest on the profiled counts of the setting, its locality and the
    authority: if a count is hidden, so is every rate built on it."""
    bench = by_key["benchmark"]
    setting_row, locality_row = bench.source
    last = len(by_key["by_locality"].rows) - 1
    for r in range(len(bench.rows)):
        for cols, (key, row) in (
            ((1, 4), ("by_setting", setting_row)),
            ((2, 5), ("by_locality", locality_row)),
            ((3, 6), ("by_locality", last)),
        ):
            for c in cols:
                j.relations.derived.append((j.cell("benchmark", r, c), j.cell(key, row, 3)))


def _dates(as_at: date) -> dict[str, date]:

    term = term_containing(as_at)
    return {
        "previous_term_end": previous_term(term).ends,
        "year_before": one_year_before(as_at),
        "due_by": as_at + DUE_WITHIN,
    }


def _blocks(scope: Scope, filters: Filters, as_at: date) -> dict[int, Block]:
    return cached(
        scope.authority_id,
        ("blocks", scope, filters, as_at),
        lambda: queries.blocks_by_setting(scope, filters, as_at, **_dates(as_at)),
    )


def _trend_table(scope: Scope, filters: Filters, as_at: date, names: dict[str, str]) -> Table:
    terms = recent_terms(as_at, TREND_TERMS)
    dates = [min(t.ends, as_at) for t in terms]
    rows = []
    figures_by_term = cached(
        scope.authority_id,
        ("trend", scope, filters, tuple(dates)),
        lambda: queries.trend(scope, filters, dates),
    )
    for term, figures in zip(terms, figures_by_term, strict=True):
        n = max((figures.get(k, (0, 0))[0] for k in DOMAIN_KEYS), default=0)
        means = [
            _mean(figures[k][1] / figures[k][0]) if figures.get(k, (0, 0))[0] else None
            for k in DOMAIN_KEYS
        ]
        rows.append([term.label, n, *means])
    return Table(
        "trend",
        "Mean need by term",
        ["Term", "Children profiled", *[names[k] for k in DOMAIN_KEYS]],
        rows,
        "Each term as at its last day (or today, for this term).",
        chart="lines",
    )


@dataclass(frozen=True)
class SettingView:
    """What one user sees of a setting: which children, and whether they may be identified.

    Decided by the single most open membership, never by mixing roles: a teacher who is also a
    governor sees their classes identifiably, or the whole setting anonymously, not both.
    """

    class_ids: tuple[int, ...] | None  # None: the whole setting
    identifiable: bool


def setting_view(user: Any, setting: Setting) -> SettingView:
    disclosure = policy.disclosure_for_setting(user, setting)
    return SettingView(disclosure.class_ids, disclosure.identifiable)


def teacher_classes(user: Any, setting: Setting) -> tuple[int, ...] | None:
    return setting_view(user, setting).class_ids


def setting_dashboard(
    user: Any, setting: Setting, filters: Filters, as_at: date, *, anonymous: bool = False
) -> Dashboard:
    names = domain_names()
    view = setting_view(user, setting)
    identifiable = view.identifiable and not anonymous
    if not identifiable:
        # Anonymous figures are for the whole setting, unfiltered: comparing two narrowed views
        # could otherwise single a child out by subtraction.
        view, filters = SettingView(None, False), Filters()
    scope = Scope(setting.authority_id, setting_id=setting.pk, class_ids=view.class_ids)
    blocks = _blocks(scope, filters, as_at)
    block = blocks.get(setting.pk, Block())
    today = timezone.localdate()
    link_base = (
        {"setting": setting.pk, **filters.as_query()} if identifiable and as_at >= today else None
    )
    dashboard = Dashboard(setting.name, as_at, term_containing(as_at), filters, identifiable)
    dashboard.tables = _block_tables(block, names, link_base, anonymous=not identifiable) + [
        _trend_table(scope, filters, as_at, names)
    ]
    if not identifiable:
        _suppress_dashboard(dashboard.tables)
    return dashboard


def authority_dashboard(
    user: Any,
    authority: LocalAuthority,
    filters: Filters,
    as_at: date,
    benchmark_setting: Setting | None = None,
) -> Dashboard:
    names = domain_names()
    identifiable = any(
        m.role == Role.PLATFORM_ADMIN
        or (m.role == Role.LA_ADMIN and m.authority_id == authority.pk)
        for m in user.active_memberships()
    )
    if not identifiable:
        filters = Filters()  # as for settings: no narrowed views to compare
    scope = Scope(authority.pk)
    blocks = _blocks(scope, filters, as_at)
    settings = sorted(
        Setting.objects.filter(authority=authority).select_related("locality"), key=lambda s: s.name
    )
    localities = sorted({s.locality for s in settings}, key=lambda loc: loc.name)
    by_locality = {loc.pk: Block() for loc in localities}
    total = Block()
    for setting in settings:
        block = blocks.get(setting.pk)
        if block is not None:
            by_locality[setting.locality_id].add(block)
            total.add(block)
    dashboard = Dashboard(authority.name, as_at, term_containing(as_at), filters, identifiable)
    tables = _block_tables(total, names, None, anonymous=not identifiable)
    tables[1:1] = [
        Table(
            "by_locality",
            "By locality",
            ["Locality", *SUMMARY_COLUMNS[1:]],
            [_summary_row(loc.name, by_locality[loc.pk]) for loc in localities]
            + [_summary_row("Whole authority", total)],
        ),
        Table(
            "by_setting",
            "By setting",
            ["Setting", *SUMMARY_COLUMNS[1:]],
            [_summary_row(s.name, blocks.get(s.pk, Block())) for s in settings],
        ),
    ]
    if benchmark_setting is not None:
        bench = _benchmark(
            benchmark_setting,
            blocks.get(benchmark_setting.pk, Block()),
            by_locality.get(benchmark_setting.locality_id, Block()),
            total,
            names,
            anonymous=not identifiable,
        )
        bench.source = (
            [s.pk for s in settings].index(benchmark_setting.pk),
            [loc.pk for loc in localities].index(benchmark_setting.locality_id),
        )
        tables.insert(1, bench)
    tables.append(_trend_table(scope, filters, as_at, names))
    dashboard.tables = tables
    if not identifiable:
        groups = [
            (i, [r for r, s in enumerate(settings) if s.locality_id == loc.pk])
            for i, loc in enumerate(localities)
        ]
        _suppress_dashboard(tables, groups)
    return dashboard


def _benchmark(
    setting: Setting,
    own: Block,
    locality: Block,
    total: Block,
    names: dict[str, str],
    *,
    anonymous: bool,
) -> Table:
    """A setting's rates beside its locality's and the authority's. A rate resting on a small
    count would show the count, so for anonymous viewers it is hidden like the count."""

    def rate(part: int, whole: int) -> Any:
        # A rate gives away its part, its whole, and the rest: hide it if any of them is small.
        if anonymous and any(0 < x < SMALL for x in (part, whole, whole - part)):
            return WITHHELD
        return _pct(part, whole)

    rows = []
    for k in DOMAIN_KEYS:
        stats = [b.domains.get(k, queries.DomainStats(k)) for b in (own, locality, total)]
        rows.append(
            [
                names[k],
                *[rate(d.significant, d.n) for d in stats],
                *[rate(d.readiness_gap, d.n) for d in stats],
            ]
        )
    return Table(
        "benchmark",
        f"{setting.name} against its locality and the authority",
        [
            "Area",
            "Significant need %: setting",
            "locality",
            "authority",
            "Readiness gap %: setting",
            "locality",
            "authority",
        ],
        rows,
        "Percentages of the children profiled in each.",
    )


def may_view_setting(user: Any, setting: Setting) -> bool:
    """A membership that grants the setting dashboard and covers this setting."""
    return policy.may_view_setting(user, setting)


def may_view_authority(user: Any, authority: LocalAuthority) -> bool:
    return policy.may_view_authority(user, authority)


def setting_for(actor: Actor, pk: int) -> Setting:
    """A setting whose dashboard the actor may open. Outside their organisations: 404; within
    them without the dashboard: 403. Both refusals are audited."""
    setting = settings_visible_to(actor.user).filter(pk=pk).first()
    if setting is None:
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="setting",
            object_id=pk,
            summary="Setting dashboard outside the user's scope",
        )
        raise Http404("No setting found")
    if not may_view_setting(actor.user, setting):
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="setting",
            object_id=pk,
            summary="The user's role does not allow this",
        )
        raise PermissionDenied
    return setting


def authority_for(actor: Actor, chosen: str | None) -> LocalAuthority:
    """The authority asked for, or the first the user may see. One outside the user's
    organisations: 404; a user with no authority dashboard: 403."""
    viewable = [a for a in authorities_visible_to(actor.user) if may_view_authority(actor.user, a)]
    if chosen:
        authority = next((a for a in viewable if str(a.pk) == chosen), None)
        if authority is None:
            record(
                actor,
                Action.ACCESS_REFUSED,
                object_type="authority_insight",
                object_id=chosen[:20],
                summary="Authority dashboard outside the user's scope",
            )
            raise Http404("No authority found")
        return authority
    if not viewable:
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="authority_insight",
            summary="Authority dashboard refused",
        )
        raise PermissionDenied
    return viewable[0]
