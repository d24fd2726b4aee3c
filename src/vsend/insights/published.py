"""The tables people who may not see children receive (ADR 9).

Every count passes through suppression.count on its own and every percentage is worked out
from counts already published, so the same count reads the same wherever it appears, and
nothing here carries more than the rounded counts. No means: a mean of a small group pins
its members' levels. Figures are as at the end of a term only, so two nearby dates cannot be
compared to single out a child who joined or left between them.
"""

from datetime import date
from typing import Any

from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import queries
from vsend.insights.queries import Block
from vsend.insights.suppression import count, pct
from vsend.insights.tables import Table
from vsend.insights.terms import Term, previous_term, term_containing


def as_at_term_end(as_at: date) -> date:
    """The end of the term containing as_at if as_at is that end, else of the term before."""
    term = term_containing(as_at)
    return as_at if as_at == term.ends else previous_term(term).ends


MIN_DETAIL = 10  # children profiled before a group's need, gaps and change are published


def detailed(block: Block) -> bool:
    """A group's need, complexity, gaps and change are published only when at least
    MIN_DETAIL children are profiled: split a handful of children five ways and the exact
    zeros alone pin the rest."""
    return block.cohort.profiled >= MIN_DETAIL


def block_tables(
    block: Block, names: dict[str, str], scale: queries.Scale | None = None
) -> list[Table]:
    scale = scale or queries.Scale()
    top, sig = scale.levels - 1, scale.significant
    c = block.cohort
    domains = [block.domains.get(k, queries.DomainStats(k)) for k in DOMAIN_KEYS]
    tables = [
        Table(
            "children",
            "Children",
            ["", "Children"],
            [
                [label, count(value)]
                for label, value in (
                    ("On roll", c.children),
                    ("With SEN", c.with_sen),
                    ("SEN support", c.sen_support),
                    ("EHC plan", c.ehc_plan),
                    ("With a current profile", c.profiled),
                    ("With SEN but no profile", c.sen_without_profile),
                    ("Reviews overdue", c.reviews_overdue),
                    ("Reviews due in the next 4 weeks", c.reviews_due),
                )
            ],
        )
    ]
    if not detailed(block):
        return tables
    rows = []
    for d in domains:
        below, significant, n = count(d.n - d.significant), count(d.significant), count(d.n)
        rows.append([names[d.key], below, significant, n, pct(significant, n)])
    tables.append(
        Table(
            "need_levels",
            "Need by area",
            [
                "Area",
                f"Below significant (levels 0 to {sig - 1})"
                if sig > 1
                else "Below significant (level 0)",
                f"Significant (levels {sig} to {top})"
                if sig < top
                else f"Significant (level {top})",
                "Children",
                "% significant",
            ],
            rows,
            "From each child's latest finalised profile.",
            chart="bars_column_2",
        )
    )
    tables.append(
        Table(
            "complexity",
            "Complexity: children by number of areas of significant need",
            ["Areas at significant need", "Children"],
            [[str(k), count(n)] for k, n in enumerate(block.complexity)]
            + [["All children profiled", count(sum(block.complexity))]],
            chart="bars",
        )
    )
    for key, title, what in (
        (
            "readiness_gaps",
            "Training and support priorities: need above the setting's readiness",
            "readiness_gap",
        ),
        (
            "confidence_gaps",
            "Home confidence: need above the family's confidence",
            "confidence_gap",
        ),
    ):
        rows = []
        for d in domains:  # in the areas' order: ranking would compare hidden counts
            shown = count(getattr(d, what))
            rows.append([names[d.key], shown, pct(shown, count(d.n))])
        tables.append(
            Table(key, title, ["Area", "Children", "% of children profiled"], rows, chart="bars")
        )
    for key, title, attr in (
        ("change_term", "Change in need since last term", "change_term"),
        ("change_year", "Change in need since a year ago", "change_year"),
    ):
        rows = []
        for k in DOMAIN_KEYS:
            ch = getattr(block, attr).get(k, queries.ChangeStats(k))
            rows.append([names[k], *(count(v) for v in (ch.improved, ch.same, ch.increased, ch.n))])
        tables.append(
            Table(
                key,
                title,
                ["Area", "Need fell", "No change", "Need rose", "Children compared"],
                rows,
                "Children reassessed since then (a newer profile now than then). A fall in need "
                "is an improvement.",
            )
        )
    return tables


