"""Straight-line distance on the national grid, and suitable schools ranked by distance from a
home area. Schools and areas are few (tens of schools, tens or hundreds of areas), so ranking
is done in Python, once per (area, need, year) met, and memoised for the computation."""

from dataclasses import dataclass
from math import hypot

from vsend.organisations.models import NATIONAL_CURRICULUM_YEARS

YEAR_CODES = [code for code, _ in NATIONAL_CURRICULUM_YEARS]
YEAR_NAMES = dict(NATIONAL_CURRICULUM_YEARS)
LAST_YEAR = len(YEAR_CODES) - 1


@dataclass(frozen=True)
class School:
    id: int
    name: str
    easting: int | None
    northing: int | None
    all_needs: bool
    needs: frozenset[str]
    first_year: int
    last_year: int
    places: int

    def covers(self, need: str, year: int | None) -> bool:
        if year is None or not (self.first_year <= year <= self.last_year):
            return False
        return self.all_needs or need in self.needs

    @property
    def located(self) -> bool:
        return self.easting is not None and self.northing is not None


Point = tuple[int, int]


def distance_km(a: Point, school: School) -> float:
    assert school.easting is not None and school.northing is not None
    return hypot(a[0] - school.easting, a[1] - school.northing) / 1000


class Ranker:
    """Suitable schools by distance from each home area, memoised."""

    def __init__(self, schools: list[School], areas: dict[int, Point]) -> None:
        self.schools = [s for s in schools if s.located]
        self.areas = areas
        self._ranked: dict[tuple[int, str, int], list[tuple[float, int]]] = {}
        self._distance: dict[tuple[int, int], float] = {}

    def distance(self, area: int, school: School) -> float:
        key = (area, school.id)
        if key not in self._distance:
            self._distance[key] = distance_km(self.areas[area], school)
        return self._distance[key]

    def ranked(self, area: int, need: str, year: int) -> list[tuple[float, int]]:
        """(distance in km, school id) of every suitable school, nearest first (ties by id)."""
        key = (area, need, year)
        if key not in self._ranked:
            self._ranked[key] = sorted(
                (self.distance(area, s), s.id) for s in self.schools if s.covers(need, year)
            )
        return self._ranked[key]

    def nearest(self, area: int | None, need: str, year: int | None) -> int | None:
        if area is None or area not in self.areas or year is None:
            return None
        ranked = self.ranked(area, need, year)
        return ranked[0][1] if ranked else None

    def nearer_than(self, area: int, need: str, year: int, school: School) -> int:
        """How many suitable schools are strictly nearer the home area than this one."""
        if area not in self.areas or not school.located:
            return 0
        d = self.distance(area, school)
        return sum(
            1 for dist, sid in self.ranked(area, need, year) if dist < d and sid != school.id
        )


def year_from_birth(born_year: int, born_month: int, born_day: int, academic_start: int) -> int:
    """The national curriculum year (as a position: N1 0, R 2, Year 1 3 ...) of a child born on
    that day, in the academic year starting in September of academic_start: from their age on
    31 August before it."""
    age = academic_start - born_year - ((8, 31) < (born_month, born_day))
    return age - 2


def clamp_year(position: int) -> int | None:
    return position if 0 <= position <= LAST_YEAR else None
