"""Forms for transition plans: every text bounded, every date a GOV.UK date input."""

from typing import Any

from django import forms

from vsend.config.forms import EARLIEST_PLAN_DATE, GovukDateField
from vsend.organisations.models import Setting
from vsend.transitions.models import NOTE_LIMIT, Decision, Outcome, Template
from vsend.workflows.definitions import Step


class _Date(GovukDateField):
    def validate(self, value: Any) -> None:
        if value is None and self.required:
            label = self.label or "date"
            raise forms.ValidationError(f"Enter the {label[0].lower() + label[1:]}")


def _date(label: str) -> GovukDateField:
    return _Date(
        label=label,
        required=True,
        past_only=True,
        earliest=EARLIEST_PLAN_DATE,
        years_ahead=1,
        help_text="For example, 27 3 2026",
    )


def _note(label: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=NOTE_LIMIT,
        required=required,
        widget=forms.Textarea,
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {NOTE_LIMIT:,} characters or fewer",
        },
    )


def _choice(label: str, choices: list[tuple[str, Any]], missing: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class StartForm(forms.Form):
    def __init__(
        self, sending: list[Setting], receiving: list[Setting], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"] = _choice(
            "What kind of transition plan?",
            list(Template.choices),
            "Choose the kind of transition plan",
        )
        self.fields["sending_setting"] = _choice(
            "Sending setting",
            [(str(s.pk), s.name) for s in sending],
            "Choose the setting the child is moving from",
        )
        if len(sending) == 1:
            self.fields["sending_setting"].initial = str(sending[0].pk)
        self.fields["receiving_setting"] = forms.ChoiceField(
            label="Receiving setting (if known)",
            choices=[("", "Not known yet")] + [(str(s.pk), s.name) for s in receiving],
            required=False,
            error_messages={"invalid_choice": "Choose a setting from the list"},
        )
        self.fields["started_on"] = _date("Date the child was put forward")
        self.fields["note"] = _note("Why a move is being planned (optional)")


class StepForm(forms.Form):
    def __init__(self, step: Step, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"] = _date("Date done")
        if step.outcomes:
            self.fields["outcome"] = _choice(
                "What was decided?", list(step.outcomes.items()), "Choose what was decided"
            )
        self.fields["note"] = _note("Note (optional)")


class ReviewForm(forms.Form):
    held_on = _date("Date of the review")
    notes = _note("What was discussed", required=True)
    decision = _choice("What did the review decide?", list(Decision.choices), "Choose a decision")


class EndForm(forms.Form):
    outcome = _choice("Outcome", list(Outcome.choices), "Choose the outcome")
    ended_on = _date("Date the plan ended")
    note = _note("Note (optional)")


class ReceivingForm(forms.Form):
    def __init__(self, receiving: list[Setting], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_setting"] = forms.ChoiceField(
            label="Receiving setting",
            choices=[("", "Not known yet")] + [(str(s.pk), s.name) for s in receiving],
            required=False,
            error_messages={"invalid_choice": "Choose a setting from the list"},
        )
