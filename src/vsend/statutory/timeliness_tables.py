"""The authority's statutory timeliness as published tables: the term, each month, each
locality and each setting, summed from the stored per-setting rows (statutory/stored.py) and
shown only through the disclosure control (ADR 11): every count through `suppression.count`,
every share worked out from published counts. tests/test_disclosure_attack.py runs the
differencing attack against exactly these tables."""

from dataclasses import dataclass
from typing import Any

from vsend.insights import suppression
from vsend.insights.published import timeliness_table
from vsend.insights.suppression import pct
from vsend.insights.tables import Table
from vsend.insights.terms import Term
from vsend.organisations.models import LocalAuthority, Setting
from vsend.statutory import stored

COLUMNS = [
    "",
    "Requests",
    "Decisions",
    "Decided within 6 weeks (%)",
    "Final plans issued",
    "Issued within 20 weeks (%)",
    "Reviews held",
    "Held by the due date (%)",
]
# What each column after the first counts (a share: its numerator over the column before).
FIELDS = (
    "requests",
    "decisions",
    "decisions_within_6_weeks",
    "plans_issued",
    "plans_within_20_weeks",
    "held",
    "held_on_time",
)


def count(value: int) -> int | str:
    return suppression.count(value)  # looked up on each call, so a test may swap the rule


def _row(label: str, values: dict[str, int], month: str | None = None) -> list[Any]:
    t = stored.term_figures(values, month)
    r = stored.review_figures(values, month)
    decisions, issued, held = count(t.decisions), count(t.plans_issued), count(r.held)
    return [
        label,
        count(t.requests),
        decisions,
        pct(count(t.decisions_within_6_weeks), decisions),
        issued,
        pct(count(t.plans_within_20_weeks), issued),
        held,
        pct(count(r.held_on_time), held),
    ]


@dataclass
class Published:
    term: Term
    tables: list[Table]
    # For the attack: which settings each locality row sums, and each setting row's setting.
    localities: dict[str, list[int]]
    settings: dict[str, int]
    months: list[str]


def published_timeliness(authority: LocalAuthority, term: Term) -> Published:
    settings = list(
        Setting.objects.filter(authority=authority).select_related("locality").order_by("name")
    )
    localities: dict[str, list[int]] = {}
    for s in settings:
        localities.setdefault(s.locality.name, []).append(s.pk)
    groups: dict[object, list[int]] = {"all": [s.pk for s in settings]}
    groups |= {("locality", name): ids for name, ids in localities.items()}
    groups |= {("setting", s.pk): [s.pk] for s in settings}
    sums = stored.read(authority.pk, term.ends, groups)
    whole = sums["all"]
    months = [key for key, _, _ in stored.months(term)]
    month_names = {key: first.strftime("%B %Y") for key, first, _ in stored.months(term)}
    tables = [
        timeliness_table(stored.term_figures(whole), term.label),
        Table(
            "timeliness_by_month",
            f"By month, {term.label}",
            ["Month", *COLUMNS[1:]],
            [_row(month_names[m], whole, m) for m in months],
            "Each step counts in the month it happened. Reviews are annual reviews of EHC plans, "
            "due 12 months after the plan or the last review (6 months under age 5).",
        ),
        Table(
            "timeliness_by_locality",
            f"By locality, {term.label}",
            ["Locality", *COLUMNS[1:]],
            [_row(name, sums[("locality", name)]) for name in sorted(localities)]
            + [_row("Whole authority", whole)],
            "A case counts at the setting that asked, else the child's setting today. The whole "
            "authority also counts children at no setting.",
        ),
        Table(
            "timeliness_by_setting",
            f"By setting, {term.label}",
            ["Setting", *COLUMNS[1:]],
            [_row(s.name, sums[("setting", s.pk)]) for s in settings],
        ),
    ]
    return Published(
        term, tables, localities, {s.name: s.pk for s in settings}, [month_names[m] for m in months]
    )
