"""Bounded forms: a school's designation, the authority's home-area centroids (pasted CSV) and
a child's placement facts. Every mistake has its own message; what was typed is kept."""

import csv
import io
from typing import Any

from django import forms

from vsend.config.forms import EARLIEST_PLAN_DATE, GovukDateField
from vsend.places.geography import YEAR_CODES, YEAR_NAMES
from vsend.places.models import (
    DESIGNATABLE_NEEDS,
    MAX_EASTING,
    MAX_NORTHING,
    MAX_PLACES,
    Centroid,
    Designation,
)

YEAR_CHOICES = [(str(i), YEAR_NAMES[code]) for i, code in enumerate(YEAR_CODES)]
MAX_CENTROIDS = 500
CENTROID_TEXT_LIMIT = 30_000
NAME_LIMIT = 60


class DesignationForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of provision is it?",
        choices=Designation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is a special school or resourced provision"},
    )
    scope = forms.ChoiceField(
        label="Which needs is it designated for?",
        choices=[("all", "All needs"), ("some", "Particular needs")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose all needs or particular needs"},
    )
    needs = forms.MultipleChoiceField(
        label="Particular needs",
        choices=DESIGNATABLE_NEEDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose needs from the list"},
    )
    places = forms.IntegerField(
        label="Places",
        min_value=0,
        max_value=MAX_PLACES,
        help_text="The number of places the authority commissions",
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Places must be a whole number, like 80",
            "min_value": "Places must be 0 or more",
            "max_value": f"Places must be {MAX_PLACES} or fewer",
        },
    )
    first_year = forms.ChoiceField(
        label="Youngest year group",
        choices=YEAR_CHOICES,
        error_messages={
            "required": "Choose the youngest year group",
            "invalid_choice": "Choose the youngest year group from the list",
        },
    )
    last_year = forms.ChoiceField(
        label="Oldest year group",
        choices=YEAR_CHOICES,
        error_messages={
            "required": "Choose the oldest year group",
            "invalid_choice": "Choose the oldest year group from the list",
        },
    )

    easting = forms.IntegerField(
        label="Easting",
        required=False,
        min_value=0,
        max_value=MAX_EASTING,
        help_text="Metres on the national grid; from Get Information about Schools if loaded there",
        error_messages={
            "invalid": "Easting must be a whole number of metres, like 545200",
            "min_value": "Easting must be 0 or more",
            "max_value": f"Easting must be {MAX_EASTING:,} or less",
        },
    )
    northing = forms.IntegerField(
        label="Northing",
        required=False,
        min_value=0,
        max_value=MAX_NORTHING,
        error_messages={
            "invalid": "Northing must be a whole number of metres, like 301800",
            "min_value": "Northing must be 0 or more",
            "max_value": f"Northing must be {MAX_NORTHING:,} or less",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("easting") is None) != (data.get("northing") is None) and not (
            self.has_error("easting") or self.has_error("northing")
        ):
            missing = "northing" if data.get("northing") is None else "easting"
            self.add_error(missing, f"Enter the {missing} as well, or neither")
        if data.get("scope") == "some" and not data.get("needs"):
            self.add_error("needs", "Choose at least one need, or choose all needs")
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and int(first) > int(last):
            self.add_error("last_year", "The oldest year group must be the youngest or older")
        return data


def initial_designation(
    designation: Designation | None, phase_years: tuple[int, int]
) -> dict[str, Any]:
    if designation is None:
        return {
            "kind": "special",
            "scope": "all",
            "first_year": str(phase_years[0]),
            "last_year": str(phase_years[1]),
        }
    return {
        "kind": designation.kind,
        "scope": "all" if designation.all_needs else "some",
        "needs": designation.need_codes,
        "places": designation.places,
        "first_year": str(designation.first_year),
        "last_year": str(designation.last_year),
    }


class CentroidsForm(forms.Form):
    rows = forms.CharField(
        label="Home areas",
        widget=forms.Textarea,
        max_length=CENTROID_TEXT_LIMIT,
        help_text=(
            "One a line: name, kind (district or locality), easting, northing. For example: "
            "FM1, district, 545200, 301800"
        ),
        error_messages={
            "required": "Enter at least one home area",
            "max_length": f"Home areas must be {CENTROID_TEXT_LIMIT:,} characters or fewer",
        },
    )

    def clean_rows(self) -> list[tuple[str, str, int, int]]:
        text = self.cleaned_data["rows"]
        lines = [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
        if lines and [c.strip().lower() for c in lines[0]][:1] == ["name"]:
            lines = lines[1:]  # a header row
        if not lines:
            raise forms.ValidationError("Enter at least one home area")
        if len(lines) > MAX_CENTROIDS:
            raise forms.ValidationError(f"Enter {MAX_CENTROIDS} home areas or fewer")
        out: list[tuple[str, str, int, int]] = []
        seen: set[str] = set()
        kinds = {k.lower(): k for k in Centroid.Kind.values}
        name_check = Centroid._meta.get_field("name").validators[0]
        for number, row in enumerate(lines, 1):
            cells = [c.strip() for c in row]
            if len(cells) != 4:
                raise forms.ValidationError(
                    f"Line {number} must have 4 values: name, kind, easting, northing"
                )
            name, kind, east, north = cells
            if not name or len(name) > NAME_LIMIT:
                raise forms.ValidationError(
                    f"Line {number}: the name must be 1 to {NAME_LIMIT} characters"
                )
            try:
                name_check(name)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"Line {number}: the name may use letters, numbers, spaces and ' & . -"
                ) from None
            if name.upper() in seen:
                raise forms.ValidationError(f"Line {number}: {name} is named twice")
            seen.add(name.upper())
            if kind.lower() not in kinds:
                raise forms.ValidationError(f"Line {number}: the kind must be district or locality")
            if not (east.isascii() and east.isdigit() and north.isascii() and north.isdigit()):
                raise forms.ValidationError(
                    f"Line {number}: easting and northing must be whole numbers of metres"
                )
            e, n = int(east), int(north)
            if e > MAX_EASTING or n > MAX_NORTHING:
                raise forms.ValidationError(
                    f"Line {number}: easting must be {MAX_EASTING:,} or less and northing "
                    f"{MAX_NORTHING:,} or less"
                )
            out.append((name, kinds[kind.lower()], e, n))
        return out


def _date(label: str) -> GovukDateField:
    return GovukDateField(
        label=label,
        required=False,
        past_only=True,
        earliest=EARLIEST_PLAN_DATE,
        years_ahead=0,
        help_text="Leave blank if it does not apply. For example, 27 3 2026",
    )


class PlacementForm(forms.Form):
    home_area = forms.ChoiceField(
        label="Home postcode district or locality",
        required=False,
        error_messages={"invalid_choice": "Choose a home area from the list"},
    )
    awaiting_since = _date("Awaiting a special place since")
    home_tuition_since = _date("On home tuition since")
    out_of_authority_since = _date("Placed out of authority since")
    out_of_authority_provider = forms.CharField(
        label="Out-of-authority school or provider",
        required=False,
        max_length=200,
        error_messages={"max_length": "The provider's name must be 200 characters or fewer"},
    )

    def __init__(self, *args: Any, areas: list[Centroid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_area"].choices = [("", "Not recorded")] + [  # type: ignore[attr-defined]
            (str(a.pk), f"{a.name} ({a.get_kind_display().lower()})") for a in areas
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("home_tuition_since") and not data.get("awaiting_since"):
            self.add_error(
                "awaiting_since",
                "Enter the date they began awaiting a place: home tuition is "
                "recorded for children awaiting one",
            )
        if data.get("out_of_authority_provider") and not data.get("out_of_authority_since"):
            self.add_error(
                "out_of_authority_since", "Enter the date the out-of-authority placement began"
            )
        if data.get("out_of_authority_since") and not data.get("out_of_authority_provider"):
            self.add_error(
                "out_of_authority_provider", "Enter the out-of-authority school or provider"
            )
        return data
