"""Forms for moving a child between settings: leaving, joining, and an authority transfer."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from vsend.children.models import Enrolment
from vsend.children.validators import normalise_upn, validate_upn
from vsend.config.forms import GovukDateField
from vsend.config.jinja2 import format_date
from vsend.organisations.models import NATIONAL_CURRICULUM_YEARS, SchoolClass, Setting

# A move is recorded when it is known: up to a year ahead.
MAX_AHEAD = timedelta(days=366)


def _not_too_far(day: date, label: str) -> date:
    if day > timezone.localdate() + MAX_AHEAD:
        raise forms.ValidationError(f"{label} must be within the next year")
    return day


class LeavingForm(forms.Form):
    enrolment = forms.TypedChoiceField(
        label="Which setting are they leaving?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the setting they are leaving",
            "invalid_choice": "Select the setting they are leaving",
        },
    )
    left_on = GovukDateField(
        label="Their last day at the setting", help_text="For example, 19 12 2026"
    )
    destination_setting = forms.ModelChoiceField(
        label="Where are they going? (optional)",
        queryset=Setting.objects.none(),
        required=False,
        empty_label="Not in this authority, or not known",
        error_messages={"invalid_choice": "Select a setting from the list"},
    )
    destination = forms.CharField(
        label="Anything else about where they are going (optional)",
        max_length=200,
        required=False,
        help_text="For example, moving to another authority, or elective home education",
    )

    def __init__(
        self, *args: Any, enrolments: list[Enrolment], destinations: QuerySet[Setting], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.enrolments = {e.pk: e for e in enrolments}
        self.fields["enrolment"].choices = [(e.pk, e.setting.name) for e in enrolments]  # type: ignore[attr-defined]
        if len(enrolments) == 1:
            self.fields["enrolment"].initial = enrolments[0].pk
        self.fields["destination_setting"].queryset = destinations  # type: ignore[attr-defined]

    def clean_left_on(self) -> date:
        return _not_too_far(self.cleaned_data["left_on"], "Their last day")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        enrolment = self.enrolments.get(data.get("enrolment") or 0)
        data["enrolment"] = enrolment
        left_on, going = data.get("left_on"), data.get("destination_setting")
        if enrolment and left_on and left_on < enrolment.started_on:
            self.add_error(
                "left_on",
                f"Their last day must be on or after the day they started, "
                f"{format_date(enrolment.started_on)}",
            )
        if enrolment and going and going.pk == enrolment.setting_id:
            self.add_error("destination_setting", "Choose the setting they are going to")
        return data


class _Placement(forms.Form):
    """The setting, year group and class a child joins, and from when."""

    setting = forms.ModelChoiceField(
        label="Setting they are joining",
        queryset=Setting.objects.none(),
        empty_label="Choose a setting",
        error_messages={
            "required": "Select the setting they are joining",
            "invalid_choice": "Select a setting from the list",
        },
    )
    year = forms.ChoiceField(
        label="Year group",
        choices=[("", "Choose a year group"), *NATIONAL_CURRICULUM_YEARS],
        error_messages={
            "required": "Select their year group",
            "invalid_choice": "Select a year group from the list",
        },
    )
    school_class = forms.ModelChoiceField(
        label="Class (optional)",
        queryset=SchoolClass.objects.none(),
        required=False,
        empty_label="No class",
        error_messages={"invalid_choice": "Select a class from the list"},
    )
    started_on = GovukDateField(
        label="Their first day at the setting",
        help_text="The day after their last day at the setting they are leaving, or later. "
        "For example, 5 1 2027",
    )

    def __init__(self, *args: Any, settings_qs: QuerySet[Setting], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["setting"].queryset = settings_qs  # type: ignore[attr-defined]
        self.fields["school_class"].queryset = SchoolClass.objects.filter(  # type: ignore[attr-defined]
            setting__in=settings_qs
        ).select_related("setting")
        only = list(settings_qs[:2])
        if len(only) == 1:
            self.fields["setting"].initial = only[0].pk

    def clean_started_on(self) -> date:
        return _not_too_far(self.cleaned_data["started_on"], "Their first day")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        setting, year, school_class = (
            data.get("setting"),
            data.get("year"),
            data.get("school_class"),
        )
        if setting and year and not setting.year_groups.filter(code=year).exists():
            self.add_error(
                "year",
                f"{setting} has no {dict(NATIONAL_CURRICULUM_YEARS)[year]}: "
                "choose one of its year groups",
            )
        if setting and school_class and school_class.setting_id != setting.pk:
            self.add_error("school_class", f"Choose a class at {setting}")
        return data


class JoinForm(_Placement):
    """A SENDCo finds a child joining their setting by exactly their UPN and date of birth."""

    field_order = ["upn", "date_of_birth", "setting", "year", "school_class", "started_on"]
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        max_length=20,
        help_text="From the child's transfer file: 13 characters, like A123456789012",
        error_messages={"required": "Enter the child's UPN"},
    )
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2015")

    def clean_upn(self) -> str:
        upn = normalise_upn(self.cleaned_data["upn"])
        validate_upn(upn)
        return upn


class TransferForm(_Placement):
    """The authority moves a child to another of its settings."""

    dual = forms.TypedChoiceField(
        label="Are they staying on roll at their current setting too?",
        coerce=lambda v: v == "yes",
        choices=[
            ("no", "No, they are leaving it"),
            ("yes", "Yes, dual registration: they attend both for a time"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they stay on roll at their current setting",
            "invalid_choice": "Select whether they stay on roll at their current setting",
        },
    )
