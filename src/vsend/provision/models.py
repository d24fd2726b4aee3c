"""Costed provision: a setting's catalogue and staff costs, the groups that run it for named
children, the sessions missed, what each place cost per term, and the notional SEN budget.

The cost model is in costs.py (pure arithmetic) and ADR 19. `PlaceTermCost` rows are the cost
ledger: written by services.py in the same transaction as the change they follow, never by
hand, so the maps and aggregates read figures already divided and pro-rated.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

MAX_HOURLY = Decimal("500.00")
MAX_COST = Decimal("100000.00")
MAX_BUDGET = Decimal("100000000.00")


class StaffRole(models.Model):
    """A kind of staff member who delivers provision, with what an hour of their time costs."""

    setting = models.ForeignKey(
        "organisations.Setting", on_delete=models.PROTECT, related_name="staff_roles"
    )
    name = models.CharField(max_length=100)
    hourly_cost = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURLY)],
        help_text="Pay and on-costs for one hour, in pounds",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "name"], name="unique_staff_role_name")
        ]

    def __str__(self) -> str:
        return self.name


class StaffRoleRate(models.Model):
    """A staff role's hourly cost from a date on (ADR 32). Sessions before the date keep the rate
    that applied to them, so a change never rewrites a term that has closed. A role with no rows
    has had one rate throughout (its hourly_cost)."""

    role = models.ForeignKey(StaffRole, on_delete=models.CASCADE, related_name="rates")
    applies_from = models.DateField()
    hourly_cost = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURLY)],
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["applies_from"]
        constraints = [
            models.UniqueConstraint(fields=["role", "applies_from"], name="one_rate_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.role_id} from {self.applies_from}: {self.hourly_cost}"


class Kind(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"
    WHOLE_CLASS = "whole_class", "Whole-class adjustment"
    EXTERNAL = "external", "External service"


class CostBasis(models.TextChoices):
    STAFF_HOUR = "staff_hour", "Per hour of the staff role"
    SESSION = "session", "Per session"
    TERM = "term", "Per term"
    FIXED = "fixed", "One-off"


class Provision(models.Model):
    """One entry in a setting's provision catalogue."""

    setting = models.ForeignKey(
        "organisations.Setting", on_delete=models.PROTECT, related_name="provisions"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=1000, blank=True)
    areas = models.JSONField(default=list, help_text="Framework domain keys")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    staff_role = models.ForeignKey(
        StaffRole, on_delete=models.PROTECT, null=True, blank=True, related_name="provisions"
    )
    provider = models.CharField(max_length=120, blank=True, help_text="An external service")
    sessions_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("25"))],
    )
    session_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    cost_basis = models.CharField(max_length=12, choices=CostBasis.choices)
    cost = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_COST)],
        help_text="Per session, per term or one-off (not used per staff hour)",
    )
    library_key = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "name"], name="unique_provision_name")
        ]

    def __str__(self) -> str:
        return self.name


class ProvisionCost(models.Model):
    """A provision's own cost from a date on (ADR 32, as StaffRoleRate for a role's hourly
    cost): how it is costed and the amount per session, per term or one-off. Sessions before the
    date keep the cost that applied to them, so a change never rewrites a term that has closed.
    The staff role is kept too, as costing per staff hour uses that role's hourly cost. A
    provision with no rows has had one cost throughout (its cost_basis, cost and staff_role)."""

    provision = models.ForeignKey(
        "Provision", on_delete=models.CASCADE, related_name="cost_changes"
    )
    applies_from = models.DateField()
    cost_basis = models.CharField(max_length=12, choices=CostBasis.choices)
    cost = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_COST)],
    )
    staff_role = models.ForeignKey(
        StaffRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["applies_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "applies_from"], name="one_provision_cost_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provision_id} from {self.applies_from}: {self.cost_basis} {self.cost}"


class ProvisionGroup(models.Model):
    """A provision run for named children from a start to an end date. Individual provision is
    a group of one."""

    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="groups")
    setting = models.ForeignKey(
        "organisations.Setting", on_delete=models.PROTECT, related_name="provision_groups"
    )
    name = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="group_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A child's place in a group, with their own dates (within the group's), and the plan
    action it carries out, if any."""

    group = models.ForeignKey(ProvisionGroup, on_delete=models.CASCADE, related_name="places")
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="provision_places"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    action = models.ForeignKey(
        "profiles.SupportAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provision_places",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "child"], name="one_place_per_child"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="place_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} in {self.group_id}"


class MissedReason(models.TextChoices):
    STAFF_ABSENT = "staff_absent", "Staff absent or redeployed"
    CHILD_ABSENT = "child_absent", "Child absent"
    SETTING_EVENT = "setting_event", "Trip, event or setting closed"
    OTHER = "other", "Another reason"


class MissedSession(models.Model):
    """A planned session that did not happen: for the whole group (child empty) or one child."""

    group = models.ForeignKey(ProvisionGroup, on_delete=models.CASCADE, related_name="missed")
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField()
    reason = models.CharField(max_length=15, choices=MissedReason.choices)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "date"],
                condition=Q(child__isnull=True),
                name="one_group_miss_a_day",
            ),
            models.UniqueConstraint(
                fields=["group", "date", "child"],
                condition=Q(child__isnull=False),
                name="one_child_miss_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} missed {self.date}"


class PlaceTermCost(models.Model):
    """The cost ledger: what one place gave its child in one term, in one area of need (a
    provision in two areas is split evenly between them, so areas add up to the whole)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="term_costs")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    setting = models.ForeignKey("organisations.Setting", on_delete=models.CASCADE, related_name="+")
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="+")
    staff_role = models.ForeignKey(
        StaffRole, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    term = models.CharField(max_length=12, help_text="e.g. autumn-2026")
    term_starts = models.DateField()
    area = models.CharField(max_length=30)
    planned_sessions = models.DecimalField(max_digits=10, decimal_places=4)
    missed_sessions = models.DecimalField(max_digits=10, decimal_places=4)
    hours = models.DecimalField(max_digits=10, decimal_places=4)
    cost = models.DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        indexes = [
            models.Index(fields=["setting", "term_starts"], name="ptc_setting_term"),
            models.Index(fields=["child", "term_starts"], name="ptc_child_term"),
            models.Index(fields=["term_starts", "setting"], name="ptc_term_setting"),
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.term} {self.area}: {self.cost}"


class SenBudget(models.Model):
    """The notional SEN budget a setting enters for an academic year (autumn to summer)."""

    setting = models.ForeignKey(
        "organisations.Setting", on_delete=models.PROTECT, related_name="sen_budgets"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The calendar year the academic year starts in",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_BUDGET)],
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["setting", "year"], name="one_budget_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.setting_id} {self.year}: {self.amount}"
