from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from vsend.children.census import NeedType, Sex
from vsend.insights.queries import Filters
from vsend.insights.terms import parse_term, recent_terms
from vsend.organisations.models import NATIONAL_CURRICULUM_YEARS


class InsightFilterForm(forms.Form):
    term = forms.ChoiceField(label="As at", required=False)
    year = forms.ChoiceField(
        label="Year group", required=False, choices=[("", "All"), *NATIONAL_CURRICULUM_YEARS]
    )
    school_class = forms.TypedChoiceField(
        label="Class", required=False, coerce=int, empty_value=None
    )
    sen_provision = forms.ChoiceField(
        label="SEN provision",
        required=False,
        choices=[("", "All children"), ("K", "SEN support"), ("E", "EHC plan")],
    )
    need = forms.ChoiceField(
        label="Primary need", required=False, choices=[("", "All"), *NeedType.choices]
    )
    sex = forms.ChoiceField(label="Sex", required=False, choices=[("", "All"), *Sex.choices])
    setting = forms.TypedChoiceField(
        label="Compare a setting", required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        classes: Any = None,
        settings: Any = None,
        anonymous: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        terms = [(t.slug, f"End of {t.label}") for t in reversed(recent_terms(today, 7)[:-1])]
        # Figures for viewers who may not see children are published as at term ends only;
        # with no term chosen they get the last one ended.
        first = [("", terms[0][1])] if anonymous else [("", "Today")]
        self.fields["term"].choices = [*first, *terms]  # type: ignore[attr-defined]
        if anonymous:  # whole setting or authority only: narrowed views could be compared
            for name in ("year", "sen_provision", "need", "sex"):
                del self.fields[name]
            classes = None
        if classes is None:
            del self.fields["school_class"]
        else:
            self.fields["school_class"].choices = [("", "All")] + [(c.pk, c.name) for c in classes]  # type: ignore[attr-defined]
        if settings is None:
            del self.fields["setting"]
        else:
            self.fields["setting"].choices = [("", "None")] + [(s.pk, s.name) for s in settings]  # type: ignore[attr-defined]

    def as_at(self) -> date:
        today = timezone.localdate()
        slug = self.cleaned_data.get("term") if self.is_valid() else ""
        term = parse_term(slug) if slug else None
        return min(term.ends, today) if term else today

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        c = self.cleaned_data
        return Filters(
            year=c.get("year") or "",  # absent fields (anonymous viewers) read as no filter
            school_class=c.get("school_class"),
            sen_provision=c.get("sen_provision") or "",
            need=c.get("need") or "",
            sex=c.get("sex") or "",
        )
