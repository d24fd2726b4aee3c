"""A forecast of places needed at each designated school for the next five academic years,
by the method in METHOD (shown on the page, in these words)."""

from collections import Counter
from dataclasses import dataclass

from vsend.places.geography import School
from vsend.places.planning import Plan, academic_start

HORIZON = 5
METHOD = [
    "Every September each year group moves up a year, and the children in the school's oldest "
    "year leave.",
    "A new youngest year group joins each year. Its size is the school's average year group "
    "now, grown by the school's recent growth.",
    "Recent growth is the school's average yearly change in roll over up to three years, from "
    "its roll on this day in past years. It is held between 20% fewer and 20% more a year. A "
    "school with no past roll is taken as not growing.",
    "Children in the priority funnels whose named or nearest suitable school it is are added to "
    "every year: they need a place now and keep it once placed.",
    "Places needed is that total. The gap is places needed minus the school's places: a "
    "positive gap is the number of places short.",
]
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
