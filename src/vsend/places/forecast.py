"""A forecast of places needed at each designated school for the next five academic years.

The method, as the page states it:
1. Each year group moves up a year every September; children in the school's oldest year leave.
2. A new youngest year group joins each year, the size of an average year group at the school
   now, grown by the school's recent growth.
3. Recent growth is the school's average yearly change in roll over up to three years (its roll
   on this day in past years, from the enrolments vsend holds), kept between -20% and +20% a
   year; a school without a past roll is taken as not growing.
4. The children in the priority funnels whose nearest suitable school (or named school) it is
   are added to every year: they need a place now and, once placed, keep it.
Places needed is that total; the gap is places needed minus the school's places.
"""

from collections import Counter
from dataclasses import dataclass

from vsend.places.geography import School
from vsend.places.planning import Plan, academic_start

HORIZON = 5
MAX_GROWTH = 0.20


@dataclass
class SchoolForecast:
    school: School
    growth: float
    waiting: int
    needed: list[int]  # one per forecast year

    @property
    def gaps(self) -> list[int]:
        return [n - self.school.places for n in self.needed]


def growth(now: int, past: list[int]) -> float:
    """Compound yearly growth from the oldest past roll that is not empty, bounded."""
    for years_back in range(len(past), 0, -1):
        then = past[years_back - 1]
        if then > 0 and now > 0:
            rate = (now / then) ** (1 / years_back) - 1
            return max(-MAX_GROWTH, min(MAX_GROWTH, rate))
    return 0.0


def roll_forward(roll: Counter[int], school: School, rate: float, years: int) -> list[int]:
    """The school's roll in each of the next `years` years (before funnel children)."""
    span = school.last_year - school.first_year + 1
    cohorts = {y: roll.get(y, 0) for y in range(school.first_year, school.last_year + 1)}
    average = sum(cohorts.values()) / span
    out = []
    for t in range(1, years + 1):
        cohorts = {y + 1: n for y, n in cohorts.items() if y + 1 <= school.last_year}
        cohorts[school.first_year] = round(average * (1 + rate) ** t)
        out.append(sum(cohorts.values()))
    return out


def forecast(plan: Plan, years: int = HORIZON) -> list[SchoolForecast]:
    demand = plan.demand()
    out = []
    for school in plan.schools:
        roll = plan.roll.get(school.id, Counter())
        rate = growth(sum(roll.values()), plan.past_rolls.get(school.id, []))
        waiting = sum(demand.get(school.id, Counter()).values())
        needed = [n + waiting for n in roll_forward(roll, school, rate, years)]
        out.append(SchoolForecast(school, rate, waiting, needed))
    return out


def year_labels(plan: Plan, years: int = HORIZON) -> list[str]:
    start = academic_start(plan.today)
    return [f"{start + t} to {start + t + 1}" for t in range(1, years + 1)]
