"""The child's own page ("All about me") and their own view of each area.

One row a version: a child has at most one draft, saved a page at a time as they go, and any
number of submitted versions, each dated and never changed (the history is the sequence). A new
draft starts from the child's last submitted answers.

answers: {question key: {"symbols": [symbol keys], "words": str, "skip": bool}}
area_views: {domain key: {"level": int | None, "skip": bool}} on the framework's need levels
(level 0: "this is fine for me"), so it can be drawn beside the adults' ratings.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Sent")


class Helper(models.TextChoices):
    """Who sat with the child: recorded from the role of whoever was signed in."""

    SELF = "self", _("On their own")
    STAFF = "staff", _("With a member of staff")
    FAMILY = "family", _("With their parent or carer")


class AboutMe(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="about_me")
    number = models.PositiveIntegerField(help_text="1 for the first version, then one more each")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    area_views = models.JSONField(default=dict, blank=True)
    # The framework whose levels the area views use (the child's age band when started).
    framework_id = models.CharField(max_length=50)
    framework_version = models.CharField(max_length=20)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    helper = models.CharField(max_length=10, choices=Helper.choices, default=Helper.SELF)
    helped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A young person may name who sat with them (optional, their own words).
    helper_name = models.CharField(max_length=100, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["child", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["child", "number"], name="unique_about_me_number"),
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="draft"), name="one_about_me_draft_per_child"
            ),
        ]
        indexes = [models.Index(fields=["child", "status", "-submitted_at"])]

    def __str__(self) -> str:
        return f"All about me {self.number} for {self.child}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def area_level(self, domain: str) -> int | None:
        view = self.area_views.get(domain) or {}
        return view.get("level")
