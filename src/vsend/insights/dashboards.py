"""Dashboards as tables: what the pages, the exports and the API all show.

A dashboard is a list of Tables built from figures.py (stored rows, or computed for filtered
views). For viewers who may not see children (LA officers, governors) every table is suppressed
before it leaves here (published.py), so no page, file or API response can show what another
does not. Who may see what is decided in access.py; the staff tables are in staff_tables.py.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import figures as figures_
from vsend.insights import published, setting_tables, suppression
from vsend.insights.access import (  # noqa: F401 - the names other modules use from here
    SettingView,
    authority_for,
    authority_identifiable,
    may_view_authority,
    may_view_setting,
    setting_for,
    setting_view,
    teacher_classes,
)
from vsend.insights.aggregate import DUE_WITHIN, Dates, dates_for
from vsend.insights.queries import Block, Filters, Scale, Scope
from vsend.insights.staff_tables import SUMMARY_COLUMNS, benchmark, block_tables, summary_row
from vsend.insights.staff_tables import _mean as _mean
from vsend.insights.tables import Table
from vsend.insights.terms import Term, recent_terms, term_containing
from vsend.organisations.models import LocalAuthority, SchoolClass, Setting

TREND_TERMS = 6
__all__ = ["DUE_WITHIN", "Dashboard", "Table"]


@dataclass
class Dashboard:
    title: str
    as_at: date
    term: Term
    filters: Filters
    identifiable: bool
    tables: list[Table] = field(default_factory=list)
    scale: Scale = field(default_factory=Scale)

    @property
    def suppressed(self) -> bool:
        return not self.identifiable

    @property
    def note(self) -> str:
        return suppression.NOTE if self.suppressed else ""


def domain_names() -> dict[str, str]:
    framework = registry.dashboard_framework()
    return {d.key: d.name for d in framework.domains}


def _dates(as_at: date) -> Dates:
    return dates_for(as_at)


def _blocks(scope: Scope, filters: Filters, as_at: date) -> dict[int, Block]:
    """Each setting's figures (kept for the disclosure benchmark)."""
    return figures_.figures(scope, filters, as_at).settings()


def _trend_table(
    scope: Scope, filters: Filters, as_at: date, names: dict[str, str], *, anonymous: bool
) -> Table:
    terms = recent_terms(as_at, TREND_TERMS)
    dates = [min(t.ends, as_at) for t in terms]
    figures_by_term = figures_.trend(scope, filters, dates)
    if anonymous:
        return published.trend_table(terms, figures_by_term, names)
    rows = []
    for term, points in zip(terms, figures_by_term, strict=True):
        n = max((points.get(k, (0, 0, 0))[0] for k in DOMAIN_KEYS), default=0)
        means = [
            _mean(points[k][1] / points[k][0]) if points.get(k, (0, 0, 0))[0] else None
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
    found = figures_.figures(scope, filters, as_at)
    block = found.setting(setting.pk)
    dashboard = Dashboard(
        _setting_title(setting, view.class_ids),
        as_at,
        term_containing(as_at),
        filters,
        identifiable,
        scale=found.scale,
    )
    if identifiable:
        today = timezone.localdate()
        link_base = {"setting": setting.pk, **filters.as_query()} if as_at >= today else None
        tables = block_tables(block, names, link_base, found.scale)
        stamp = found.stamps.get(setting.pk) if found.stamps is not None else None
        tables += setting_tables.tables(
            setting, scope, filters, as_at, link_base, names, found.scale, stamp
        )
    else:
        tables = published.block_tables(block, names, found.scale)
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
    found = figures_.figures(scope, filters, as_at)
    settings = sorted(
        Setting.objects.filter(authority=authority)
        .select_related("locality")
        .only("name", "authority_id", "locality__name"),
        key=lambda s: s.name,
    )
    localities = sorted({s.locality for s in settings}, key=lambda loc: loc.name)
    by_locality = {
        loc.pk: found.group([s.pk for s in settings if s.locality_id == loc.pk])
        for loc in localities
    }
    total = found.group([s.pk for s in settings])
    dashboard = Dashboard(
        authority.name, as_at, term_containing(as_at), filters, identifiable, scale=found.scale
    )
    if identifiable:
        tables = block_tables(total, names, None, found.scale)
        row, columns = summary_row, SUMMARY_COLUMNS
    else:
        tables, row = published.block_tables(total, names, found.scale), published.summary_row
        columns = published.SUMMARY_COLUMNS
    tables[1:1] = [
        Table(
            "by_locality",
            "By locality",
            ["Locality", *columns[1:]],
            [row(loc.name, by_locality[loc.pk]) for loc in localities]
            + [row("Whole authority", total)],
            "A child registered at two settings counts once, where they were registered first.",
        ),
        Table(
            "by_setting",
            "By setting",
            ["Setting", *columns[1:]],
            [row(s.name, found.setting(s.pk)) for s in settings],
        ),
    ]
    if benchmark_setting is not None:
        parts = (
            found.setting(benchmark_setting.pk),
            by_locality.get(benchmark_setting.locality_id, Block()),
            total,
        )
        rows = published.benchmark_rows(*parts, names) if not identifiable else None
        tables.insert(1, benchmark(benchmark_setting, *parts, names, rows))
    tables.append(_trend_table(scope, filters, as_at, names, anonymous=not identifiable))
    dashboard.tables = tables
    return dashboard
