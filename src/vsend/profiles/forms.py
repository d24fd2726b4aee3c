"""Forms for each step of a profile, built from the framework the profile was made with."""

import dataclasses
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext

from vsend.config.forms import EARLIEST_PLAN_DATE, PLAN_YEARS_AHEAD, GovukDateField
from vsend.frameworks.loader import Framework
from vsend.profiles.models import OutcomeReview, SupportOutcome
from vsend.profiles.services import ActionPlan, OutcomePlan
from vsend.voice.questions import family_level_words

ACTION_ROWS = 2


def one_area(framework: Framework, key: str) -> Framework:
    """The framework narrowed to one area: the step forms then make one area's page."""
    return dataclasses.replace(framework, domains=(framework.domain(key),))


def _levels(framework: Framework, attr: str) -> list[tuple[str, str]]:
    return [(str(lv.level), f"{lv.level}: {getattr(lv, attr)}") for lv in framework.scale]


def _text(label: str, required: bool = False, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"max_length": f"{label} must be 5,000 characters or fewer"},
        **kw,
    )


def _plan_date(**kw: Any) -> GovukDateField:
    """Assessment, review and plan dates: from 2000 to a few years ahead."""
    return GovukDateField(earliest=EARLIEST_PLAN_DATE, years_ahead=PLAN_YEARS_AHEAD, **kw)


