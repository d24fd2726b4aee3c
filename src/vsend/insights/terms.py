"""School terms: the natural unit for tracking change."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Term:
    season: str  # autumn, spring, summer
    year: int  # the calendar year the term is in
    starts: date
    ends: date

    @property
    def label(self) -> str:
        return f"{self.season.capitalize()} {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.season}-{self.year}"


def term_containing(d: date) -> Term:
    if d.month >= 9:
        return Term("autumn", d.year, date(d.year, 9, 1), date(d.year, 12, 31))
    if d.month <= 3:
        return Term("spring", d.year, date(d.year, 1, 1), date(d.year, 3, 31))
    return Term("summer", d.year, date(d.year, 4, 1), date(d.year, 8, 31))


def previous_term(t: Term) -> Term:
    return term_containing(t.starts - timedelta(days=1))


def recent_terms(d: date, count: int) -> list[Term]:
    """The term containing d and the ones before it, oldest first."""
    terms = [term_containing(d)]
    while len(terms) < count:
        terms.append(previous_term(terms[-1]))
    return terms[::-1]


def parse_term(slug: str) -> Term | None:
    try:
        season, year = slug.split("-")
        start = {
            "autumn": date(int(year), 9, 1),
            "spring": date(int(year), 1, 1),
            "summer": date(int(year), 4, 1),
        }[season]
    except (ValueError, KeyError):
        return None
    return term_containing(start)


def one_year_before(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)
