"""What a provision costs: its rate, with a staff role's hourly cost and the provision's own cost
(how it is costed, the amount and the staff role) as they changed over time (ADR 32). A change
applies from a date no earlier than the start of the current term, so a term that has closed
keeps the costs it had."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from vsend.insights.terms import term_containing
from vsend.provision import costs
from vsend.provision.models import Provision, ProvisionCost, StaffRole, StaffRoleRate

# The rate a role (or a provision's cost) had before its first recorded change is kept from
# this date on.
BEGINNING = date(2000, 1, 1)


class ClosedTerm(Exception):
    """A rate change from a date in a term that has closed."""


def earliest_change(today: date | None = None) -> date:
    """A change may apply from the start of the current term, not before."""
    return term_containing(today or timezone.localdate()).starts


def _hourly(role: StaffRole | None) -> tuple[Decimal, tuple[tuple[date, Decimal], ...]]:
    if role is None:
        return Decimal(0), ()
    return role.hourly_cost, tuple((r.applies_from, r.hourly_cost) for r in role.rates.all())


def _hourly_by_period(
    periods: list[ProvisionCost],
) -> tuple[Decimal, tuple[tuple[date, Decimal], ...]]:
    """One hourly timeline from the staff role of each period of the provision's cost history:
    from each period's start, that role's rate on the day and its changes within the period."""
    timeline: list[tuple[date, Decimal]] = []
    for i, period in enumerate(periods):
        ends = periods[i + 1].applies_from if i + 1 < len(periods) else date.max
        hourly, changes = _hourly(period.staff_role)
        on_start = hourly
        for day, rate in changes:
            if day <= period.applies_from:
                on_start = rate
        timeline.append((period.applies_from, on_start))
        timeline.extend((d, r) for d, r in changes if period.applies_from < d < ends)
    return (timeline[0][1] if timeline else Decimal(0)), tuple(timeline)


def rate_of(provision: Provision) -> costs.Rate:
    periods = list(provision.cost_changes.all())
    if periods:
        hourly, changes = _hourly_by_period(periods)
    else:
        hourly, changes = _hourly(provision.staff_role)
    own = tuple((c.applies_from, c.cost_basis, c.cost) for c in periods)
    return costs.Rate(
        basis=provision.cost_basis,
        sessions_per_week=provision.sessions_per_week,
        session_minutes=provision.session_minutes,
        cost=provision.cost,
        hourly=hourly,
        hourly_changes=changes,
        cost_changes=own,
    )


def role_in(provision: Provision, term_starts: date, term_ends: date) -> int | None:
    """The staff role a term's ledger rows name: the role on the term's last day, or today's in
    the current term (from the loaded cost history)."""
    day = min(term_ends, max(term_starts, timezone.localdate()))
    role = provision.staff_role_id
    for period in provision.cost_changes.all():
        if period.applies_from <= day:
            role = period.staff_role_id
    return role


def change_rate(role: StaffRole, hourly_cost: Decimal, applies_from: date) -> None:
    """Record a new hourly cost from a date; the role's hourly_cost becomes the rate today.
    The caller recomputes the role's groups (only the sessions from the date change)."""
    if applies_from < earliest_change():
        raise ClosedTerm
    if not role.rates.exists():
        StaffRoleRate.objects.create(
            role=role, applies_from=BEGINNING, hourly_cost=role.hourly_cost
        )
    StaffRoleRate.objects.update_or_create(
        role=role, applies_from=applies_from, defaults={"hourly_cost": hourly_cost}
    )
    today = timezone.localdate()
    current = role.rates.filter(applies_from__lte=today).order_by("-applies_from").first()
    role.hourly_cost = current.hourly_cost if current else hourly_cost


def cost_on(provision: Provision, day: date) -> tuple[str, Decimal, int | None]:
    """How the provision was costed on a day: basis, amount and staff role."""
    row = provision.cost_changes.filter(applies_from__lte=day).order_by("-applies_from").first()
    if row is None:
        return provision.cost_basis, provision.cost, provision.staff_role_id
    return row.cost_basis, row.cost, row.staff_role_id


def change_cost(
    provision: Provision, basis: str, cost: Decimal, role: StaffRole | None, applies_from: date
) -> None:
    """Record how a provision is costed, for how much and by which staff role, from a date; its
    cost_basis, cost and staff_role become those that apply today. The caller saves it and
    recomputes its groups."""
    if applies_from < earliest_change():
        raise ClosedTerm
    if not provision.cost_changes.exists():
        old = Provision.objects.values_list("cost_basis", "cost", "staff_role").get(pk=provision.pk)
        ProvisionCost.objects.create(
            provision=provision,
            applies_from=BEGINNING,
            cost_basis=old[0],
            cost=old[1],
            staff_role_id=old[2],
        )
    ProvisionCost.objects.update_or_create(
        provision=provision,
        applies_from=applies_from,
        defaults={"cost_basis": basis, "cost": cost, "staff_role": role},
    )
    provision.cost_basis, provision.cost, provision.staff_role_id = cost_on(
        provision, timezone.localdate()
    )