class StartProfileForm(forms.Form):
    assessment_date = _plan_date(label="Assessment date", help_text="For example, 12 11 2026")
    age_band = forms.ChoiceField(
        label="Which version of the framework?",
        widget=forms.RadioSelect,
        choices=[("under_5", "Under 5"), ("5_to_25", "5 to 25")],
        required=False,
    )
    reason = _text("Why use the other version?")

    def clean_assessment_date(self) -> date:
        value = self.cleaned_data["assessment_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("Assessment date must be today or in the past")
        return value


class AboutForm(forms.Form):
    assessment_date = _plan_date(label="Assessment date")
    strengths = _text(
        "Strengths: what is going well, what they are good at",
        help_text="In the words of the people who know them best",
    )
    child_views = _text(
        "Their own views: what they like, what helps, what is hard",
        help_text="Gathered before the meeting, in the way that suits them best",
    )
    aspirations = _text("Their hopes and aspirations")
    family_views = _text("The family's views")

    def clean_assessment_date(self) -> date:
        value = self.cleaned_data["assessment_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("Assessment date must be today or in the past")
        return value


class DomainForm(forms.Form):
    """A form with the same few fields for each of the framework's domains."""

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        self.framework = framework
        super().__init__(*args, **kwargs)
        for d in framework.domains:
            self.add_domain_fields(d)

    def add_domain_fields(self, d: Any) -> None:
        raise NotImplementedError

    def level_field(self, attr: str, message: str) -> forms.TypedChoiceField:
        return forms.TypedChoiceField(
            label="Level",
            choices=_levels(self.framework, attr),
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": message, "invalid_choice": message},
        )

    def domain_fields(self, key: str) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.endswith(f"__{key}")]


class NeedsForm(DomainForm):
    def add_domain_fields(self, d: Any) -> None:
        self.fields[f"need__{d.key}"] = self.level_field(
            "need", f"Select the level of need for {d.name.lower()}"
        )
        self.fields[f"evidence__{d.key}"] = _text(
            f"Evidence for {d.name.lower()}", help_text="What you have seen, and who told you"
        )

    def ratings(self) -> dict[str, dict[str, Any]]:
        c = self.cleaned_data
        return {
            d.key: {"level": c[f"need__{d.key}"], "evidence": c[f"evidence__{d.key}"]}
            for d in self.framework.domains
        }


class NeedAreaForm(forms.Form):
    """One area of need on its own page."""

    level = forms.TypedChoiceField(label="", choices=[], coerce=int, widget=forms.RadioSelect)
    evidence = _text("Evidence", help_text="What you have seen, and who told you")

    def __init__(self, *args: Any, framework: Framework, domain: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        message = f"Select the level of need for {domain.name.lower()}"
        self.fields["level"].choices = _levels(framework, "need")  # type: ignore[attr-defined]
        self.fields["level"].error_messages = {"required": message, "invalid_choice": message}
        self.fields["level"].label = f"Level of need in {domain.name.lower()}"


class ReadinessForm(DomainForm):
    def add_domain_fields(self, d: Any) -> None:
        self.fields[f"prompts__{d.key}"] = forms.MultipleChoiceField(
            label="What is already in place?",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(p.id, p.text) for p in d.readiness_prompts],
            error_messages={"invalid_choice": "Select from the list"},
        )
        self.fields[f"readiness__{d.key}"] = self.level_field(
            "readiness", f"Select how ready the setting is to meet needs in {d.name.lower()}"
        )
        self.fields[f"rnote__{d.key}"] = _text(f"Notes on readiness for {d.name.lower()}")

    def ratings(self) -> dict[str, dict[str, Any]]:
        c = self.cleaned_data
        return {
            d.key: {
                "level": c[f"readiness__{d.key}"],
                "prompts": c[f"prompts__{d.key}"],
                "note": c[f"rnote__{d.key}"],
            }
            for d in self.framework.domains
        }


class HomeForm(DomainForm):
    """Staff recording the family's home confidence on their behalf."""

    def add_domain_fields(self, d: Any) -> None:
        self.fields[f"confidence__{d.key}"] = self.level_field(
            "confidence", f"Select how confident the family feels about {d.name.lower()}"
        )
        self.fields[f"cnote__{d.key}"] = _text(f"What the family said about {d.name.lower()}")

    def ratings(self) -> dict[str, dict[str, Any]]:
        c = self.cleaned_data
        return {
            d.key: {"level": c[f"confidence__{d.key}"], "note": c[f"cnote__{d.key}"]}
            for d in self.framework.domains
        }


class FamilyAnswerForm(forms.Form):
    """One domain, one page, for a parent or carer."""

    level = forms.TypedChoiceField(label="", choices=[], coerce=int, widget=forms.RadioSelect)
    note = _text("Anything you want to tell us (optional)")

    def __init__(self, *args: Any, framework: Framework, domain: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        message = gettext("Select the answer that fits your family best")
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (str(lv.level), gettext(lv.confidence)) for lv in framework.scale
        ]
        self.fields["level"].error_messages = {"required": message, "invalid_choice": message}
        note = self.fields["note"]
        note.label = gettext("Anything you want to tell us (optional)")
        note.error_messages["max_length"] = gettext(
            "What you tell us must be 5,000 characters or fewer"
        )
        level = self.fields["level"]
        level.label = gettext("How confident do you feel about %(area)s at home?") % {
            "area": gettext(domain.name).lower()
        }
        level.help_text = gettext(
            "If your child needs no extra help with this, choose “%(answer)s”."
        ) % {"answer": gettext(framework.scale[-1].confidence)}
        # The family's own view of need, on the same levels as the setting's (ADR 28): optional.
        self.fields["need"] = forms.TypedChoiceField(
            label=gettext("How much extra help do you think your child needs with this?"),
            help_text=gettext("You do not have to answer this."),
            choices=[("", gettext("I am not sure"))]
            + [(str(i), w) for i, w in enumerate(family_level_words(len(framework.scale)))],
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": gettext("Choose one of the answers, or “I am not sure”")
            },
        )