def trend_table(
    terms: list[Term], figures_by_term: list[dict[str, tuple[int, int, int]]], names: dict[str, str]
) -> Table:
    rows = []
    for term, figures in zip(terms, figures_by_term, strict=True):
        most = max((figures.get(k, (0, 0, 0))[0] for k in DOMAIN_KEYS), default=0)
        profiled = count(most)
        shares = [
            pct(count(figures.get(k, (0, 0, 0))[2]), count(figures.get(k, (0, 0, 0))[0]))
            if most >= MIN_DETAIL
            else None
            for k in DOMAIN_KEYS
        ]
        rows.append([term.label, profiled, *shares])
    return Table(
        "trend",
        "Significant need by term (% of children profiled)",
        ["Term", "Children profiled", *[names[k] for k in DOMAIN_KEYS]],
        rows,
        "Each term as at its last day.",
        chart="lines_percent",
    )


SUMMARY_COLUMNS = [
    "",
    "Children",
    "With SEN",
    "Profiled",
    "SEN, no profile",
    "Reviews overdue",
    "Significant need in any area",
    "% of profiled",
]


def summary_row(label: str, b: Block) -> list[Any]:
    c = b.cohort
    profiled = sum(b.complexity)
    significant_any = count(profiled - b.complexity[0]) if detailed(b) else None
    return [
        label,
        *(
            count(v)
            for v in (
                c.children,
                c.with_sen,
                c.profiled,
                c.sen_without_profile,
                c.reviews_overdue,
            )
        ),
        significant_any,
        pct(significant_any, count(profiled)) if significant_any is not None else None,
    ]


def benchmark_rows(own: Block, locality: Block, total: Block, names: dict[str, str]) -> list[Any]:
    rows = []
    for k in DOMAIN_KEYS:
        stats = [
            b.domains.get(k, queries.DomainStats(k)) if detailed(b) else queries.DomainStats(k)
            for b in (own, locality, total)
        ]
        rows.append(
            [
                names[k],
                *[pct(count(d.significant), count(d.n)) for d in stats],
                *[pct(count(d.readiness_gap), count(d.n)) for d in stats],
            ]
        )
    return rows


# Provision spend (ADR 19): money is published only beside a count of at least MIN_DETAIL
# children, rounded to the nearest MONEY_ROUNDING pounds, so a spend cannot be divided back
# into one child's provision.
MONEY_ROUNDING = 100


def spend(value: Any, children: int) -> int | str | None:
    """A spend shown to someone who may not see the children, or None (withheld)."""
    if children <= 0:
        return 0
    if children < MIN_DETAIL:
        return None
    return int(MONEY_ROUNDING * round(float(value) / MONEY_ROUNDING))


def change_counts(compared: int, fell: int, same: int, rose: int) -> list[Any]:
    """Change in need among children compared: counts only, and only for MIN_DETAIL or more."""
    if compared < MIN_DETAIL:
        return [count(compared), None, None, None]
    return [count(compared), count(fell), count(same), count(rose)]


def timeliness_table(figures: Any, period: str) -> Table:
    """The statutory pathway's timeliness (vsend.statutory.timeliness.Timeliness), each count
    suppressed on its own and each share worked out from the published counts."""
    requests, decisions = count(figures.requests), count(figures.decisions)
    in_6 = count(figures.decisions_within_6_weeks)
    issued, in_20 = count(figures.plans_issued), count(figures.plans_within_20_weeks)
    issued_x = count(figures.plans_issued_without_exception)
    in_20_x = count(figures.plans_within_20_weeks_without_exception)
    return Table(
        "statutory_timeliness",
        f"EHC needs assessments, {period}",
        ["", "Count", "% within the time limit"],
        [
            ["Requests received", requests, None],
            ["Decisions whether to assess (6 weeks)", decisions, pct(in_6, decisions)],
            ["Final EHC plans issued (20 weeks)", issued, pct(in_20, issued)],
            [
                "Final EHC plans issued, no exception applying (20 weeks)",
                issued_x,
                pct(in_20_x, issued_x),
            ],
        ],
        "Counted from the day the local authority received each request.",
    )
