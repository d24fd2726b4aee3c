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
    resourced: bool = False  # a base in a mainstream school, not the whole school

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
    """Suitable schools by distance from each home area. Each area's schools are sorted by
    distance once; which schools suit a (need, year) is worked out once per pair met; a
    question is then a walk along one short sorted list."""

    def __init__(self, schools: list[School], areas: dict[int, Point]) -> None:
        self.schools = [s for s in schools if s.located]
        self.areas = areas
        self._by_distance: dict[int, list[tuple[float, int]]] = {}
        self._suitable: dict[tuple[str, int], frozenset[int]] = {}

    def by_distance(self, area: int) -> list[tuple[float, int]]:
        """(distance in km, school id) of every located school, nearest first (ties by id)."""
        found = self._by_distance.get(area)
        if found is None:
            point = self.areas[area]
            found = sorted((distance_km(point, s), s.id) for s in self.schools)
            self._by_distance[area] = found
        return found

    def suitable(self, need: str, year: int) -> frozenset[int]:
        key = (need, year)
        found = self._suitable.get(key)
        if found is None:
            found = frozenset(s.id for s in self.schools if s.covers(need, year))
            self._suitable[key] = found
        return found

    def ranked(self, area: int, need: str, year: int) -> list[tuple[float, int]]:
        """(distance in km, school id) of every suitable school, nearest first."""
        ok = self.suitable(need, year)
        return [pair for pair in self.by_distance(area) if pair[1] in ok]

    def nearest(self, area: int | None, need: str, year: int | None) -> int | None:
        if area is None or area not in self.areas or year is None:
            return None
        ok = self.suitable(need, year)
        return next((sid for _, sid in self.by_distance(area) if sid in ok), None)

    def nearer_than(self, area: int, need: str, year: int, school: School) -> int:
        """How many suitable schools are strictly nearer the home area than this one."""
        return self.passing(area, need, year, school)[0]

    def passing(self, area: int, need: str, year: int, school: School) -> tuple[int, int | None]:
        """How many suitable schools are strictly nearer the home area than this one, and the
        nearest suitable school (this one if none is nearer), in one walk."""
        if area not in self.areas or not school.located:
            return 0, None
        ok = self.suitable(need, year)
        d = distance_km(self.areas[area], school)
        passed, nearest = 0, None
        for dist, sid in self.by_distance(area):
            if dist >= d:
                break
            if sid in ok and sid != school.id:
                passed += 1
                nearest = sid if nearest is None else nearest
        return passed, nearest if nearest is not None else school.id


def year_from_birth(born_year: int, born_month: int, born_day: int, academic_start: int) -> int:
    """The national curriculum year (as a position: N1 0, R 2, Year 1 3 ...) of a child born on
    that day, in the academic year starting in September of academic_start: from their age on
    31 August before it."""
    age = academic_start - born_year - ((8, 31) < (born_month, born_day))
    return age - 2


def clamp_year(position: int) -> int | None:
    return position if 0 <= position <= LAST_YEAR else None
