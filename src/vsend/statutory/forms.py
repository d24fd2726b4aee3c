"""Forms of the statutory pathway: every text bounded, every date a GOV.UK date input."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from vsend.config.forms import EARLIEST_PLAN_DATE, GovukDateField
from vsend.statutory.models import (
    NOTE_LIMIT,
    PLAN_SECTIONS,
    TEXT_LIMIT,
    AppealAbout,
    AppealKind,
    CeaseReason,
    LetterKind,
    Received,
    Requester,
    WithdrawnBy,
)
from vsend.workflows.definitions import Definition, Step

SEN2_SETTINGS = [
    ("", "A setting with a URN (choose it above)"),
    ("OLA", "Other arrangements made by the local authority (including education otherwise)"),
    ("OPA", "Arrangements made by the parents or young person (not home education)"),
    ("EHE", "Elective home education"),
    ("EYP", "Early years provider with no URN"),
    ("OTH", "Other: a type of setting named but no setting"),
]


def _date(label: str, *, required: bool = True, help_text: str = "") -> GovukDateField:
    return GovukDateField(
        label=label,
        required=required,
        past_only=True,
        earliest=EARLIEST_PLAN_DATE,
        years_ahead=1,
        help_text=help_text or "For example, 27 3 2026",
    )


def _text(
    label: str, limit: int = TEXT_LIMIT, *, required: bool = False, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        help_text=help_text,
        widget=forms.Textarea,
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {limit:,} characters or fewer",
        },
    )


class RequestForm(forms.Form):
    reasons = _text(
        "Why are you asking for an assessment?",
        required=True,
        help_text="What the child or young person finds hard, what has been tried and what "
        "difference it made.",
    )
    family_views = _text(
        "What the family thinks", help_text="Their hopes, worries and what helps at home."
    )
    child_views = _text(
        "What the child or young person thinks",
        help_text="In their own words if you can: what they like, what is hard, what they hope for.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reasons"].error_messages["required"] = (
            "Say why you are asking for an assessment"
        )


class StepForm(forms.Form):
    def __init__(self, step: Step, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        if step.items:
            self.fields["item"] = forms.ChoiceField(
                label="Who is the advice from?",
                choices=list(step.items.items()),
                widget=forms.RadioSelect,
                error_messages={"required": "Choose who the advice is from"},
            )
        elif step.repeats:
            self.fields["item"] = forms.CharField(
                label="Which setting?",
                max_length=120,
                error_messages={"required": "Enter the setting's name"},
            )
        if step.repeats or step.due.before:
            self.fields["asked_on"] = _date(
                "Date asked" if step.repeats else "Date planned", required=False
            )
        self.fields["done_on"] = _date(
            "Date done" if step.repeats else "Date",
            required=not (step.repeats or step.due.before),
            help_text="Leave empty if it has not happened yet. For example, 27 3 2026"
            if step.repeats or step.due.before
            else "",
        )
        if step.outcomes:
            self.fields["outcome"] = forms.ChoiceField(
                label="Decision",
                choices=list(step.outcomes.items()),
                widget=forms.RadioSelect,
                error_messages={"required": "Choose the decision"},
            )
        self.fields["note"] = _text("Note (optional)", NOTE_LIMIT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "asked_on" in self.fields and not data.get("asked_on") and not data.get("done_on"):
            self.add_error("asked_on", "Enter the date it was asked for, or the date it was done")
        return data


class ExceptionForm(forms.Form):
    def __init__(self, workflow: Definition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label="Which exception applies?",
            choices=[(e.key, e.name) for e in workflow.exceptions],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the exception"},
        )
        self.fields["starts_on"] = _date("Start date")
        self.fields["ends_on"] = GovukDateField(
            label="End date",
            required=False,
            earliest=EARLIEST_PLAN_DATE,
            years_ahead=1,
            help_text="Leave empty if it has not ended yet: the time limits stay on hold.",
        )
        self.fields["note"] = _text("What happened", NOTE_LIMIT, required=True)


class EndExceptionForm(forms.Form):
    ends_on = GovukDateField(label="End date", earliest=EARLIEST_PLAN_DATE, years_ahead=1)


class LetterForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=LetterKind.choices,
        error_messages={"required": "Choose what the letter is"},
    )
    file = forms.FileField(
        label="The letter (PDF or Word, up to 5 MB)",
        error_messages={"required": "Choose the file", "empty": "The file is empty"},
    )


class AppealForm(forms.Form):
    kind = forms.ChoiceField(
        label="Mediation or tribunal?",
        choices=AppealKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose mediation or tribunal"},
    )
    about = forms.ChoiceField(
        label="What is it about?",
        choices=AppealAbout.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what it is about"},
    )
    started_on = _date("Date it began")
    ended_on = _date(
        "Date it ended", required=False, help_text="Leave empty if it is still going on."
    )
    outcome = forms.CharField(label="Outcome (optional)", max_length=300, required=False)


class PlanSectionsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in PLAN_SECTIONS.items():
            self.fields[f"section_{key}"] = _text(label)

    def sections(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"section_{k}", "") for k in PLAN_SECTIONS}


class FinalPlanForm(PlanSectionsForm):
    def __init__(self, settings_choices: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"] = _date("Date the final plan was issued")
        self.fields["start_date"] = GovukDateField(
            label="Date the plan starts", earliest=EARLIEST_PLAN_DATE, years_ahead=1
        )
        self.fields["named_setting"] = forms.ChoiceField(
            label="Setting named in section I",
            choices=[("", "None")] + settings_choices,
            required=False,
        )
        self.fields["sen_setting"] = forms.ChoiceField(
            label="If no setting with a URN is named", choices=SEN2_SETTINGS, required=False
        )
        self.fields["personal_budget"] = forms.MultipleChoiceField(
            label="Personal budget",
            choices=[
                ("taken", "A personal budget is taken up"),
                ("direct", "Some of it as direct payments"),
                ("organised", "Some of it as arrangements organised for the family"),
            ],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.order_fields(
            ["issued_on", "start_date", "named_setting", "sen_setting", "personal_budget"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("named_setting") and not data.get("sen_setting"):
            self.add_error("named_setting", "Name the setting, or choose the kind of arrangement")
        return data


class CeaseForm(forms.Form):
    ceased_on = _date("Date the plan ended")
    reason = forms.TypedChoiceField(
        label="Why did the plan end?",
        choices=CeaseReason.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the plan ended"},
    )


def area_choices() -> list[tuple[str, str]]:
    from vsend.frameworks.loader import DOMAIN_KEYS

    names = {
        "communication_interaction": "Communication and interaction",
        "cognition_learning": "Cognition and learning",
        "semh": "Social, emotional and mental health",
        "physical_sensory": "Physical and sensory",
        "independence": "Independence",
    }
    return [(k, names.get(k, k)) for k in DOMAIN_KEYS]


class PlanOutcomeForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label="Which areas of need is this outcome about?",
        choices=area_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "required": "Choose the area or areas of need this outcome is about",
            "invalid_choice": "Choose from the areas listed",
        },
    )
    outcome = _text(
        "The outcome",
        NOTE_LIMIT,
        required=True,
        help_text="What the child or young person will be able to do, and by when.",
    )
    provision = _text(
        "The provision that works towards it",
        NOTE_LIMIT,
        help_text="From section F: what support, how often and from whom.",
    )
    by_when = GovukDateField(
        label="By when (optional)",
        required=False,
        earliest=EARLIEST_PLAN_DATE,
        years_ahead=10,
        help_text="For example, 27 3 2027",
    )


class AdulthoodForm(forms.Form):
    employment = _text(
        "Employment", NOTE_LIMIT, help_text="Work, apprenticeships, supported internships."
    )
    independent_living = _text(
        "Independent living", NOTE_LIMIT, help_text="Where and with whom they want to live."
    )
    community = _text(
        "Community", NOTE_LIMIT, help_text="Friends, relationships, taking part where they live."
    )
    health = _text("Good health", NOTE_LIMIT, help_text="Managing their own health as an adult.")


class ReceivedRequestForm(RequestForm):
    """A request that reached the authority on paper, by email or another way, entered by a
    caseworker: the clock starts on the day it was received, not the day it is entered."""

    requester = forms.ChoiceField(
        label="Who made the request?",
        choices=Requester.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who made the request"},
    )
    received_how = forms.ChoiceField(
        label="How did it arrive?",
        choices=[c for c in Received.choices if c[0] != Received.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the request arrived"},
    )
    received_on = _date(
        "Date the local authority received it",
        help_text="The time limits count from this day. For example, 27 3 2026",
    )
    received_note = forms.CharField(
        label="Reference or note (optional)",
        max_length=300,
        required=False,
        help_text="For example, the post room's reference or who it was addressed to.",
        error_messages={"max_length": "Reference or note must be 300 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reasons = self.fields["reasons"]
        reasons.label = "Why the request was made"
        reasons.help_text = "In the requester's own words where you can, from the letter or email."
        reasons.error_messages["required"] = "Say why the request was made"
        self.fields["family_views"].help_text = "If the letter or email gives them."
        self.fields["child_views"].help_text = "If the letter or email gives them."

    field_order = [
        "requester",
        "received_how",
        "received_on",
        "received_note",
        "reasons",
        "family_views",
        "child_views",
    ]


class WithdrawForm(forms.Form):
    by = forms.ChoiceField(
        label="Who is withdrawing the request?",
        choices=WithdrawnBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is withdrawing the request"},
    )
    on = _date("Date withdrawn", help_text="Usually today. For example, 27 3 2026")
    reason = _text("Why is the request being withdrawn?", NOTE_LIMIT, required=True)

    def __init__(self, *args: Any, fixed_by: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_by = fixed_by
        if fixed_by:
            del self.fields["by"]
        # The family's copy of this page is translatable: its words are set per request.
        self.fields["on"].label = _("Date withdrawn")
        self.fields["on"].help_text = _("Usually today. For example, 27 3 2026")
        self.fields["reason"].label = _("Why is the request being withdrawn?")
        self.fields["reason"].error_messages["required"] = _(
            "Say why the request is being withdrawn"
        )
        self.fields["reason"].error_messages["max_length"] = _(
            "The reason must be %(limit)s characters or fewer"
        ) % {"limit": f"{NOTE_LIMIT:,}"}
