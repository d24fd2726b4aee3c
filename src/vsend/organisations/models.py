"""Local authorities, their localities, trusts, and the settings children attend."""

from datetime import timedelta

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models


class LocalAuthority(models.Model):
    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(
        "LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter the 3-digit local authority code")],
    )
    # The family's "who opened my child's record" page: staff by role and organisation only
    # (the default), or with their names too, as the authority decides (ADR 30).
    family_log_shows_staff_names = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Locality(models.Model):
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="localities"
    )
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "localities"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="unique_locality_name")
        ]

    def __str__(self) -> str:
        return self.name


class Trust(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SettingType(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    POST_16 = "post_16", "Post-16 and further education"


class SettingStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Setting(models.Model):
    """A school, early years setting, college or other provider a child attends."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="settings")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="settings")
    trust = models.ForeignKey(
        Trust, on_delete=models.SET_NULL, null=True, blank=True, related_name="settings"
    )
    name = models.CharField(max_length=200)
    urn = models.CharField(
        "URN",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", "Enter the 6-digit unique reference number")],
    )
    # The DfE establishment number: the 4 digits after the LA code (2001 in 925/2001). Common
    # Transfer Files name the school by it; blank until the register or a person gives it.
    establishment_number = models.CharField(
        "DfE establishment number",
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", "Enter the 4-digit DfE establishment number")],
        help_text="The 4-digit number after the LA code, for example 2001 in 925/2001",
    )
    setting_type = models.CharField(max_length=30, choices=SettingType.choices)
    # As the public register (GIAS) records them; blank for a setting added by hand.
    establishment_type = models.CharField(max_length=100, blank=True)
    phase = models.CharField("phase of education", max_length=50, blank=True)
    status = models.CharField(
        max_length=10, choices=SettingStatus.choices, default=SettingStatus.OPEN
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    street = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    easting = models.PositiveIntegerField(null=True, blank=True)
    northing = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.locality_id
            and self.authority_id
            and self.locality.authority_id != self.authority_id
        ):
            raise ValidationError({"locality": "Choose a locality in the setting's authority"})


class YearGroup(models.Model):
    """A year group within a setting, keyed by its national curriculum year."""

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="year_groups")
    code = models.CharField(max_length=3, help_text="N1, N2, R, 1 to 14")
    name = models.CharField(max_length=50)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["setting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "code"], name="unique_year_group_code")
        ]

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    """A class or tutor group; it may span year groups, so its year group is optional."""

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="classes")
    year_group = models.ForeignKey(
        YearGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="classes"
    )
    name = models.CharField(max_length=100)

    class Meta:
        verbose_name = "class"
        verbose_name_plural = "classes"
        ordering = ["setting", "name"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "name"], name="unique_class_name")
        ]

    def __str__(self) -> str:
        return self.name


# National curriculum years, in order, with the names schools use.
NATIONAL_CURRICULUM_YEARS: list[tuple[str, str]] = [
    ("N1", "Nursery 1"),
    ("N2", "Nursery 2"),
    ("R", "Reception"),
    *[(str(n), f"Year {n}") for n in range(1, 15)],
]


IMPORT_KEPT_FOR = timedelta(hours=2)


def _import_expiry() -> "object":
    from django.utils import timezone

    return timezone.now() + IMPORT_KEPT_FOR


class SettingsImport(models.Model):
    """An uploaded register extract between its preview and its confirmation.

    Kept server-side for its uploader only, and only until it expires or is applied; it holds
    the register's public details of settings, never a child's.
    """

    user = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    records = models.JSONField(default=list)  # the authority's rows, parsed
    report = models.JSONField(default=dict)  # rows left out and problems, by row
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_import_expiry)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Settings import {self.file_name}"
