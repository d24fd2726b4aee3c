from typing import Any

from django import forms

from vsend.exchange.columns import COLUMNS


class UploadForm(forms.Form):
    register = forms.FileField(
        label="Register or Common Transfer File",
        error_messages={
            "required": "Select the register file or Common Transfer File",
            "empty": "The selected file is empty",
        },
    )


class MappingForm(forms.Form):
    """One choice per vsend column: which of the file's columns holds it (or none)."""

    def __init__(self, *args: Any, headers: list[str], initial_mapping: dict[str, str], **kw: Any):
        super().__init__(*args, **kw)
        choices = [("", "Not in this file")] + [(h, h) for h in headers]
        for column in COLUMNS:
            self.fields[column.field] = forms.ChoiceField(
                label=column.header,
                choices=choices,
                required=column.required,
                initial=initial_mapping.get(column.field, ""),
                error_messages={
                    "required": f"Choose the column that holds the {column.header.lower()}",
                    "invalid_choice": f"Choose one of the file's columns for {column.header}",
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for column in COLUMNS:
            header = data.get(column.field)
            if not header:
                continue
            if header in used:
                self.add_error(
                    column.field,
                    f"The column '{header}' is already chosen for {used[header]}: choose "
                    "another column",
                )
            used.setdefault(header, column.header)
        return data

    def mapping(self) -> dict[str, str]:
        return {
            c.field: self.cleaned_data[c.field] for c in COLUMNS if self.cleaned_data.get(c.field)
        }


class ConfirmForm(forms.Form):
    end_missing = forms.BooleanField(
        required=False,
        label="These children have left: end their enrolment here from yesterday",
    )


class CtfExportForm(forms.Form):
    children = forms.MultipleChoiceField(
        label="Children leaving",
        error_messages={"required": "Select at least one child to put in the file"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["children"].choices = choices  # type: ignore[attr-defined]
