"""The cost arithmetic (ADR 19), on plain values so it can be checked by hand.

- A term is the codebase's term (insights.terms: autumn 1 September to 31 December, spring
  1 January to 31 March, summer 1 April to 31 August). Each has a stated number of teaching
  weeks (TEACHING_WEEKS: its school weeks less half-term, 14 + 12 + 13 = 39 a year); a
  provision's sessions a week times those weeks is a whole term's sessions.
- A staff role's hourly cost changes from a date (Rate.hourly_changes), and so does a
  provision's own cost, its basis and amount (Rate.cost_changes): sessions before the date keep
  the old cost, so a change never rewrites a term that has closed. A term is cut at the date.
- Dates pro-rate by days: a place that is open for half a term's days gets half its sessions.
- The cost of each session is divided by the number of children in the group at that time: the
  term is cut where places start and end, and each piece is shared by the children in it. So
  the children's shares always add up to the group's cost.
- A missed session (for the whole group, or for one child) is not received: it comes off the
  sessions and hours received and off the cost, at that day's share.
- Per-term costs are pro-rated and shared like sessions; a one-off cost falls in the term the
  group starts (at the cost that applied that day), shared by the children with a place in
  that term.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from vsend.insights.terms import Term, term_containing

# The stated teaching year (ADR 32): each school term's weeks in school less its half-term
# week, 39 weeks a year. vsend's terms (insights.terms) run from 1 September, 1 January and
# 1 April to the day before the next, holidays included, so a term's sessions are its teaching
# weeks times sessions a week, spread evenly over its calendar days when a place pro-rates.
SCHOOL_TERMS = {  # season: (weeks from the first to the last day of school, half-term weeks)
    "autumn": (15, 1),
    "spring": (13, 1),
    "summer": (14, 1),
}
TEACHING_WEEKS = {season: Decimal(w - h) for season, (w, h) in SCHOOL_TERMS.items()}
TEACHING_WEEKS_A_YEAR = sum(TEACHING_WEEKS.values())
assert TEACHING_WEEKS_A_YEAR == 39  # noqa: S101 - the stated year; tests/test_provision_costs.py
ZERO = Decimal(0)
SIXTY = Decimal(60)


@dataclass(frozen=True)
class Rate:
    """What a provision costs and how often it runs."""

    basis: str  # CostBasis value
    sessions_per_week: Decimal
    session_minutes: int
    cost: Decimal = ZERO  # per session, per term or one-off
    hourly: Decimal = ZERO  # the staff role's hourly cost (per staff hour)
    # Changes of the hourly cost: (applies from, hourly cost), oldest first. Before the first,
    # `hourly` applies; from each date on, that rate (ADR 32).
    hourly_changes: tuple[tuple[date, Decimal], ...] = ()
    # Changes of the provision's own cost: (applies from, basis, cost), oldest first. Before the
    # first, `basis` and `cost` apply; from each date on, that basis and cost (ADR 32).
    cost_changes: tuple[tuple[date, str, Decimal], ...] = ()

    def basis_and_cost_on(self, day: date) -> tuple[str, Decimal]:
        basis, cost = self.basis, self.cost
        for starts, b, c in self.cost_changes:
            if starts <= day:
                basis, cost = b, c
        return basis, cost

    def change_days(self, term: Term) -> set[date]:
        """The days within a term (after its first) where the cost changes."""
        days = {d for d, _ in self.hourly_changes} | {d for d, _, _ in self.cost_changes}
        return {d for d in days if term.starts < d <= term.ends}

    def hourly_on(self, day: date) -> Decimal:
        rate = self.hourly
        for starts, hourly in self.hourly_changes:
            if starts <= day:
                rate = hourly
        return rate

    def session_cost_on(self, day: date) -> Decimal:
        basis, cost = self.basis_and_cost_on(day)
        if basis == "staff_hour":
            return self.hourly_on(day) * Decimal(self.session_minutes) / SIXTY
        if basis == "session":
            return cost
        return ZERO

    @property
    def session_cost(self) -> Decimal:
        return self.session_cost_on(date.max)


@dataclass(frozen=True)
class Span:
    """A child's place: its key and dates (already within the group's)."""

    key: int
    starts: date
    ends: date


@dataclass(frozen=True)
class Miss:
    day: date
    key: int | None = None  # a place; None for the whole group


@dataclass
class Figures:
    planned: Decimal = ZERO
    missed: Decimal = ZERO
    cost: Decimal = ZERO

    def received(self) -> Decimal:
        return max(self.planned - self.missed, ZERO)

    def hours(self, minutes: int) -> Decimal:
        return self.received() * Decimal(minutes) / SIXTY


@dataclass
class TermFigures:
    term: Term
    places: dict[int, Figures] = field(default_factory=dict)


def term_days(term: Term) -> int:
    return (term.ends - term.starts).days + 1


def window(span: Span, term: Term) -> tuple[date, date] | None:
    starts, ends = max(span.starts, term.starts), min(span.ends, term.ends)
    return (starts, ends) if starts <= ends else None


def terms_between(starts: date, ends: date) -> list[Term]:
    terms = [term_containing(starts)]
    while terms[-1].ends < ends:
        terms.append(term_containing(terms[-1].ends + timedelta(days=1)))
    return terms


def term_figures(
    rate: Rate, spans: Sequence[Span], misses: Iterable[Miss], term: Term, group_starts: date
) -> TermFigures:
    """Each place's planned and missed sessions and cost in one term."""
    out = TermFigures(term)
    windows = {s.key: w for s in spans if (w := window(s, term)) is not None}
    if not windows:
        return out
    for key in windows:
        out.places[key] = Figures()
    days = Decimal(term_days(term))
    whole_term_sessions = rate.sessions_per_week * TEACHING_WEEKS[term.season]
    cuts = sorted(
        {w[0] for w in windows.values()}
        | {w[1] + timedelta(days=1) for w in windows.values()}
        | rate.change_days(term)
    )
    for piece_start, piece_next in zip(cuts, cuts[1:], strict=False):
        present = [
            k
            for k, (a, b) in windows.items()
            if a <= piece_start and piece_next - timedelta(days=1) <= b
        ]
        if not present:
            continue
        share_of_term = Decimal((piece_next - piece_start).days) / days
        sessions = whole_term_sessions * share_of_term
        n = Decimal(len(present))
        basis, cost = rate.basis_and_cost_on(piece_start)
        for k in present:
            f = out.places[k]
            f.planned += sessions
            f.cost += sessions * rate.session_cost_on(piece_start) / n
            if basis == "term":
                f.cost += cost * share_of_term / n
    for miss in misses:
        if not term.starts <= miss.day <= term.ends:
            continue
        present = [k for k, (a, b) in windows.items() if a <= miss.day <= b]
        hit = present if miss.key is None else [k for k in present if k == miss.key]
        for k in hit:
            f = out.places[k]
            f.missed += 1
            f.cost -= rate.session_cost_on(miss.day) / Decimal(len(present))
    basis, cost = rate.basis_and_cost_on(group_starts)
    if basis == "fixed" and term.starts <= group_starts <= term.ends:
        for k in windows:
            out.places[k].cost += cost / Decimal(len(windows))
    for f in out.places.values():
        if f.missed > f.planned:  # never below nothing received
            f.missed = f.planned
        f.cost = max(f.cost, ZERO)
    return out


def group_figures(
    rate: Rate, spans: Sequence[Span], misses: Sequence[Miss], starts: date, ends: date
) -> list[TermFigures]:
    """Every term the group runs in."""
    return [term_figures(rate, spans, misses, t, starts) for t in terms_between(starts, ends)]
