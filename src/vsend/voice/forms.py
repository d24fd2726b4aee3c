"""Forms for the child's own pages: every input bounded, every message in plain words."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vsend.voice.questions import Question, catalogue, child_level_words

SKIP = "skip"


class AnswerForm(forms.Form):
    """One question: pictures, a few words, or "I don't want to say"."""

    symbols = forms.MultipleChoiceField(
        label="", required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    words = forms.CharField(
        label=gettext_lazy("Or write a few words"),
        required=False,
        widget=forms.Textarea,
        max_length=catalogue().max_words,
    )
    skip = forms.BooleanField(label=gettext_lazy("I don't want to say"), required=False)

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = catalogue().max_words
        self.fields["symbols"].choices = [(s.key, s.label) for s in question.choices]  # type: ignore[attr-defined]
        self.fields["symbols"].error_messages["invalid_choice"] = _("Choose from the pictures")
        self.fields["words"].error_messages["max_length"] = _("Use %(limit)s letters or fewer") % {
            "limit": limit
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked, words, skip = data.get("symbols") or [], data.get("words", ""), data.get("skip")
        most = catalogue().max_symbols
        if len(picked) > most:
            self.add_error("symbols", _("Choose %(most)s pictures or fewer") % {"most": most})
        elif skip and (picked or words):
            self.add_error("skip", _("Choose “I don't want to say” or give an answer. Not both."))
        elif not (picked or words or skip) and not self.errors:
            self.add_error(
                "symbols", _("Choose a picture, write a few words, or choose “I don't want to say”")
            )
        return data


class AreaForm(forms.Form):
    """My view of one area, on the framework's need levels."""

    level = forms.ChoiceField(label="", choices=[], widget=forms.RadioSelect)

    def __init__(self, *args: Any, levels: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        words = child_level_words(levels)
        message = _("Choose how this is for you, or choose “I don't want to say”")
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            *[(str(i), w) for i, w in enumerate(words)],
            (SKIP, _("I don't want to say")),
        ]
        self.fields["level"].error_messages = {"required": message, "invalid_choice": message}

    @property
    def choice(self) -> tuple[int | None, bool]:
        value = self.cleaned_data["level"]
        return (None, True) if value == SKIP else (int(value), False)


class SendForm(forms.Form):
    helper_name = forms.CharField(
        label=gettext_lazy("Who helped you? (you do not have to say)"),
        required=False,
        max_length=100,
        error_messages={"max_length": gettext_lazy("Use 100 letters or fewer")},
    )
