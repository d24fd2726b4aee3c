from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from vsend.config.forms import GovukDateField
from vsend.organisations.models import NATIONAL_CURRICULUM_YEARS, Setting


class ImportForm(forms.Form):
    record = forms.FileField(
        label="Portable record (JSON)",
        error_messages={
            "required": "Select the portable record file",
            "empty": "The selected file is empty",
        },
    )
    setting = forms.ModelChoiceField(
        label="Your setting",
        queryset=Setting.objects.none(),
        empty_label="Choose a setting",
        error_messages={
            "required": "Select your setting",
            "invalid_choice": "Select a setting from the list",
        },
    )
    year = forms.ChoiceField(
        label="Year group (if the child is new to your setting)",
        required=False,
        choices=[("", "Choose a year group"), *NATIONAL_CURRICULUM_YEARS],
        error_messages={"invalid_choice": "Select a year group from the list"},
    )
    started_on = GovukDateField(
        label="Their first day at your setting (if they are new to it)",
        required=False,
        help_text="For example, 5 1 2027",
    )

    def __init__(self, *args: Any, settings_qs: QuerySet[Setting], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["setting"].queryset = settings_qs  # type: ignore[attr-defined]
        only = list(settings_qs[:2])
        if len(only) == 1:
            self.fields["setting"].initial = only[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        setting, year = data.get("setting"), data.get("year")
        if setting and year and not setting.year_groups.filter(code=year).exists():
            self.add_error(
                "year",
                f"{setting} has no {dict(NATIONAL_CURRICULUM_YEARS)[year]}: "
                "choose one of its year groups",
            )
        started: date | None = data.get("started_on")
        if bool(year) != bool(started) and not self.errors:
            self.add_error(
                "year" if not year else "started_on",
                "For a child new to your setting, give both their year group and first day",
            )
        return data
