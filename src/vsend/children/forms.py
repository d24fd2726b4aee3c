from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from vsend.children.census import NeedType, SENProvision, Sex
from vsend.children.cohort import WITH_SEN
from vsend.children.models import Child, age_in_years
from vsend.children.selectors import upn_holder
from vsend.children.validators import normalise_upn, validate_uln, validate_upn
from vsend.config.forms import GovukDateField, years_before
from vsend.config.ids import IdField
from vsend.config.jinja2 import format_date
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.organisations.models import NATIONAL_CURRICULUM_YEARS, SchoolClass, Setting

MAX_AGE = 25
NEED_CHOICES = [("", "None")] + list(NeedType.choices)


def _required(what: str) -> dict[str, str]:
    return {"required": f"Enter {what}"}


class ChildDetailsForm(forms.Form):
    """A child's details: used to add a child and to change their details."""

    first_name = forms.CharField(
        label="First name", max_length=100, error_messages=_required("the child's first name")
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages=_required("the child's last name")
    )
    preferred_name = forms.CharField(
        label="Preferred name (optional)",
        max_length=100,
        required=False,
        help_text="The name they like to be called, if different",
    )
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2015")
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the child's sex",
            "invalid_choice": "Select the child's sex",
        },
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN) (optional)",
        required=False,
        max_length=20,
        help_text="13 characters, like A123456789012",
    )
    uln = forms.CharField(
        label="Unique learner number (ULN) (optional)",
        required=False,
        max_length=20,
        help_text="10 numbers, for young people in further education or training",
    )
    sen_provision = forms.ChoiceField(
        label="SEN provision",
        choices=SENProvision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the child's SEN provision",
            "invalid_choice": "Select the child's SEN provision",
        },
    )
    primary_need = forms.ChoiceField(
        label="Primary type of need",
        choices=NEED_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Select a primary type of need from the list"},
    )
    secondary_need = forms.ChoiceField(
        label="Secondary type of need (optional)",
        choices=NEED_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Select a secondary type of need from the list"},
    )
    home_language = forms.CharField(
        label="Home language", max_length=100, required=False, initial="English"
    )

    def __init__(
        self,
        *args: Any,
        authority_id: int | None,
        visible_children: QuerySet[Child],
        child: Child | None = None,
        **kwargs: Any,
    ) -> None:
        self.authority_id = authority_id
        self.child = child
        self.visible_children = visible_children
        # Set by the UPN check: a child the user may see, or one they may not.
        self.upn_holder: Child | None = None
        self.upn_held_elsewhere: Child | None = None
        super().__init__(*args, **kwargs)

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError("Date of birth must be in the past")
        if age_in_years(born, today) > MAX_AGE:
            earliest = years_before(today, MAX_AGE + 1)
            raise forms.ValidationError(
                f"Date of birth must be after {format_date(earliest)}: vsend is for children "
                "and young people aged 0 to 25"
            )
        return born

    def clean_upn(self) -> str:
        upn = normalise_upn(self.cleaned_data["upn"])
        if not upn:
            return ""
        validate_upn(upn)
        return upn

    def authority_for(self, data: dict[str, Any]) -> int | None:
        return self.authority_id

    def _check_duplicate_upn(self, data: dict[str, Any]) -> None:
        """A UPN names one child in an authority. Only a child the user may see is named back
        to them; otherwise the message is the same whoever holds the UPN, and the view has the
        authority told (self.upn_held_elsewhere), so the form is no way to learn who is known."""
        upn, authority_id = data.get("upn"), self.authority_for(data)
        if not upn or not authority_id:
            return
        holder = upn_holder(authority_id, upn, excluding=self.child)
        if holder is None:
            return
        if self.visible_children.filter(pk=holder.pk).exists():
            self.upn_holder = holder
            self.add_error(
                "upn",
                f"This UPN is already recorded for {holder.full_name}: check the UPN, "
                "or open their record instead",
            )
            return
        self.upn_held_elsewhere = holder
        self.add_error(
            "upn",
            "This UPN cannot be saved. Check it has been copied correctly. If it is right, "
            f"contact {holder.authority}: they can check it and help",
        )

    def clean_uln(self) -> str:
        uln = self.cleaned_data["uln"].replace(" ", "")
        if uln:
            validate_uln(uln)
        return uln

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        provision = data.get("sen_provision")
        primary, secondary = data.get("primary_need", ""), data.get("secondary_need", "")
        if provision == SENProvision.NONE:
            if primary:
                self.add_error(
                    "primary_need",
                    "A child with no special educational need has no "
                    "type of need: choose 'None' or change their SEN provision",
                )
            if secondary:
                self.add_error(
                    "secondary_need",
                    "A child with no special educational need has no "
                    "type of need: choose 'None' or change their SEN provision",
                )
        elif provision in (SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN):
            if not primary and "primary_need" not in self.errors:
                self.add_error(
                    "primary_need",
                    "Select the primary type of need for a child with SEN support or an EHC plan",
                )
            if NeedType.NSA in (primary, secondary) and provision != SENProvision.SEN_SUPPORT:
                field = "primary_need" if primary == NeedType.NSA else "secondary_need"
                self.add_error(
                    field,
                    "'No specialist assessment of type of need' can only be "
                    "used for a child on SEN support",
                )
            if secondary and secondary == primary:
                self.add_error(
                    "secondary_need",
                    "Secondary type of need must be different from the primary type of need",
                )
            if secondary and not primary and "primary_need" not in self.errors:
                self.add_error(
                    "primary_need", "Select a primary type of need before a secondary one"
                )
        self._check_duplicate_upn(data)
        return data


