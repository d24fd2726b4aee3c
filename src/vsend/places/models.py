"""Special-school place planning: what each special school or resourced provision is designated
for and how many places it has, where children live (postcode district or locality centroids
the authority loads), and the few facts about a child's placement vsend did not record before
(awaiting a special place, home tuition, placed out of authority). See ADR 31."""

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from vsend.children.census import NeedType

MAX_PLACES = 2000
# Ordnance Survey national grid, metres: Great Britain fits within these.
MAX_EASTING = 700_000
MAX_NORTHING = 1_300_000
# Needs a special place can be designated for (NSA is "no specialist assessment": not a need).
DESIGNATABLE_NEEDS = [(c, label) for c, label in NeedType.choices if c != "NSA"]


class Designation(models.Model):
    """A special school's or a mainstream school's resourced provision's designation."""

    class Kind(models.TextChoices):
        SPECIAL = "special", "Special school"
        RESOURCED = "resourced", "Resourced provision in a mainstream school"

    setting = models.OneToOneField(
        "organisations.Setting", on_delete=models.CASCADE, related_name="designation"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SPECIAL)
    all_needs = models.BooleanField(default=False)
    # Census need codes, comma-separated in code order (empty for all needs).
    needs = models.CharField(max_length=100, blank=True)
    places = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MAX_PLACES)])
    # Positions in NATIONAL_CURRICULUM_YEARS (N1 = 0, R = 2, Year 1 = 3 ... Year 14 = 16).
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("last_year")) & Q(last_year__lte=16),
                name="designation_year_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(all_needs=True) | ~Q(needs=""), name="designation_names_needs"
            ),
        ]

    def __str__(self) -> str:
        return f"Designation of {self.setting}"

    @property
    def need_codes(self) -> list[str]:
        return [c for c in self.needs.split(",") if c]

    def covers(self, need: str, year: int) -> bool:
        return (
            self.all_needs or need in self.need_codes
        ) and self.first_year <= year <= self.last_year


class Centroid(models.Model):
    """The middle of a postcode district (ZZ1) or a locality, on the national grid. vsend holds
    no postcode data of its own: the authority loads its own table (ADR 31)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "Postcode district"
        LOCALITY = "locality", "Locality"

    authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.CASCADE, related_name="centroids"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(
        max_length=60,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9 '&.-]*$", "Enter a district or name")],
    )
    easting = models.PositiveIntegerField(validators=[MaxValueValidator(MAX_EASTING)])
    northing = models.PositiveIntegerField(validators=[MaxValueValidator(MAX_NORTHING)])

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="one_centroid_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """What place planning needs to know about one child that vsend did not record before."""

    child = models.OneToOneField(
        "children.Child", on_delete=models.CASCADE, related_name="placement"
    )
    home_area = models.ForeignKey(
        Centroid, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    awaiting_since = models.DateField("Awaiting a special place since", null=True, blank=True)
    home_tuition_since = models.DateField("On home tuition since", null=True, blank=True)
    out_of_authority_since = models.DateField(
        "Placed out of authority since", null=True, blank=True
    )
    out_of_authority_provider = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["awaiting_since"])]

    def __str__(self) -> str:
        return f"Placement of child {self.child_id}"
