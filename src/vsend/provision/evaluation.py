"""What provision achieves at a setting: change in need beside provision received and its cost.

This is association, not proof: children's needs change for many reasons, and the children
given a provision were chosen because they needed it. Fewer than MIN_GROUP children with a
profile before and after are too few to judge.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights.terms import Term
from vsend.profiles.models import DomainRating
from vsend.provision.models import PlaceTermCost, Provision

MIN_GROUP = 5
CAVEAT = (
    "These figures show what happened alongside provision, not what the provision caused. "
    "Children's needs change for many reasons, and the children who had a provision were "
    "chosen because they needed it. A change in need is the latest profile in the period "
    "against the one before the period (or the first in it); a fall is an improvement."
)
ZERO = Decimal(0)


@dataclass
class ChildResult:
    child_id: int
    before: date | None = None
    after: date | None = None
    change: dict[str, int] = field(default_factory=dict)  # area: later need - earlier need
    hours: Decimal = ZERO
    cost: Decimal = ZERO
    provisions: set[int] = field(default_factory=set)

    @property
    def compared(self) -> bool:
        return self.before is not None and self.after is not None


@dataclass
class ProvisionResult:
    provision: Any
    children: int = 0
    compared: int = 0
    cost: Decimal = ZERO
    change_total: int = 0
    change_n: int = 0

    @property
    def cost_per_child(self) -> Decimal | None:
        return self.cost / self.children if self.children else None

    @property
    def mean_change(self) -> float | None:
        return self.change_total / self.change_n if self.change_n else None

    @property
    def too_small(self) -> bool:
        return self.compared < MIN_GROUP


@dataclass
class Evaluation:
    terms: list[Term]
    children: list[ChildResult]
    provisions: list[ProvisionResult]

    @property
    def left_out(self) -> list[ChildResult]:
        return [c for c in self.children if not c.compared]


def _pictures(
    child_ids: list[int], ends: date
) -> dict[int, list[tuple[date, int, dict[str, int]]]]:
    """Each child's finalised profiles assessed by `ends`, oldest first, with need by area."""
    rows = (
        DomainRating.objects.filter(
            profile__child_id__in=child_ids,
            profile__status="finalised",
            profile__assessment_date__lte=ends,
            need_level__isnull=False,
        )
        .values_list(
            "profile__child_id", "profile_id", "profile__assessment_date", "domain", "need_level"
        )
        .order_by("profile__child_id", "profile__assessment_date", "profile_id")
    )
    out: dict[int, dict[int, tuple[date, int, dict[str, int]]]] = defaultdict(dict)
    for child_id, profile_id, assessed, domain, level in rows:
        entry = out[child_id].setdefault(profile_id, (assessed, profile_id, {}))
        entry[2][domain] = int(level or 0)
    return {c: sorted(v.values()) for c, v in out.items()}


def evaluate(setting_id: int, terms: list[Term]) -> Evaluation:
    starts, ends = terms[0].starts, terms[-1].ends
    ledger = (
        PlaceTermCost.objects.filter(
            setting_id=setting_id, term_starts__gte=starts, term_starts__lte=terms[-1].starts
        )
        .values("child_id", "provision_id")
        .annotate(hours=Sum("hours"), cost=Sum("cost"))
    )
    results: dict[int, ChildResult] = {}
    by_provision: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for r in ledger:
        c = results.setdefault(r["child_id"], ChildResult(r["child_id"]))
        c.hours += Decimal(str(r["hours"] or 0))
        c.cost += Decimal(str(r["cost"] or 0))
        c.provisions.add(r["provision_id"])
        by_provision[r["provision_id"]][r["child_id"]] = Decimal(str(r["cost"] or 0))
    pictures = _pictures(list(results), ends)
    for child_id, c in results.items():
        pics = pictures.get(child_id, [])
        before = [p for p in pics if p[0] <= starts]
        base = before[-1] if before else (pics[0] if pics else None)
        later = [p for p in pics if base is not None and p[0] > base[0]]
        if base is None or not later:
            if base is not None:
                c.before = base[0]
            continue
        after = later[-1]
        c.before, c.after = base[0], after[0]
        c.change = {
            k: after[2][k] - base[2][k] for k in DOMAIN_KEYS if k in after[2] and k in base[2]
        }
    provisions = {p.pk: p for p in Provision.objects.filter(pk__in=list(by_provision))}
    out = []
    for pid, costs in by_provision.items():
        p = provisions[pid]
        pr = ProvisionResult(p, children=len(costs), cost=sum(costs.values(), ZERO))
        for child_id in costs:
            c = results[child_id]
            if not c.compared:
                continue
            pr.compared += 1
            for area in p.areas:
                if area in c.change:
                    pr.change_total += c.change[area]
                    pr.change_n += 1
        out.append(pr)
    out.sort(key=lambda r: r.provision.name)
    return Evaluation(terms, sorted(results.values(), key=lambda c: c.child_id), out)
