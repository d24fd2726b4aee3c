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
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import published, queries, suppression
from vsend.insights.cache import cached
from vsend.insights.queries import Block, Filters, Scope
from vsend.insights.tables import Table
from vsend.insights.terms import Term, one_year_before, previous_term, recent_terms, term_containing
from vsend.organisations.models import LocalAuthority, SchoolClass, Setting
from vsend.organisations.selectors import authorities_visible_to, settings_visible_to

TREND_TERMS = 6
DUE_WITHIN = timedelta(weeks=4)


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

    @property
    def note(self) -> str:
        return suppression.NOTE if self.suppressed else ""


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
    block: Block, names: dict[str, str], link_base: dict[str, Any] | None
) -> list[Table]:
    """The tables every dashboard has, for viewers who may see the children."""
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
        ranked = sorted(domains, key=lambda d: -getattr(d, what))
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
                "Largest first." if key == "readiness_gaps" else "",
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


def _trend_table(
    scope: Scope, filters: Filters, as_at: date, names: dict[str, str], *, anonymous: bool
) -> Table:
    terms = recent_terms(as_at, TREND_TERMS)
    dates = [min(t.ends, as_at) for t in terms]
    figures_by_term = cached(
        scope.authority_id,
        ("trend", scope, filters, tuple(dates)),
        lambda: queries.trend(scope, filters, dates),
    )
    if anonymous:
        return published.trend_table(terms, figures_by_term, names)
    rows = []
    for term, figures in zip(terms, figures_by_term, strict=True):
        n = max((figures.get(k, (0, 0, 0))[0] for k in DOMAIN_KEYS), default=0)
        means = [
            _mean(figures[k][1] / figures[k][0]) if figures.get(k, (0, 0, 0))[0] else None
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


def _setting_title(setting: Setting, class_ids: tuple[int, ...] | None) -> str:
    """The setting's name, or for a teacher the classes the figures are about."""
    if class_ids is None:
        return setting.name
    names = sorted(SchoolClass.objects.filter(pk__in=class_ids).values_list("name", flat=True))
    if not names:
        return f"your classes at {setting.name} (none yet)"
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{'class' if len(names) == 1 else 'classes'} {joined} at {setting.name}"


def setting_dashboard(
    user: Any, setting: Setting, filters: Filters, as_at: date, *, anonymous: bool = False
) -> Dashboard:
    names = domain_names()
    view = setting_view(user, setting)
    identifiable = view.identifiable and not anonymous
    if not identifiable:
        # Whole setting, unfiltered, as at a term end: comparing narrowed views or nearby dates
        # could otherwise single a child out by subtraction.
        view, filters, as_at = SettingView(None, False), Filters(), published.as_at_term_end(as_at)
    scope = Scope(setting.authority_id, setting_id=setting.pk, class_ids=view.class_ids)
    blocks = _blocks(scope, filters, as_at)
    block = blocks.get(setting.pk, Block())
    dashboard = Dashboard(
        _setting_title(setting, view.class_ids),
        as_at,
        term_containing(as_at),
        filters,
        identifiable,
    )
    if identifiable:
        today = timezone.localdate()
        link_base = {"setting": setting.pk, **filters.as_query()} if as_at >= today else None
        tables = _block_tables(block, names, link_base)
    else:
        tables = published.block_tables(block, names)
    dashboard.tables = [
        *tables,
        _trend_table(scope, filters, as_at, names, anonymous=not identifiable),
    ]
    return dashboard


def published_setting_counts(authority: LocalAuthority) -> tuple[date, dict[int, list[Any]]]:
    """For an anonymous viewer's home page: each setting's children, SEN support and EHC plans,
    as published on the dashboards (as at the end of the last term, rounded)."""
    as_at = published.as_at_term_end(timezone.localdate())
    blocks = _blocks(Scope(authority.pk), Filters(), as_at)
    counts = {}
    for pk, b in blocks.items():
        c = b.cohort
        counts[pk] = [suppression.count(v) for v in (c.children, c.sen_support, c.ehc_plan)]
    return as_at, counts


def authority_identifiable(user: Any, authority: LocalAuthority) -> bool:
    return policy.disclosure_for_authority(user, authority) is policy.Disclosure.IDENTIFIABLE


def authority_dashboard(
    user: Any,
    authority: LocalAuthority,
    filters: Filters,
    as_at: date,
    benchmark_setting: Setting | None = None,
) -> Dashboard:
    names = domain_names()
    identifiable = authority_identifiable(user, authority)
    if not identifiable:  # as for settings: no narrowed views or nearby dates to compare
        filters, as_at = Filters(), published.as_at_term_end(as_at)
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
    if identifiable:
        tables, row, columns = _block_tables(total, names, None), _summary_row, SUMMARY_COLUMNS
    else:
        tables, row = published.block_tables(total, names), published.summary_row
        columns = published.SUMMARY_COLUMNS
    tables[1:1] = [
        Table(
            "by_locality",
            "By locality",
            ["Locality", *columns[1:]],
            [row(loc.name, by_locality[loc.pk]) for loc in localities]
            + [row("Whole authority", total)],
        ),
        Table(
            "by_setting",
            "By setting",
            ["Setting", *columns[1:]],
            [row(s.name, blocks.get(s.pk, Block())) for s in settings],
        ),
    ]
    if benchmark_setting is not None:
        parts = (
            blocks.get(benchmark_setting.pk, Block()),
            by_locality.get(benchmark_setting.locality_id, Block()),
            total,
        )
        rows = published.benchmark_rows(*parts, names) if not identifiable else None
        tables.insert(1, _benchmark(benchmark_setting, *parts, names, rows))
    tables.append(_trend_table(scope, filters, as_at, names, anonymous=not identifiable))
    dashboard.tables = tables
    return dashboard


def _benchmark(
    setting: Setting,
    own: Block,
    locality: Block,
    total: Block,
    names: dict[str, str],
    rows: list[Any] | None,
) -> Table:
    """A setting's rates beside its locality's and the authority's (for anonymous viewers,
    `rows` worked out from published counts)."""
    if rows is None:
        rows = []
        for k in DOMAIN_KEYS:
            stats = [b.domains.get(k, queries.DomainStats(k)) for b in (own, locality, total)]
            rows.append(
                [
                    names[k],
                    *[_pct(d.significant, d.n) for d in stats],
                    *[_pct(d.readiness_gap, d.n) for d in stats],
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
        # Recorded against the authority that owns the setting, if it exists, for its audit page.
        owner = Setting.objects.filter(pk=pk).values_list("authority_id", flat=True).first()
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="setting",
            object_id=pk,
            authority_id=owner,
            summary="Setting dashboard outside the user's scope",
            detail={"reason": "outside_scope"},
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
