"""A differencing attack on everything one anonymous viewer can fetch.

Used by the disclosure tests and by `vsend bench disclosure`. It plays a determined reader: it
fetches every dashboard an LA officer or a governor may open, for every as-at date they may
choose, through the API; it writes each figure as a linear constraint on the unknown per-setting
counts behind it (a shown count is exact, a rounded count is an interval, a hidden one is the
range its label admits); and it adds every way those counts are known to relate (support plus
plans is "with SEN", settings add up to their locality and the authority, each child profiled
is rated in every area, and so on). Then, with SciPy's mixed-integer solver, it asks of every
count from 1 to 4 whether any other value is consistent with what was published. A count with
no other possible value has been disclosed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from vsend.frameworks.loader import DOMAIN_KEYS

BIG = 1_000_000  # no count in an authority comes near it
COHORT = ["on_roll", "K", "E", "profiled", "unprofiled", "overdue", "due"]
PER_DOMAIN = ["below", "sig", "gap_r", "gap_c", *[f"{p}_{c}" for p in ("ct", "cy") for c in "fsr"]]
Expr = dict[str, int]  # variable name -> coefficient


def _v(setting: int, name: str) -> str:
    return f"{setting}:{name}"


# What each published count means, per setting (sums over settings for wider views).
def _cohort_expr(setting: int, row: int) -> Expr:
    name = ["on_roll", None, "K", "E", "profiled", "unprofiled", "overdue", "due"][row]
    if name is None:  # with SEN
        return {_v(setting, "K"): 1, _v(setting, "E"): 1}
    return {_v(setting, name): 1}


def _domain(setting: int, d: str, what: str) -> Expr:
    if what == "n":
        return {_v(setting, f"{d}.below"): 1, _v(setting, f"{d}.sig"): 1}
    return {_v(setting, f"{d}.{what}"): 1}


def _summary_expr(setting: int, col: int) -> Expr:
    """A by-locality or by-setting row: children, with SEN, profiled, SEN without profile,
    reviews overdue, significant need in any area."""
    if col == 6:
        return {_v(setting, f"c{k}"): 1 for k in range(1, 6)}
    return _cohort_expr(setting, [0, 1, 4, 5, 6][col - 1])


def _complexity_expr(setting: int, k: int) -> Expr:
    """Children with k areas at significant need; row 6 is all children profiled."""
    return {_v(setting, f"c{i}"): 1 for i in (range(6) if k == 6 else [k])}


def _sum(exprs: Iterable[Expr]) -> Expr:
    out: Expr = {}
    for e in exprs:
        for k, c in e.items():
            out[k] = out.get(k, 0) + c
    return out


@dataclass
class Cell:
    """One published figure: its meaning and what its text admits."""

    expr: Expr
    value: Any
    pct_of: tuple[Expr, Expr] | None = None  # a percentage: (numerator, denominator)


@dataclass
class Publication:
    """Everything fetched for one as-at date."""

    as_at: date
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Rules:
    """How the viewer reads a figure's text, from the disclosure note the API sends."""

    rounding: int = 1
    hidden: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    pct_from_published: bool = False

    @classmethod
    def from_api(cls, disclosure: dict[str, Any] | None) -> "Rules":
        if not disclosure:  # before disclosure notes: the labels vsend used to show
            return cls(hidden={"fewer than 5": (1, 4), "withheld": (0, None)}, rounding=1)
        return cls(
            rounding=int(disclosure["rounding"]),
            hidden={str(disclosure["hidden_label"]): (1, int(disclosure["hidden_max"]))}
            | {str(k): (0, None) for k in disclosure.get("other_labels", [])},
            pct_from_published=bool(disclosure.get("percentages_from_published", True)),
        )


