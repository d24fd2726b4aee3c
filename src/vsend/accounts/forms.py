from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Enter a correct email address and password"),
        "inactive": _("This account has been suspended. Ask your administrator to restore it"),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Email address")
        self.fields["username"].error_messages["required"] = _("Enter your email address")
        self.fields["password"].error_messages["required"] = _("Enter your password")
        # AuthenticationForm sets max_length after the field is made, so nothing checked it:
        # an over-long address went on to the lockout table (255 characters) and failed there.
        self.fields["username"].validators.append(
            MaxLengthValidator(254, _("Email address must be 254 characters or fewer"))
        )
        self.fields["password"].validators.append(
            MaxLengthValidator(4096, _("Password must be 4,096 characters or fewer"))
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Security code"),
        max_length=10,
        error_messages={
            "required": _("Enter the 6-digit security code from your authenticator app")
        },
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("The security code must be 6 numbers"))
        return code


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name for this token",
        max_length=100,
        help_text="So you can recognise it later, for example 'MIS export'",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=40,
        help_text=_("For example, abcde-23456"),
        error_messages={
            "required": _("Enter one of your recovery codes"),
            "max_length": _("A recovery code is 10 letters and numbers, like abcde-23456"),
        },
    )

    def clean_code(self) -> str:
        from vsend.accounts.recovery import ALPHABET, CODE_LENGTH, normalise

        code = normalise(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or not set(code) <= set(ALPHABET):
            raise forms.ValidationError(
                _("A recovery code is 10 letters and numbers, like abcde-23456")
            )
        return code


class LanguageForm(forms.Form):
    """The family's own language, among those the authority offers (settings.LANGUAGES)."""

    language = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings
        from django.utils.translation import gettext as _

        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - for the type checker
        field.choices = list(settings.LANGUAGES)
        field.label = _("Language for your pages")
        field.error_messages = {
            "required": _("Choose a language"),
            "invalid_choice": _("Choose one of the languages listed"),
        }
