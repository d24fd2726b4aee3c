"""Forms for running an authority's organisations and a setting's classes."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from vsend.organisations.models import (
    LocalAuthority,
    Locality,
    SchoolClass,
    Setting,
    Trust,
    YearGroup,
)


class ImportForm(forms.Form):
    extract = forms.FileField(
        label="GIAS establishment extract (CSV)",
        error_messages={
            "required": "Select the GIAS CSV file",
            "empty": "The selected file is empty",
        },
    )
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.none(),
        label="Locality for settings new to vsend",
        empty_label="Choose a locality",
        error_messages={"required": "Choose the locality new settings join"},
    )

    def __init__(self, *args: Any, localities: QuerySet[Locality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities  # type: ignore[attr-defined]


class AuthorityForm(forms.ModelForm):
    class Meta:
        model = LocalAuthority
        fields = ["name", "code"]
        labels = {"name": "Name of the local authority", "code": "LA code"}
        help_texts = {"code": "The 3-digit code GIAS gives the authority, for example 925"}
        error_messages = {
            "name": {
                "required": "Enter the local authority's name",
                "unique": "There is a local authority with this name already",
            },
            "code": {
                "required": "Enter the 3-digit LA code",
                "unique": "There is a local authority with this LA code already",
            },
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if LocalAuthority.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("There is a local authority with this name already")
        return name

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class LocalityForm(forms.ModelForm):
    class Meta:
        model = Locality
        fields = ["name"]
        error_messages = {"name": {"required": "Enter the locality's name"}}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = Locality.objects.filter(authority_id=self.instance.authority_id, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("The authority has a locality with this name already")
        return name


class TrustForm(forms.ModelForm):
    class Meta:
        model = Trust
        fields = ["name"]
        error_messages = {
            "name": {
                "required": "Enter the trust's name",
                "unique": "A trust with this name exists already",
            }
        }


class SettingForm(forms.ModelForm):
    class Meta:
        model = Setting
        fields = [
            "name",
            "urn",
            "establishment_number",
            "setting_type",
            "locality",
            "trust",
            "postcode",
        ]
        error_messages = {
            "name": {"required": "Enter the setting's name"},
            "urn": {
                "required": "Enter the setting's 6-digit URN",
                "unique": "A setting with this URN is in vsend already",
            },
            "establishment_number": {
                "max_length": "Enter the 4-digit DfE establishment number",
            },
            "setting_type": {"required": "Choose the type of setting"},
            "locality": {"required": "Choose the setting's locality"},
        }

    def __init__(self, *args: Any, authority_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.authority_id = authority_id
        self.fields["locality"].queryset = Locality.objects.filter(  # type: ignore[attr-defined]
            authority_id=authority_id
        )


class YearGroupForm(forms.Form):
    year = forms.ChoiceField(
        label="Year group", error_messages={"required": "Choose the year group to add"}
    )

    def __init__(self, *args: Any, setting: Setting, **kwargs: Any) -> None:
        from vsend.organisations.models import NATIONAL_CURRICULUM_YEARS

        super().__init__(*args, **kwargs)
        held = set(setting.year_groups.values_list("code", flat=True))
        self.fields["year"].choices = [("", "Choose a year group")] + [  # type: ignore[attr-defined]
            (code, name) for code, name in NATIONAL_CURRICULUM_YEARS if code not in held
        ]


class ClassForm(forms.Form):
    name = forms.CharField(
        label="Class name", max_length=100, error_messages={"required": "Enter the class name"}
    )
    year_group = forms.ModelChoiceField(
        queryset=YearGroup.objects.none(),
        required=False,
        label="Year group (optional)",
        empty_label="Mixed or none",
    )

    def __init__(self, *args: Any, setting: Setting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setting = setting
        self.fields["year_group"].queryset = setting.year_groups.all()  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if SchoolClass.objects.filter(setting=self.setting, name__iexact=name).exists():
            raise forms.ValidationError("This setting has a class with this name already")
        return name


class MoveForm(forms.Form):
    children = forms.MultipleChoiceField(
        label="Children to move",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the children to move"},
    )
    to_class = forms.ModelChoiceField(
        queryset=SchoolClass.objects.none(),
        label="Move them to",
        empty_label="Choose a class",
        error_messages={"required": "Choose the class to move them to"},
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], classes: QuerySet[SchoolClass], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["children"].choices = choices  # type: ignore[attr-defined]
        self.fields["to_class"].queryset = classes  # type: ignore[attr-defined]