def tables_to_cells(
    payload: dict[str, Any],
    settings: list[int],
    setting_names: dict[str, int],
    locality_settings: dict[str, list[int]],
    trend_dates: Callable[[str], date | None],
    domain_by_name: dict[str, str],
    benchmark: tuple[int, list[int]] | None = None,
) -> dict[date, list[Cell]]:
    """The cells of one API dashboard, by the as-at date each describes."""
    scope = payload["scope"]
    within = settings if scope.startswith("authority") else [int(scope.split(":")[1])]
    as_at = date.fromisoformat(str(payload["as_at"]))
    out: dict[date, list[Cell]] = {as_at: []}
    cells = out[as_at]

    def over(fn: Callable[..., Expr], *args: Any, among: list[int] | None = None) -> Expr:
        return _sum(fn(s, *args) for s in (among if among is not None else within))

    for table in payload["tables"]:
        key, rows = table["key"], table["rows"]
        if key == "children":
            for r, row in enumerate(rows):
                cells.append(Cell(over(_cohort_expr, r), row[1]))
        elif key == "need_levels" and len(table["columns"]) <= 6 and len(rows) == 5:
            for d, row in zip(DOMAIN_KEYS, rows, strict=True):
                sig, n = (
                    over(_domain, d, "sig"),
                    over(_domain, d, "n"),
                )
                cells += [
                    Cell(over(_domain, d, "below"), row[1]),
                    Cell(sig, row[2]),
                    Cell(n, row[3]),
                    Cell({}, row[4], pct_of=(sig, n)),
                ]
        elif key == "complexity":
            for k, row in enumerate(rows):
                cells.append(Cell(over(_complexity_expr, k), row[1]))
        elif key in ("readiness_gaps", "confidence_gaps"):
            what = "gap_r" if key == "readiness_gaps" else "gap_c"
            for row in rows:
                d = domain_by_name[row[0]]
                count = over(_domain, d, what)
                cells += [
                    Cell(count, row[1]),
                    Cell({}, row[2], pct_of=(count, over(_domain, d, "n"))),
                ]
        elif key in ("change_term", "change_year"):
            p = "ct" if key == "change_term" else "cy"
            for d, row in zip(DOMAIN_KEYS, rows, strict=True):
                parts = [over(_domain, d, f"{p}_{c}") for c in "fsr"]
                cells += [Cell(parts[i], row[i + 1]) for i in range(3)]
                cells.append(Cell(_sum(parts), row[4]))
        elif key == "trend":
            for row in rows:
                when = trend_dates(str(row[0]))
                if when is None:
                    continue
                out.setdefault(when, [])
                out[when].append(Cell(over(_cohort_expr, 4), row[1]))
        elif key == "benchmark" and benchmark is not None:
            setting, locality = benchmark
            for d, row in zip(DOMAIN_KEYS, rows, strict=True):
                for col, among in enumerate(([setting], locality, settings)):
                    n = over(_domain, d, "n", among=among)
                    for offset, what in ((1, "sig"), (4, "gap_r")):
                        num = over(_domain, d, what, among=among)
                        cells.append(Cell({}, row[col + offset], pct_of=(num, n)))
        elif key in ("by_setting", "by_locality"):
            for row in rows:
                if key == "by_setting":
                    among = [setting_names[row[0]]]
                elif row[0] == "Whole authority":
                    among = settings
                else:
                    among = locality_settings[row[0]]
                for col in range(1, 7):
                    cells.append(Cell(over(_summary_expr, col, among=among), row[col]))
                sig_any = over(_summary_expr, 6, among=among)
                cells.append(Cell({}, row[7], pct_of=(sig_any, over(_cohort_expr, 4, among=among))))
    return out


class System:
    """Linear constraints over integer unknowns, solved with HiGHS through scipy.optimize.milp."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.binary: set[int] = set()
        self._built: tuple[int, Any, np.ndarray, np.ndarray] | None = None

    def var(self, name: str) -> int:
        return self.index.setdefault(name, len(self.index))

    def add(self, expr: dict[str, float], lo: float, hi: float) -> None:
        self.rows.append(({self.var(k): c for k, c in expr.items()}, lo, hi))

    def add_zero_or_at_least(self, expr: Expr, least: int) -> None:
        """expr == 0 or expr >= least: a binary switch b, expr <= BIG*b and expr >= least*b."""
        b = self.var(f"_b{len(self.index)}")
        self.binary.add(b)
        coeffs = {self.var(k): float(c) for k, c in expr.items()}
        self.rows.append(({**coeffs, b: -float(BIG)}, -BIG * 2.0, 0))
        self.rows.append(({**coeffs, b: -float(least)}, 0, BIG * 2.0))

    def _matrix(self) -> tuple[Any, np.ndarray, np.ndarray]:
        if self._built is None or self._built[0] != len(self.rows):
            data, rows, cols = [], [], []
            lo, hi = np.zeros(len(self.rows)), np.zeros(len(self.rows))
            for i, (coeffs, low, high) in enumerate(self.rows):
                for j, c in coeffs.items():
                    data.append(c)
                    rows.append(i)
                    cols.append(j)
                lo[i], hi[i] = low, high
            a = csr_array((data, (rows, cols)), shape=(len(self.rows), len(self.index)))
            self._built = (len(self.rows), a, lo, hi)
        return self._built[1:]

    def other_value_possible(self, expr: Expr, value: int) -> bool:
        """Is any value of expr other than `value` consistent with every constraint?"""
        a, lo, hi = self._matrix()
        n = len(self.index)
        upper = np.full(n, BIG, dtype=float)
        for b in self.binary:
            upper[b] = 1
        row = np.zeros(n)
        for k, c in expr.items():
            row[self.index[k]] += c
        for extra_lo, extra_hi in ((-np.inf, value - 1), (value + 1, np.inf)):
            result = milp(
                c=np.zeros(n),
                constraints=[
                    LinearConstraint(a, lo, hi),
                    LinearConstraint(row.reshape(1, -1), extra_lo, extra_hi),
                ],
                integrality=np.ones(n),
                bounds=Bounds(np.zeros(n), upper),
                options={"time_limit": 30},
            )
            if result.status == 0:
                return True
            if result.status != 2:  # not "infeasible": unknown, so assume the worst
                return False
        return False

    def holds_at(self, point: dict[str, int]) -> bool:
        """Sanity check of the model: the true counts satisfy every constraint."""
        names = {j: k for k, j in self.index.items()}
        for coeffs, low, high in self.rows:
            if any(names[j].startswith("_b") for j in coeffs):
                continue
            total = sum(c * point.get(names[j], 0) for j, c in coeffs.items())
            if not low - 1e-9 <= total <= high + 1e-9:
                return False
        return True


def structural(system: System, settings: list[int]) -> None:
    """What is true of any setting's counts, whatever was published."""
    for s in settings:

        def v(name: str, s: int = s) -> str:
            return _v(s, name)

        system.add({v("K"): 1, v("E"): 1, v("on_roll"): -1}, -BIG, 0)
        system.add({v("unprofiled"): 1, v("K"): -1, v("E"): -1}, -BIG, 0)
        system.add({v("profiled"): 1, v("unprofiled"): 1, v("on_roll"): -1}, -BIG, 0)
        system.add({v("overdue"): 1, v("due"): 1, v("profiled"): -1}, -BIG, 0)
        system.add({**{v(f"c{k}"): 1 for k in range(6)}, v("profiled"): -1}, 0, 0)
        system.add(
            {**{v(f"c{k}"): k for k in range(1, 6)}, **{v(f"{d}.sig"): -1 for d in DOMAIN_KEYS}},
            0,
            0,
        )
        for d in DOMAIN_KEYS:
            # Every finalised profile rates every area.
            system.add({v(f"{d}.below"): 1, v(f"{d}.sig"): 1, v("profiled"): -1}, 0, 0)
            for what in ("gap_r", "gap_c"):
                system.add({v(f"{d}.{what}"): 1, v("profiled"): -1}, -BIG, 0)
            for p in ("ct", "cy"):
                system.add({**{v(f"{d}.{p}_{c}"): 1 for c in "fsr"}, v("profiled"): -1}, -BIG, 0)