class NewChildForm(ChildDetailsForm):
    """A new child, with where they are enrolled."""

    setting = forms.ModelChoiceField(
        label="Setting",
        queryset=Setting.objects.none(),
        empty_label="Choose a setting",
        error_messages={
            "required": "Select the setting the child attends",
            "invalid_choice": "Select a setting from the list",
        },
    )
    year = forms.ChoiceField(
        label="Year group",
        choices=[("", "Choose a year group"), *NATIONAL_CURRICULUM_YEARS],
        error_messages={
            "required": "Select the child's year group",
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
        label="Date they started at the setting", help_text="For example, 4 9 2025"
    )

    def __init__(self, *args: Any, settings_qs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["setting"].queryset = settings_qs  # type: ignore[attr-defined]
        self.fields["school_class"].queryset = SchoolClass.objects.filter(  # type: ignore[attr-defined]
            setting__in=settings_qs
        ).select_related("setting")
        only = list(settings_qs[:2])
        if len(only) == 1:
            self.fields["setting"].initial = only[0].pk

    def clean_started_on(self) -> date:
        started = self.cleaned_data["started_on"]
        if started > timezone.localdate():
            raise forms.ValidationError("Date they started must be today or in the past")
        return started

    def authority_for(self, data: dict[str, Any]) -> int | None:
        setting = data.get("setting")
        return setting.authority_id if setting else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
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
        born, started = data.get("date_of_birth"), data.get("started_on")
        if born and started and started < born:
            self.add_error("started_on", "Date they started must be after their date of birth")
        return data


class ChildFilterForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100)
    year = forms.ChoiceField(
        label="Year group",
        required=False,
        choices=[("", "All year groups"), *NATIONAL_CURRICULUM_YEARS],
    )
    school_class = forms.TypedChoiceField(
        label="Class", required=False, coerce=int, empty_value=None
    )
    sen_provision = forms.ChoiceField(
        label="SEN provision",
        required=False,
        choices=[
            ("", "All"),
            (WITH_SEN, "SEN support or an EHC plan"),
            *SENProvision.choices,
        ],
    )
    need = forms.ChoiceField(
        label="Primary type of need",
        required=False,
        choices=[("", "All types of need"), *NeedType.choices],
    )
    sex = forms.ChoiceField(  # set by links from a dashboard figure
        required=False, widget=forms.HiddenInput, choices=[("", ""), *Sex.choices]
    )

    # Set by links from a dashboard figure; kept as hidden fields.
    setting = IdField(required=False, widget=forms.HiddenInput)
    domain = forms.ChoiceField(
        required=False, widget=forms.HiddenInput, choices=[("", "")] + [(k, k) for k in DOMAIN_KEYS]
    )
    level = forms.IntegerField(required=False, min_value=0, max_value=9, widget=forms.HiddenInput)
    min_level = forms.IntegerField(
        required=False, min_value=0, max_value=9, widget=forms.HiddenInput
    )
    gap = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        choices=[("", ""), ("readiness", "readiness"), ("confidence", "confidence")],
    )
    profile = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        choices=[("", ""), ("current", "current"), ("none", "none"), ("overdue", "overdue")],
    )
    HIDDEN = ("setting", "sex", "domain", "level", "min_level", "gap", "profile")

    def __init__(self, *args: Any, classes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        many_settings = len({c.setting_id for c in classes}) > 1
        self.fields["school_class"].choices = [("", "All classes")] + [  # type: ignore[attr-defined]
            (c.pk, f"{c.name} ({c.setting.name})" if many_settings else c.name) for c in classes
        ]
