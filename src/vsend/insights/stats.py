"""The figures for a group of children (a setting, a locality, or the whole scope), as the
aggregate queries return them; a larger group's figures are sums of its settings'."""

from dataclasses import dataclass, field


@dataclass
class DomainStats:
    key: str
    n: int = 0
    levels: list[int] = field(default_factory=list)
    significant: int = 0
    readiness_gap: int = 0
    readiness_gap_total: int = 0
    confidence_gap: int = 0
    confidence_gap_total: int = 0
    need_total: int = 0

    def add(self, other: "DomainStats") -> None:
        self.n += other.n
        width = max(len(self.levels), len(other.levels))
        mine, theirs = self.levels + [0] * width, other.levels + [0] * width
        self.levels = [mine[i] + theirs[i] for i in range(width)]
        for f in (
            "significant",
            "readiness_gap",
            "readiness_gap_total",
            "confidence_gap",
            "confidence_gap_total",
            "need_total",
        ):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    @property
    def mean_need(self) -> float | None:
        return self.need_total / self.n if self.n else None


@dataclass
class ChangeStats:
    key: str
    n: int = 0
    improved: int = 0  # need went down
    same: int = 0
    increased: int = 0  # need went up
    total_change: int = 0

    def add(self, other: "ChangeStats") -> None:
        for f in ("n", "improved", "same", "increased", "total_change"):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    @property
    def mean_change(self) -> float | None:
        return self.total_change / self.n if self.n else None


@dataclass
class CohortStats:
    children: int = 0
    sen_support: int = 0
    ehc_plan: int = 0
    profiled: int = 0
    sen_without_profile: int = 0
    reviews_overdue: int = 0
    reviews_due: int = 0

    def add(self, other: "CohortStats") -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def subtract(self, other: "CohortStats") -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) - getattr(other, f))

    @property
    def with_sen(self) -> int:
        return self.sen_support + self.ehc_plan


@dataclass
class Block:
    """Every figure for one group of children (a setting, a locality, or the whole scope)."""

    cohort: CohortStats = field(default_factory=CohortStats)
    domains: dict[str, DomainStats] = field(default_factory=dict)
    complexity: list[int] = field(
        default_factory=lambda: [0] * 6
    )  # children by domains at significant need
    change_term: dict[str, ChangeStats] = field(default_factory=dict)
    change_year: dict[str, ChangeStats] = field(default_factory=dict)

    def add(self, other: "Block") -> None:
        self.cohort.add(other.cohort)
        for attr in ("domains", "change_term", "change_year"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            for key, stats in theirs.items():
                if key not in mine:
                    mine[key] = type(stats)(key)
                mine[key].add(stats)
        self.complexity = [a + b for a, b in zip(self.complexity, other.complexity, strict=True)]
