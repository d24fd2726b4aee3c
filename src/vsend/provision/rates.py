"""What a provision costs: its rate, with a staff role's hourly cost as it changed over time
(ADR 32). A change applies from a date no earlier than the start of the current term, so a term
that has closed keeps the costs it had."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from vsend.insights.terms import term_containing
from vsend.provision import costs
from vsend.provision.models import Provision, StaffRole, StaffRoleRate

# The rate a role had before its first recorded change is kept from this date on.
BEGINNING = date(2000, 1, 1)


class ClosedTerm(Exception):
    """A rate change from a date in a term that has closed."""


def earliest_change(today: date | None = None) -> date:
    """A change may apply from the start of the current term, not before."""
    return term_containing(today or timezone.localdate()).starts


def rate_of(provision: Provision) -> costs.Rate:
    role = provision.staff_role
    changes: tuple[tuple[date, Decimal], ...] = ()
    if role is not None:
        changes = tuple((r.applies_from, r.hourly_cost) for r in role.rates.all())
    return costs.Rate(
        basis=provision.cost_basis,
        sessions_per_week=provision.sessions_per_week,
        session_minutes=provision.session_minutes,
        cost=provision.cost,
        hourly=role.hourly_cost if role is not None else Decimal(0),
        hourly_changes=changes,
    )


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
