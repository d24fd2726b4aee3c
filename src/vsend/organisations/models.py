"""Local authorities, their localities, trusts, and the settings children attend."""

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
    setting_type = models.CharField(max_length=30, choices=SettingType.choices)

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
