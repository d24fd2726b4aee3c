"""The setting dashboard's own tables: needs by year group and by class side by side, and the
prevalence of each type of need (identifiable viewers only; see breakdowns.py)."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from vsend.children.census import NeedType
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import breakdowns
from vsend.insights.cache import cached, cached_by_stamp
from vsend.insights.queries import Filters, Scale, Scope
from vsend.insights.tables import Table
from vsend.organisations.models import SchoolClass, Setting, YearGroup


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def tables(
    setting: Setting,
    scope: Scope,
    filters: Filters,
    as_at: date,
    link_base: dict[str, Any] | None,
    names: dict[str, str],
    scale: Scale,
    stamp: object = None,
) -> list[Table]:
    """stamp: the setting's stored row's, when the figures come from it; the breakdowns are
    then kept until that setting's figures change, not until any change in the authority."""

    def link(**kw: Any) -> str | None:
        if link_base is None:
            return None
        return "/children/?" + urlencode(
            {k: v for k, v in (link_base | kw).items() if v not in (None, "")}
        )

    sen_link = {} if (link_base or {}).get("sen_provision") else {"sen_provision": "with_sen"}

    def compute() -> tuple[Any, Any, Any]:
        return (
            breakdowns.by_group(scope, filters, as_at, "year", scale),
            breakdowns.by_group(scope, filters, as_at, "class", scale),
            breakdowns.by_need_type(scope, filters, as_at),
        )

    key = ("breakdowns", scope, filters, as_at, scale)
    if stamp is not None:
        years, classes, needs = cached_by_stamp((*key, stamp), compute)
    else:
        years, classes, needs = cached(scope.authority_id, key, compute)
    year_of = {y.pk: y for y in YearGroup.objects.filter(setting=setting)}
    class_of = {c.pk: c for c in SchoolClass.objects.filter(setting=setting)}
    columns = [
        "Children",
        "With SEN",
        "Profiled",
        "Significant need in any area",
        *[names[k] for k in DOMAIN_KEYS],
    ]
    out = []
    for table_key, title, groups, label, narrow in (
        (
            "by_year_group",
            "Needs by year group",
            sorted(years, key=lambda g: year_of[g.key].position if g.key in year_of else 99),
            lambda g: year_of[g.key].name if g.key in year_of else "No year group recorded",
            lambda g: {"year": year_of[g.key].code} if g.key in year_of else None,
        ),
        (
            "by_class",
            "Needs by class",
            sorted(classes, key=lambda g: class_of[g.key].name if g.key in class_of else "~"),
            lambda g: class_of[g.key].name if g.key in class_of else "No class recorded",
            lambda g: {"school_class": g.key} if g.key in class_of else None,
        ),
    ):
        rows: list[list[Any]] = []
        links: list[list[str | None]] = []
        for g in groups:
            rows.append(
                [
                    label(g),
                    g.children,
                    g.with_sen,
                    g.profiled,
                    g.significant_any,
                    *[g.significant[k] for k in DOMAIN_KEYS],
                ]
            )
            where = narrow(g)
            links.append(
                [None, link(**where), link(**where, **sen_link), None, None]
                + [link(**where, domain=k, min_level=scale.significant) for k in DOMAIN_KEYS]
                if where is not None
                else [None for _ in range(len(columns) + 1)]
            )
        out.append(
            Table(
                table_key,
                title,
                ["Year group" if table_key == "by_year_group" else "Class", *columns],
                rows,
                "Children at significant need (level "
                f"{scale.significant} or above) in each area, from their current profiles.",
                links=links,
            )
        )
    labels = dict(NeedType.choices)
    total = sum(k + e for _, k, e in needs)
    rows = []
    links = []
    for need, k, e in sorted(needs, key=lambda n: -(n[1] + n[2])):
        rows.append([labels.get(need, need or "Not recorded"), k, e, k + e, _pct(k + e, total)])
        links.append(
            [None, link(need=need, sen_provision="K"), link(need=need, sen_provision="E")]
            + [link(need=need, **sen_link) if need else None, None]
        )
    out.append(
        Table(
            "need_types",
            "Children with SEN by primary type of need",
            [
                "Primary type of need",
                "SEN support",
                "EHC plan",
                "All with SEN",
                "% of children with SEN",
            ],
            rows,
            "Each child's primary type of need, as recorded for the school census.",
            chart="bars",
            links=links,
        )
    )
    return out
