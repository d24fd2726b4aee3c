"""Forms for inviting people, changing their roles, and accepting an invitation."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vsend.accounts.roles import CLASS_ROLES, YOUNG_PERSON_MIN_AGE, Role
from vsend.children.models import Child, Relationship
from vsend.organisations.models import SchoolClass, Setting

YES_NO = [("yes", "Yes"), ("no", "No")]


class ChildChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} (born {obj.date_of_birth.day} {obj.date_of_birth:%B %Y})"


class InvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={
            "required": "Enter the person's full name",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The invitation is sent here. The person signs in with this address",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "The email address must be 254 characters or fewer",
        },
    )
    role = forms.ChoiceField(
        label="Role", error_messages={"required": "Choose the role they will have"}
    )
    classes = forms.ModelMultipleChoiceField(
        label="Classes they teach",
        queryset=SchoolClass.objects.none(),
        required=False,
        help_text="A teacher sees the children in these classes",
        error_messages={"invalid_choice": "Choose classes from the list"},
    )
    children = ChildChoiceField(
        label="Children",
        queryset=Child.objects.none(),  # scope-lint: allow empty; the view gives the scoped set
        required=False,
        help_text="For a parent or carer, the children they will see. For a young person, "
        "their own record (16 or over)",
        error_messages={"invalid_choice": "Choose children from the list"},
    )
    relationship = forms.ChoiceField(
        label="Relationship to the children",
        choices=[("", "")] + list(Relationship.choices),
        required=False,
    )
    parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility?", choices=YES_NO, required=False
    )

    def __init__(
        self,
        *args: Any,
        roles: list[str],
        setting: Setting | None = None,
        children: QuerySet[Child] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r, Role(r).label) for r in roles]
        self.family = bool({Role.PARENT, Role.YOUNG_PERSON} & set(roles))
        self.teaching = bool(CLASS_ROLES & set(roles))
        classes = self.fields["classes"]
        kids = self.fields["children"]
        assert isinstance(classes, forms.ModelMultipleChoiceField)
        assert isinstance(kids, forms.ModelMultipleChoiceField)
        if setting is not None and self.teaching:
            classes.queryset = SchoolClass.objects.filter(setting=setting)
        else:
            del self.fields["classes"]
        if children is not None and self.family:
            kids.queryset = children
        else:
            for name in ("children", "relationship", "parental_responsibility"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role in CLASS_ROLES and "classes" in self.fields and not data.get("classes"):
            self.add_error("classes", "Choose at least one class they teach")
        kids = list(data.get("children") or [])
        if role == Role.PARENT:
            if not kids:
                self.add_error("children", "Choose the children this parent or carer will see")
            if not data.get("relationship"):
                self.add_error("relationship", "Choose their relationship to the children")
            if not data.get("parental_responsibility"):
                self.add_error(
                    "parental_responsibility", "Say whether they have parental responsibility"
                )
        if role == Role.YOUNG_PERSON:
            today = timezone.localdate()
            if len(kids) != 1:
                self.add_error("children", "Choose the young person's own record, and only that")
            elif kids[0].age_on(today) < YOUNG_PERSON_MIN_AGE:
                self.add_error(
                    "children",
                    f"{kids[0].full_name} is under {YOUNG_PERSON_MIN_AGE}: young people can "
                    f"have their own account from age {YOUNG_PERSON_MIN_AGE}",
                )
        return data


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label="Role", error_messages={"required": "Choose a role"})
    classes = forms.ModelMultipleChoiceField(
        label="Classes they teach",
        queryset=SchoolClass.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose classes from the list"},
    )

    def __init__(self, *args: Any, roles: list[str], setting: Setting | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r, Role(r).label) for r in roles]
        classes = self.fields["classes"]
        assert isinstance(classes, forms.ModelMultipleChoiceField)
        if setting is not None:
            classes.queryset = SchoolClass.objects.filter(setting=setting)
        else:
            del self.fields["classes"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") in CLASS_ROLES and "classes" in self.fields and not data.get("classes"):
            self.add_error("classes", "Choose at least one class they teach")
        return data


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        error_messages={
            "required": _("Enter your full name"),
            "max_length": _("Your name must be 200 characters or fewer"),
        },
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        max_length=4096,
        help_text=_("At least 12 characters. Do not use a password you use anywhere else"),
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter a password")},
    )
    password2 = forms.CharField(
        label=_("Confirm your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter your password again")},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The passwords do not match"))
        elif p1:
            from vsend.accounts.models import User

            probe = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc.messages[0])
        return data
