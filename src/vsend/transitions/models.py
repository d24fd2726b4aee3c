"""Transition plans: a child's planned move between settings, run as a workflow (ADR 26, 34).

A plan follows one template (a workflow definition: special school to mainstream, or enhanced
transition support) at the version it was started with. What happened is kept as rows here
(steps, reviews); due dates and who must act next are worked out by the workflow engine on every
read. A plan is seen by the child's circle (caseworker, family, the settings whose roll they are
on) and by the SENDCos of the sending and receiving settings (AccessPolicy.transition_reach)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOTE_LIMIT = 1000
SPECIAL_TO_MAINSTREAM = "special-to-mainstream"
ENHANCED = "enhanced-transition"


class Template(models.TextChoices):
    SPECIAL_TO_MAINSTREAM = SPECIAL_TO_MAINSTREAM, _("Special school to mainstream")
    ENHANCED = ENHANCED, _("Enhanced transition support")


class Outcome(models.TextChoices):
    RETURNED = "returned_to_mainstream", _("Moved to the mainstream school")
    STAYED = "stayed_in_special", _("Stays at the special school")
    SCHOOL_SUPPORT = "school_support", _("Carries on with support from the setting")
    REFERRED = "referred_for_assessment", _("Referred for an EHC needs assessment")
    ENDED = "ended_early", _("Plan ended early")


class TransitionPlan(models.Model):
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="transition_plans"
    )
    template = models.CharField(max_length=60, choices=Template.choices)
    template_version = models.PositiveSmallIntegerField()
    started_on = models.DateField(help_text="The child was put forward")
    sending_setting = models.ForeignKey(
        "organisations.Setting", on_delete=models.PROTECT, related_name="transitions_out"
    )
    receiving_setting = models.ForeignKey(
        "organisations.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transitions_in",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=NOTE_LIMIT)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            # One open plan of each kind per child: starting it twice finds the first.
            models.UniqueConstraint(
                fields=["child", "template"],
                condition=Q(ended_on__isnull=True),
                name="one_open_transition_plan_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(outcome=""),
                name="ended_transition_plan_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["receiving_setting", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.get_template_display()} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class TransitionStep(models.Model):
    """One step done (one row per occurrence of a recurring step: item 1, 2, ...)."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=60)
    item = models.CharField(max_length=20, blank=True)
    done_on = models.DateField()
    outcome = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True, max_length=NOTE_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "done_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "step", "item"], name="one_transition_row_per_step_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.item}".strip()


class Decision(models.TextChoices):
    CONTINUE = "continue", _("Carry on with the plan as it is")
    CHANGE = "change", _("Change the plan")
    END = "end", _("Ready to decide the outcome")


class TransitionReview(models.Model):
    """A review meeting: when, what was said, what was decided. Recording one also marks the
    plan's next review occurrence done."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    notes = models.TextField(max_length=NOTE_LIMIT)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "held_on"], name="one_transition_review_a_day")
        ]

    def __str__(self) -> str:
        return f"Review {self.held_on}"


class Sharing(models.Model):
    """The sending side's record that a child's profile and EHC plan were sent to the setting
    they move to next (before the child is on its roll, when it cannot open them itself)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    setting = models.ForeignKey("organisations.Setting", on_delete=models.CASCADE, related_name="+")
    shared_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "setting"], name="one_sharing_per_setting")
        ]

    def __str__(self) -> str:
        return f"Shared {self.shared_on}"
