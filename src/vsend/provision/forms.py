"""Forms for the catalogue, staff costs, groups, missed sessions and the budget. Every number has
bounds; money is a Decimal in pounds and pence."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from vsend.config.forms import GovukDateField
from vsend.insights.terms import term_containing
from vsend.provision.library import library
from vsend.provision.maps import academic_year, domain_names
from vsend.provision.models import (
    MAX_BUDGET,
    MAX_COST,
    MAX_HOURLY,
    CostBasis,
    Kind,
    MissedReason,
    Provision,
    ProvisionGroup,
    StaffRole,
)

EARLIEST = date(2020, 1, 1)


def money_field(label: str, most: Decimal, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=most,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"{label} must be an amount in pounds, like 18.50",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be {most:,} or less",
            "max_decimal_places": f"{label} must have no more than 2 numbers after the point",
            "max_digits": f"{label} must be {most:,} or less",
        },
        **kw,
    )


def plan_date(label: str, **kw: Any) -> GovukDateField:
    return GovukDateField(label=label, earliest=EARLIEST, years_ahead=3, **kw)


def _not_in_a_closed_term(day: date | None, label: str = "Cost applies from") -> date | None:
    """A change applies from the start of the current term at the earliest (ADR 32)."""
    from vsend.provision.rates import earliest_change

    first = earliest_change()
    if day is not None and day < first:
        raise forms.ValidationError(
            f"{label} must be on or after {first:%-d %B %Y}, the start of this term "
            f"({day:%-d %B %Y} is in a term that has ended): a term that has ended keeps its costs"
        )
    return day


class StaffRoleForm(forms.Form):
    name = forms.CharField(
        label="Staff role", max_length=100, error_messages={"required": "Enter the staff role"}
    )
    hourly_cost = money_field(
        "Cost of an hour", MAX_HOURLY, help_text="Pay and on-costs, in pounds, for example 18.50"
    )

    applies_from = plan_date(
        "Applies from",
        required=False,
        help_text="Sessions from this date cost the new amount; earlier terms keep their costs. "
        "Leave empty for today.",
    )

    def __init__(self, *args: Any, setting: Any, role: StaffRole | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.setting, self.role = setting, role
        if role is None:
            del self.fields["applies_from"]

    def clean_applies_from(self) -> Any:
        return _not_in_a_closed_term(self.cleaned_data.get("applies_from"), "Applies from")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = StaffRole.objects.filter(setting=self.setting, name__iexact=name)
        if self.role is not None:
            clash = clash.exclude(pk=self.role.pk)
        if clash.exists():
            raise forms.ValidationError("There is already a staff role with this name")
        return name


class ProvisionForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the provision's name"}
    )
    description = forms.CharField(
        label="What it is (optional)", max_length=1000, required=False, widget=forms.Textarea
    )
    areas = forms.MultipleChoiceField(
        label="Areas of need",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one area of need"},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of provision"},
    )
    staff_role = forms.ModelChoiceField(
        label="Delivered by (staff role)", queryset=StaffRole.objects.none(), required=False
    )
    provider = forms.CharField(
        label="Or an external service (optional)", max_length=120, required=False
    )
    sessions_per_week = forms.DecimalField(
        label="Sessions a week",
        min_value=Decimal(0),
        max_value=Decimal(25),
        max_digits=3,
        decimal_places=1,
        error_messages={
            "required": "Enter the sessions a week",
            "invalid": "Sessions a week must be a number, like 2 or 0.5",
            "min_value": "Sessions a week must be 0 or more",
            "max_value": "Sessions a week must be 25 or fewer",
            "max_decimal_places": "Sessions a week must have no more than 1 number after the point",
            "max_digits": "Sessions a week must be 25 or fewer",
        },
    )
    session_minutes = forms.IntegerField(
        label="Minutes a session",
        min_value=5,
        max_value=480,
        error_messages={
            "required": "Enter the minutes a session",
            "invalid": "Minutes a session must be a whole number",
            "min_value": "Minutes a session must be 5 or more",
            "max_value": "Minutes a session must be 480 or fewer",
        },
    )
    cost_basis = forms.ChoiceField(
        label="How it is costed",
        choices=CostBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it is costed"},
    )
    cost = money_field(
        "Cost",
        MAX_COST,
        required=False,
        help_text="Per session, per term or one-off, in pounds (leave empty when costed per staff hour)",
    )
    applies_from = plan_date(
        "Cost applies from",
        required=False,
        help_text="A new cost counts for sessions from this date; earlier sessions, and every "
        "term that has ended, keep the cost they had. Leave empty for today.",
    )

    def __init__(self, *args: Any, setting: Any, provision: Provision | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.setting, self.provision = setting, provision
        if provision is None:
            del self.fields["applies_from"]
        elif not self.is_bound:
            self.initial.setdefault("applies_from", timezone.localdate())
        names = domain_names()
        self.fields["areas"].choices = [(k, v) for k, v in names.items() if k != "unassigned"]  # type: ignore[attr-defined]
        field = self.fields["staff_role"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = StaffRole.objects.filter(setting=setting)

    def clean_applies_from(self) -> Any:
        return _not_in_a_closed_term(self.cleaned_data.get("applies_from"))

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Provision.objects.filter(setting=self.setting, name__iexact=name)
        if self.provision is not None:
            clash = clash.exclude(pk=self.provision.pk)
        if clash.exists():
            raise forms.ValidationError("There is already a provision with this name")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        basis = data.get("cost_basis")
        if basis == CostBasis.STAFF_HOUR and not data.get("staff_role"):
            self.add_error("staff_role", "Select the staff role whose hours it is costed by")
        if basis and basis != CostBasis.STAFF_HOUR and data.get("cost") is None:
            self.add_error("cost", "Enter the cost")
        if data.get("cost") is None:
            data["cost"] = Decimal(0)
        return data


class LibraryForm(forms.Form):
    keys = forms.MultipleChoiceField(
        label="Provisions to add",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one provision to add"},
    )

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["keys"].choices = [(e["key"], e["name"]) for e in library()]  # type: ignore[attr-defined]


class GroupForm(forms.Form):
    provision = forms.ModelChoiceField(
        label="Provision",
        queryset=Provision.objects.none(),
        error_messages={"required": "Select the provision"},
    )
    name = forms.CharField(
        label="Name of the group",
        max_length=120,
        error_messages={"required": "Enter a name for the group"},
    )
    starts_on = plan_date("Start date")
    ends_on = plan_date("End date")
    children = forms.MultipleChoiceField(
        label="Children",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one child"},
    )

    def __init__(
        self,
        *args: Any,
        setting: Any,
        children: list[tuple[str, str]],
        fixed_child: int | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        field = self.fields["provision"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Provision.objects.filter(setting=setting)
        self.fields["children"].choices = children  # type: ignore[attr-defined]
        self.fixed_child = fixed_child
        if fixed_child is not None:
            self.fields["children"].required = False
            self.fields["children"].label = "Other children in the group (optional)"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "End date must be the same as or after the start date")
        return data


class JoinGroupForm(forms.Form):
    group = forms.ModelChoiceField(
        label="Group",
        queryset=ProvisionGroup.objects.none(),
        error_messages={"required": "Select a group"},
    )

    def __init__(self, *args: Any, setting: Any, **kw: Any):
        super().__init__(*args, **kw)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ProvisionGroup.objects.filter(
            setting=setting, ends_on__gte=timezone.localdate()
        ).select_related("provision")
        field.label_from_instance = lambda g: f"{g.name} ({g.provision.name})"  # type: ignore[method-assign,assignment]


class MissedForm(forms.Form):
    date = plan_date("Date of the missed session")
    reason = forms.ChoiceField(
        label="Why was it missed?",
        choices=MissedReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the session was missed"},
    )
    note = forms.CharField(label="Note (optional)", max_length=200, required=False)
    children = forms.MultipleChoiceField(
        label="Only these children missed it (leave empty if the whole group did)",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self, *args: Any, group: ProvisionGroup, children: list[tuple[str, str]], **kw: Any
    ):
        super().__init__(*args, **kw)
        self.group = group
        self.fields["children"].choices = children  # type: ignore[attr-defined]

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day is not None and not self.group.starts_on <= day <= self.group.ends_on:
            raise forms.ValidationError("Date of the missed session must be while the group runs")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("Date of the missed session must be today or in the past")
        return day


class AddChildForm(forms.Form):
    child = forms.ChoiceField(label="Child", error_messages={"required": "Select a child"})
    starts_on = plan_date("Start date")

    def __init__(
        self, *args: Any, group: ProvisionGroup, children: list[tuple[str, str]], **kw: Any
    ):
        super().__init__(*args, **kw)
        self.group = group
        self.fields["child"].choices = [("", "Choose a child"), *children]  # type: ignore[attr-defined]

    def clean_starts_on(self) -> date:
        day = self.cleaned_data["starts_on"]
        if day is not None and not self.group.starts_on <= day <= self.group.ends_on:
            raise forms.ValidationError("Start date must be while the group runs")
        return day


def budget_years() -> list[tuple[str, str]]:
    this = academic_year(term_containing(timezone.localdate()))
    return [(str(y), f"{y} to {y + 1}") for y in range(this - 2, this + 2)]


class BudgetForm(forms.Form):
    year = forms.ChoiceField(label="Academic year", error_messages={"required": "Select the year"})
    amount = money_field(
        "Notional SEN budget", MAX_BUDGET, help_text="In pounds, for the whole year"
    )

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["year"].choices = budget_years()  # type: ignore[attr-defined]