class PlanForm(DomainForm):
    """The whole plan, or (whole=False, with a one-area framework) one area's outcome, actions
    and last outcomes' reviews; the review date and "at least one outcome" belong to the whole."""

    def __init__(
        self,
        *args: Any,
        previous_outcomes: list[SupportOutcome],
        whole: bool = True,
        **kwargs: Any,
    ) -> None:
        self.previous_outcomes = previous_outcomes
        self.whole = whole
        super().__init__(*args, **kwargs)
        for o in previous_outcomes:
            self.fields[f"review__{o.pk}"] = forms.ChoiceField(
                label=o.what,
                choices=OutcomeReview.Result.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Say how far this outcome was achieved",
                    "invalid_choice": "Say how far this outcome was achieved",
                },
            )
            self.fields[f"reviewnote__{o.pk}"] = _text("What happened")
        if not whole:
            return
        self.fields["review_date"] = _plan_date(
            label="Review date", help_text="Usually 6 to 8 weeks away, or next term"
        )

    def add_domain_fields(self, d: Any) -> None:
        k = d.key
        self.fields[f"what__{k}"] = _text("What will be different?")
        self.fields[f"know__{k}"] = _text("How will we know?")
        self.fields[f"when__{k}"] = _plan_date(label="By when?", required=False)
        for n in range(ACTION_ROWS):
            self.fields[f"a{n}what__{k}"] = forms.CharField(
                label="What will be done", required=False, max_length=500
            )
            self.fields[f"a{n}who__{k}"] = forms.CharField(
                label="Who", required=False, max_length=200
            )
            self.fields[f"a{n}often__{k}"] = forms.CharField(
                label="How often", required=False, max_length=200
            )
            self.fields[f"a{n}from__{k}"] = _plan_date(label="From", required=False)
            self.fields[f"a{n}until__{k}"] = _plan_date(label="Until (optional)", required=False)

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        for d in self.framework.domains:
            k, name = d.key, d.name.lower()
            parts = {
                f"what__{k}": "what will be different",
                f"know__{k}": "how you will know",
                f"when__{k}": "by when",
            }
            given = [f for f in parts if c.get(f)]
            if given and len(given) < len(parts):
                for f, words in parts.items():
                    if not c.get(f) and f not in self.errors:
                        self.add_error(
                            f, f"Enter {words} for the {name} outcome, or leave the outcome blank"
                        )
            for n in range(ACTION_ROWS):
                row = {
                    f"a{n}what__{k}": "what will be done",
                    f"a{n}who__{k}": "who will do it",
                    f"a{n}often__{k}": "how often",
                    f"a{n}from__{k}": "when it starts",
                }
                given = [f for f in row if c.get(f)]
                if given and len(given) < len(row):
                    for f, words in row.items():
                        if not c.get(f) and f not in self.errors:
                            self.add_error(
                                f,
                                f"Enter {words} for this {name} action, or leave the action blank",
                            )
                start, end = c.get(f"a{n}from__{k}"), c.get(f"a{n}until__{k}")
                if start and end and end < start:
                    self.add_error(f"a{n}until__{k}", "The end date must be after the start date")
        if (
            self.whole
            and not any(c.get(f"what__{d.key}") for d in self.framework.domains)
            and not self.errors
        ):
            self.add_error(None, "Add at least one outcome to the plan")
        return c

    def outcomes(self) -> list[OutcomePlan]:
        c = self.cleaned_data
        return [
            OutcomePlan(d.key, c[f"what__{d.key}"], c[f"know__{d.key}"], c[f"when__{d.key}"])
            for d in self.framework.domains
            if c.get(f"what__{d.key}")
        ]

    def actions(self) -> list[ActionPlan]:
        c = self.cleaned_data
        return [
            ActionPlan(
                d.key,
                c[f"a{n}what__{d.key}"],
                c[f"a{n}who__{d.key}"],
                c[f"a{n}often__{d.key}"],
                c[f"a{n}from__{d.key}"],
                c.get(f"a{n}until__{d.key}"),
            )
            for d in self.framework.domains
            for n in range(ACTION_ROWS)
            if c.get(f"a{n}what__{d.key}")
        ]

    def reviews(self) -> dict[int, tuple[str, str]]:
        c = self.cleaned_data
        return {
            o.pk: (c[f"review__{o.pk}"], c[f"reviewnote__{o.pk}"]) for o in self.previous_outcomes
        }


class ReviewDateForm(forms.Form):
    review_date = _plan_date(
        label="When will the plan be reviewed?", help_text="Usually 6 to 8 weeks away, or next term"
    )