def publish(system: System, cells: list[Cell], rules: Rules) -> None:
    half = rules.rounding // 2
    for cell in cells:
        value = cell.value
        if value is None:
            continue
        if cell.pct_of is not None:
            if rules.pct_from_published or not isinstance(value, (int, float)):
                continue  # a percentage of published counts says nothing more
            num, den = cell.pct_of
            # value = round(100 * num / den, 1): (value - 0.05) den <= 100 num <= (value + 0.05) den
            expr = {k: 100.0 * c for k, c in num.items()}
            for k, c in den.items():
                expr[k] = expr.get(k, 0) - (value - 0.05) * c
            system.add(expr, 0, BIG * 100.0)
            expr = {k: 100.0 * c for k, c in num.items()}
            for k, c in den.items():
                expr[k] = expr.get(k, 0) - (value + 0.05) * c
            system.add(expr, -BIG * 100.0, 0)
            continue
        if isinstance(value, bool) or not cell.expr:
            continue
        if isinstance(value, int):
            if value == 0 or rules.rounding == 1:
                system.add(dict(cell.expr), value, value)
            else:
                system.add(dict(cell.expr), max(value - half, 0), value + half)
        elif isinstance(value, str) and value in rules.hidden:
            low, high = rules.hidden[value]
            if high is None:
                system.add_zero_or_at_least(cell.expr, 5)
            else:
                system.add(dict(cell.expr), low, high)


@dataclass
class Finding:
    as_at: date
    expr: Expr
    value: int


def determined_small_counts(
    publications: dict[date, list[Cell]],
    settings: list[int],
    truth: dict[date, dict[str, int]],
    rules: Rules,
    structure: Callable[[System, list[int]], None] = structural,
) -> tuple[list[Finding], int]:
    """Counts from 1 to 4 that what was published pins to one value; and how many were tried."""
    findings, tried = [], 0
    for when, cells in sorted(publications.items()):
        if when not in truth:
            continue
        system = System()
        structure(system, settings)
        publish(system, cells, rules)
        point = truth[when]
        if not system.holds_at(point):
            raise AssertionError(f"The model does not fit the true counts as at {when}")
        targets: dict[tuple[tuple[str, int], ...], Expr] = {}
        for name in list(system.index):
            if not name.startswith("_b"):
                targets[((name, 1),)] = {name: 1}
        for cell in cells:
            if cell.expr:
                targets[tuple(sorted(cell.expr.items()))] = cell.expr
        for expr in targets.values():
            value = sum(c * point.get(k, 0) for k, c in expr.items())
            if not 1 <= value <= 4:
                continue
            tried += 1
            if not system.other_value_possible(expr, value):
                findings.append(Finding(when, expr, value))
    return findings, tried
