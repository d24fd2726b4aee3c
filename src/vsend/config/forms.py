"""Form pieces shared by every page: GOV.UK date inputs and error summaries."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

# Every date typed is within a window; plan and review dates within a narrower one, so a date
# like 31 December 9999 (never overdue) or 1 January 0001 cannot be saved.
EARLIEST_DATE = date(1900, 1, 1)
EARLIEST_PLAN_DATE = date(2000, 1, 1)
PLAN_YEARS_AHEAD = 5
ANY_YEARS_AHEAD = 10


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    return years_before(day, -years)


def value_text(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class DateInputWidget(forms.Widget):
    """Day, month and year boxes named <field>-day, <field>-month and <field>-year.

    The markup comes from GOV.UK Frontend's date input (see macros/forms.html); this only
    reads the three boxes back.
    """

    PARTS = ("day", "month", "year")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [data.get(f"{name}-{part}", "") for part in self.PARTS]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in self.PARTS)


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK wording for each mistake."""

    widget = DateInputWidget

    def __init__(
        self,
        *,
        past_only: bool = False,
        earliest: date = EARLIEST_DATE,
        years_ahead: int = ANY_YEARS_AHEAD,
        **kwargs: Any,
    ) -> None:
        self.past_only = past_only
        self.earliest, self.years_ahead = earliest, years_ahead
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        label = self.label or "Date"
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        if not any(parts):
            return None
        missing = [name for name, v in zip(("day", "month", "year"), parts, strict=True) if not v]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and '.join(missing)}")
        day_s, month_s, year_s = parts
        if (
            not all(p.isascii() and p.isdigit() for p in parts)
            or len(day_s) > 2
            or len(month_s) > 2
        ):
            raise forms.ValidationError(f"{label} must be a real date")
        if len(year_s) != 4:
            raise forms.ValidationError(f"{label} must include a year with 4 numbers")
        day, month, year = (int(p) for p in parts)
        try:
            value = date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{label} must be a real date") from None
        if value < self.earliest:
            raise forms.ValidationError(f"{label} must be on or after {value_text(self.earliest)}")
        latest = years_after(timezone.localdate(), self.years_ahead)
        if value > latest:
            raise forms.ValidationError(f"{label} must be on or before {value_text(latest)}")
        return value

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(f"Enter {(self.label or 'the date').lower()}")

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data


def date_parts(bound_field: forms.BoundField) -> dict[str, str]:
    """What the user typed (or the saved date) as day, month and year strings."""
    value = bound_field.value()
    if isinstance(value, date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    if isinstance(value, list | tuple) and len(value) == 3:
        return {
            k: ("" if v is None else str(v))
            for k, v in zip(("day", "month", "year"), value, strict=True)
        }
    return {"day": "", "month": "", "year": ""}


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """The error summary's entries, each linking to its field, worded as the field's message."""
    items = []
    for message in form.non_field_errors():
        items.append({"text": str(message)})
    for name, field in form.fields.items():
        errors = form.errors.get(name)
        if not errors:
            continue
        anchor = form[name].id_for_label or f"id_{name}"
        if isinstance(field, GovukDateField):
            anchor = f"id_{form.add_prefix(name)}-day"
        elif isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            anchor = f"id_{form.add_prefix(name)}_0"
        items.append({"text": str(errors[0]), "href": f"#{anchor}"})
    return items
