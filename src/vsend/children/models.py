"""Children and young people (0 to 25), their enrolments, families and caseworkers."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vsend.children.census import NeedType, SENProvision, Sex


def age_in_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Child(models.Model):
    authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="children"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    upn = models.CharField("UPN", max_length=13, blank=True)
    uln = models.CharField("ULN", max_length=10, blank=True)
    sen_provision = models.CharField(
        "SEN provision", max_length=1, choices=SENProvision.choices, default=SENProvision.NONE
    )
    primary_need = models.CharField(max_length=4, choices=NeedType.choices, blank=True)
    secondary_need = models.CharField(max_length=4, choices=NeedType.choices, blank=True)
    home_language = models.CharField(max_length=100, blank=True, default="English")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Bumped on every change: a save made from a stale copy is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "children"
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "upn"], condition=~Q(upn=""), name="unique_upn_in_authority"
            ),
            models.CheckConstraint(
                condition=Q(sen_provision__in=["N", "K", "E"]), name="child_sen_provision_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "last_name", "first_name"]),
            models.Index(fields=["authority", "sen_provision", "primary_need"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, on: date) -> int:
        return age_in_years(self.date_of_birth, on)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def current(self, on: date | None = None) -> "EnrolmentQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class Registration(models.TextChoices):
    """The census enrolment status: one setting, or the main or subsidiary of two at once
    (dual registration, as when a child moves gradually from special to mainstream)."""

    SINGLE = "C", "Single registration"
    MAIN = "M", "Dual registration: main"
    SUBSIDIARY = "S", "Dual registration: subsidiary"


class Enrolment(models.Model):
    """A child's time at a setting, in a year group and class."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    setting = models.ForeignKey(
        "organisations.Setting", on_delete=models.PROTECT, related_name="enrolments"
    )
    year_group = models.ForeignKey(
        "organisations.YearGroup", on_delete=models.PROTECT, null=True, blank=True
    )
    school_class = models.ForeignKey(
        "organisations.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    registration = models.CharField(
        max_length=1, choices=Registration.choices, default=Registration.SINGLE
    )
    # Recorded by the leaving setting with the leaving date: where the child is going.
    destination_setting = models.ForeignKey(
        "organisations.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    destination = models.CharField(max_length=200, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="enrolment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(registration__in=["C", "M", "S"]), name="enrolment_registration_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["setting", "ended_on"]),
            models.Index(fields=["school_class", "ended_on"]),
            models.Index(fields=["child", "ended_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.child} at {self.setting}"


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    CARER = "carer", _("Carer")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other family member")


class FamilyLink(models.Model):
    """A parent or carer's link to a child; their account then reaches the child's record."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_links"
    )
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="unique_family_link")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_relationship_display()} of {self.child})"


class CaseAssignment(models.Model):
    """A caseworker named for a child."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="case_assignments")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_assignments"
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["caseworker", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.caseworker} for {self.child}"


class Transfer(models.Model):
    """A move in a child's history: the child left one setting (if any) and joined another.

    Made when a receiving setting's SENDCo finds a child by UPN and date of birth, when an
    authority transfers a child, or when a portable record is imported. Read by everyone who
    may see the child: the family and caseworker see the move; the receiving setting sees it
    from the start date (before then the child is not theirs)."""

    class Route(models.TextChoices):
        CLAIM = "claim", "Found by the receiving setting (UPN and date of birth)"
        AUTHORITY = "authority", "Transferred by the local authority"
        RECORD = "record", "Portable record imported"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="transfers")
    from_setting = models.ForeignKey(
        "organisations.Setting", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_setting = models.ForeignKey(
        "organisations.Setting", on_delete=models.PROTECT, related_name="+"
    )
    left_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField()
    route = models.CharField(max_length=10, choices=Route.choices)
    dual = models.BooleanField(default=False, help_text="Stays on roll at the first setting too")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["child", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.child} to {self.to_setting} from {self.starts_on}"
