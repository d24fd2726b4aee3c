"""The tables for viewers who may see the children: exact counts, means, and links to the
children behind each figure (the same cohort, see cohort.py)."""

from typing import Any
from urllib.parse import urlencode

from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import queries
from vsend.insights.queries import Block, Scale
from vsend.insights.tables import Table
from vsend.organisations.models import Setting


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _mean(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def _link(base: dict[str, Any], **extra: Any) -> str:
    return "/children/?" + urlencode(
        {k: v for k, v in (base | extra).items() if v not in (None, "")}
    )


def block_tables(
    block: Block, names: dict[str, str], link_base: dict[str, Any] | None, scale: Scale
) -> list[Table]:
    """The tables every dashboard has, for viewers who may see the children."""
    c = block.cohort
    link = (lambda **kw: _link(link_base, **kw)) if link_base is not None else (lambda **kw: None)
    empty = queries.DomainStats
    domains = [block.domains.get(k, empty(k, levels=[0] * scale.levels)) for k in DOMAIN_KEYS]
    top = scale.levels - 1
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
                # Already narrowed to one provision: those are the children with SEN shown.
                [
                    None,
                    link()
                    if (link_base or {}).get("sen_provision")
                    else link(sen_provision="with_sen"),
                ],
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
            ["Area", *[f"Level {i}" for i in range(scale.levels)], "Children"],
            [[names[d.key], *d.levels, d.n] for d in domains],
            "From each child's latest finalised profile.",
            row_totals=True,
            chart="stacked",
            links=[
                [None, *[link(domain=d.key, level=i) for i in range(scale.levels)], None]
                for d in domains
            ],
        )
    )
    tables.append(
        Table(
            "significant",
            f"Significant need (level {scale.significant} to {top}) by area"
            if scale.significant < top
            else f"Significant need (level {top}) by area",
            ["Area", "Children", "% of children profiled", "Mean need"],
            [
                [names[d.key], d.significant, _pct(d.significant, d.n), _mean(d.mean_need)]
                for d in domains
            ],
            links=[
                [None, link(domain=d.key, min_level=scale.significant), None, None] for d in domains
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
    if c.profiled > sum(block.complexity):
        tables[1].description += (
            f" {c.profiled - sum(block.complexity)} children's current profiles use a framework "
            "with a different scale and are not counted in the need tables."
        )
    return tables


def summary_row(label: str, b: Block) -> list[Any]:
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


def benchmark(
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
