"""The Valuing SEND profile: one version of a child's needs, readiness, home confidence and plan.

A profile is made with one framework version (recorded with its checksum). Drafts are saved
step by step; a finalised profile never changes. A review starts the next version, linked to
the one before, so the history of a child is the sequence of versions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STEPS = ("about", "needs", "readiness", "home", "plan")
STEP_NAMES = {
    "about": "About the child",
    "needs": "Needs",
    "readiness": "Setting readiness",
    "home": "Home confidence",
    "plan": "Support plan",
}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINALISED = "finalised", _("Finalised")


class Profile(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="profiles")
    number = models.PositiveIntegerField(
        help_text="1 for the first profile, then one more per review"
    )
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    framework_id = models.CharField(max_length=50)
    framework_version = models.CharField(max_length=20)
    framework_checksum = models.CharField(max_length=64)
    age_band = models.CharField(max_length=10)
    age_band_reason = models.TextField(blank=True)
    assessment_date = models.DateField()
    # Step 1: about the child.
    strengths = models.TextField(blank=True)
    child_views = models.TextField(blank=True)
    aspirations = models.TextField(blank=True)
    family_views = models.TextField(blank=True)
    # Step 4: who gave the home-confidence ratings.
    home_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    home_by_family = models.BooleanField(default=False)
    home_recorded_at = models.DateTimeField(null=True, blank=True)
    # Step 5.
    review_date = models.DateField(null=True, blank=True)
    completed_steps = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    # The assessment date of the finalised version that replaced this one. A finalised profile
    # is a child's current picture from its assessment date until then: "as at" queries use
    # this range instead of searching for the newest version per child.
    superseded_on = models.DateField(null=True, blank=True)
    # Bumped on every save: a save made from a stale page is refused.
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["child", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["child", "number"], name="unique_profile_number"),
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="draft"), name="one_draft_profile_per_child"
            ),
            # A version ends after it starts. On PostgreSQL an exclusion constraint also keeps
            # each child's finalised versions from overlapping (migration 0004).
            models.CheckConstraint(
                condition=Q(superseded_on__isnull=True)
                | Q(superseded_on__gt=models.F("assessment_date")),
                name="profile_superseded_after_assessed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "review_date"]),
            models.Index(fields=["child", "status", "-finalised_at"]),
            # Each child's picture as at a date is looked up by child (see insights.queries).
            models.Index(fields=["child", "status", "assessment_date"], name="profile_child_as_at"),
        ]

    def __str__(self) -> str:
        return f"Profile {self.number} for {self.child}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def finaliser_name(self) -> str:
        """Who finalised it: the name read with the profile (AccessPolicy.find_profile), or the
        user's own; "" for a draft."""
        return self._person_name("finalised_by")

    @property
    def home_recorder_name(self) -> str:
        """Who recorded the family's confidence at home, as finaliser_name."""
        return self._person_name("home_recorded_by")

    def _person_name(self, field: str) -> str:
        person_id = getattr(self, f"{field}_id")
        if person_id is None:
            return ""
        read = self.__dict__
        if (
            field not in self._state.fields_cache  # no user set on this object since
            and f"{field}_name" in read
            and read.get(f"{field}_name_of") == person_id  # the name is still this person's
        ):
            return read[f"{field}_name"] or ""
        return getattr(self, field).full_name  # set on this object, or read now

    @property
    def is_complete(self) -> bool:
        return all(step in self.completed_steps for step in STEPS)


class DomainRating(models.Model):
    """One domain of one profile: the child's need, the setting's readiness, the home's confidence."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="ratings")
    domain = models.CharField(max_length=30)
    need_level = models.PositiveSmallIntegerField(null=True, blank=True)
    need_evidence = models.TextField(blank=True)
    readiness_level = models.PositiveSmallIntegerField(null=True, blank=True)
    readiness_prompts = models.JSONField(default=list, blank=True)
    readiness_note = models.TextField(blank=True)
    confidence_level = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "domain"], name="unique_domain_rating")
        ]
        indexes = [models.Index(fields=["domain", "need_level"])]

    def __str__(self) -> str:
        return f"{self.domain}: need {self.need_level}"

    @property
    def readiness_gap(self) -> int | None:
        if self.need_level is None or self.readiness_level is None:
            return None
        return max(self.need_level - self.readiness_level, 0)

    @property
    def confidence_gap(self) -> int | None:
        if self.need_level is None or self.confidence_level is None:
            return None
        return max(self.need_level - self.confidence_level, 0)


class SupportOutcome(models.Model):
    """What will be different, how we will know, and by when."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="outcomes")
    domain = models.CharField(max_length=30)
    position = models.PositiveSmallIntegerField(default=0)
    what = models.TextField()
    how_we_will_know = models.TextField()
    by_when = models.DateField()

    class Meta:
        ordering = ["profile", "position"]

    def __str__(self) -> str:
        return self.what[:60]


class SupportAction(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="actions")
    domain = models.CharField(max_length=30)
    position = models.PositiveSmallIntegerField(default=0)
    what = models.TextField()
    who = models.CharField(max_length=200)
    how_often = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["profile", "position"]

    def __str__(self) -> str:
        return self.what[:60]


class OutcomeReview(models.Model):
    """At a review, how far each outcome of the previous plan was met."""

    class Result(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT_YET = "not_yet", _("Not yet achieved")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="outcome_reviews")
    outcome = models.ForeignKey(SupportOutcome, on_delete=models.PROTECT, related_name="reviews")
    result = models.CharField(max_length=10, choices=Result.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "outcome"], name="unique_outcome_review")
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.result}"


class FamilyAnswers(models.Model):
    """The family's home-confidence answers for one draft, kept in the database as they go.

    Staff may ask for them (requested_at); a parent's answers are saved a question at a time,
    so an idle sign-out loses nothing; once checked and sent (sent_at) they are written to the
    profile's ratings and the SENDCo sees that they have arrived.
    """

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="family_answers")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    # {domain: {"level": int, "note": str}}
    answers = models.JSONField(default=dict, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "requested_at"])]

    def __str__(self) -> str:
        return f"Family answers for {self.profile}"

    @property
    def status(self) -> str:
        """requested, started or sent: what the family has done so far."""
        if self.sent_at:
            return "sent"
        return "started" if self.answers else "requested"
