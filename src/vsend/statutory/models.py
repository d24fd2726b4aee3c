"""The statutory pathway: EHC needs assessment requests and their clocks, EHC plans and annual
reviews. A `Case` runs one workflow (vsend.workflows): an assessment from the day the authority
receives the request, or an annual review from the day the plan was issued or last reviewed.
What happened is kept as rows here (steps, exceptions, letters, appeals); due dates are worked
out from them by the workflow engine on every read, so a late-recorded exception is never
stale."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_LIMIT = 4000
NOTE_LIMIT = 1000
ASSESSMENT = "ehc-needs-assessment"
ANNUAL_REVIEW = "annual-review"


class Kind(models.TextChoices):
    ASSESSMENT = "assessment", _("EHC needs assessment")
    ANNUAL_REVIEW = "annual_review", _("Annual review")


class Requester(models.TextChoices):
    SETTING = "setting", _("The child's school, college or early years setting")
    PARENT = "parent", _("A parent or carer")
    YOUNG_PERSON = "young_person", _("The young person")


class Received(models.TextChoices):
    ONLINE = "online", _("Made in vsend")
    LETTER = "letter", _("By letter")
    EMAIL = "email", _("By email")
    OTHER = "other", _("Another way (for example by phone, then in writing)")


class WithdrawnBy(models.TextChoices):
    FAMILY = "family", _("The family or the young person")
    SETTING = "setting", _("The setting that made the request")


class Case(models.Model):
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="statutory_cases"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    workflow = models.CharField(max_length=60)
    workflow_version = models.PositiveSmallIntegerField()
    started_on = models.DateField(help_text="Request received, or plan issued or last reviewed")
    # A request for an assessment: who made it, from which setting, and why.
    requester = models.CharField(max_length=20, choices=Requester.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    setting = models.ForeignKey(
        "organisations.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statutory_cases",
    )
    reasons = models.TextField(blank=True, max_length=TEXT_LIMIT)
    family_views = models.TextField(blank=True, max_length=TEXT_LIMIT)
    child_views = models.TextField(blank=True, max_length=TEXT_LIMIT)
    # For an annual review: the plan reviewed.
    plan = models.ForeignKey(
        "statutory.EhcPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    # How the request reached the authority: a paper or email request is entered by a
    # caseworker with the day it was received (the clock starts then).
    received_how = models.CharField(
        max_length=10, choices=Received.choices, default=Received.ONLINE
    )
    received_note = models.CharField(max_length=300, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)
    withdrawn = models.BooleanField(default=False)
    withdrawn_by = models.CharField(max_length=10, choices=WithdrawnBy.choices, blank=True)
    withdrawn_reason = models.TextField(blank=True, max_length=NOTE_LIMIT)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            # One open request at a time: a second request goes to the first.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(kind="assessment", closed_on__isnull=True),
                name="one_open_assessment_per_child",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["assessment", "annual_review"]), name="case_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["kind", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CaseStep(models.Model):
    """One step of the case's workflow done or asked for (one row per item of a repeating step:
    each advice request, each setting consulted)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=60)
    item = models.CharField(max_length=120, blank=True)
    asked_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True, max_length=NOTE_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step", "item"], name="one_row_per_step_item")
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.item}".strip()


class ClockException(models.Model):
    """An exception the regulations allow, with its reason and dates: it moves due dates."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exceptions")
    kind = models.CharField(max_length=40)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=NOTE_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="exception_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} from {self.starts_on}"


class LetterKind(models.TextChoices):
    DECISION_TO_ASSESS = "decision_to_assess", _("Decision whether to assess")
    DECISION_TO_ISSUE = "decision_to_issue", _("Decision whether to issue a plan")
    DRAFT_PLAN = "draft_plan", _("Draft EHC plan")
    FINAL_PLAN = "final_plan", _("Final EHC plan")
    REVIEW = "review", _("Annual review decision")
    OTHER = "other", _("Other letter")


class CaseDocument(models.Model):
    """A decision letter or plan, uploaded as a file (bounded: see services.MAX_DOCUMENT_BYTES)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    filename = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField(editable=False)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sha256"], name="one_copy_of_a_document")
        ]

    def __str__(self) -> str:
        return self.filename


class AppealKind(models.TextChoices):
    MEDIATION = "mediation", "Mediation"
    TRIBUNAL = "tribunal", "Tribunal appeal"


class AppealAbout(models.TextChoices):
    REQUEST = "request", "The decision not to assess"
    ASSESSMENT = "assessment", "The decision not to issue a plan"
    PLAN = "plan", "The content of the plan or the setting named"


class Appeal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appeals")
    kind = models.CharField(max_length=20, choices=AppealKind.choices)
    about = models.CharField(max_length=20, choices=AppealAbout.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on}"


class CeaseReason(models.IntegerChoices):
    """SEN2 item 4.6 (the reason a plan ended)."""

    MAX_AGE = 1, "Reached the maximum age"
    NEEDS_MET = 2, "Needs met without a plan, still in education or training"
    HIGHER_EDUCATION = 3, "Moved on to higher education"
    EMPLOYMENT = 4, "Moved on to paid employment (not an apprenticeship)"
    TRANSFERRED = 5, "Moved to another local authority in England"
    NO_ENGAGEMENT = 6, "No longer wishes to take part in education or training"
    LEFT_ENGLAND = 7, "Moved outside England"
    DECEASED = 8, "Died"
    OTHER = 9, "Other"


PLAN_SECTIONS = {
    "a": "A. The views, interests and aspirations of the child and their family",
    "b": "B. Special educational needs",
    "c": "C. Health needs related to their special educational needs",
    "d": "D. Social care needs related to their special educational needs or disability",
    "e": "E. Outcomes",
    "f": "F. Special educational provision",
    "g": "G. Health provision",
    "h1": "H1. Social care provision under the Chronically Sick and Disabled Persons Act",
    "h2": "H2. Other social care provision",
    "i": "I. Placement: the school, college or other setting",
    "j": "J. Personal budget",
    "k": "K. Advice and information gathered",
}


class EhcPlan(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="ehc_plans")
    assessment = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="issued_plan"
    )
    issued_on = models.DateField()
    start_date = models.DateField()
    named_setting = models.ForeignKey(
        "organisations.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="named_in_plans",
    )
    # SEN2 setting type when no setting with a URN is named (e.g. EHE, OLA, EYP).
    sen_setting = models.CharField(max_length=4, blank=True)
    personal_budget = models.BooleanField(default=False)
    personal_budget_direct_payments = models.BooleanField(default=False)
    personal_budget_organised = models.BooleanField(default=False)
    section_a = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_b = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_c = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_d = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_e = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_f = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_g = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_h1 = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_h2 = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_i = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_j = models.TextField(blank=True, max_length=TEXT_LIMIT)
    section_k = models.TextField(blank=True, max_length=TEXT_LIMIT)
    ceased_on = models.DateField(null=True, blank=True)
    cease_reason = models.PositiveSmallIntegerField(
        choices=CeaseReason.choices, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(cease_reason__isnull=False),
                name="ceased_plan_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"EHC plan issued {self.issued_on}"

    @property
    def is_active(self) -> bool:
        return self.ceased_on is None

    def sections(self) -> list[tuple[str, str, str]]:
        return [(k, label, getattr(self, f"section_{k}")) for k, label in PLAN_SECTIONS.items()]


class PlanOutcome(models.Model):
    """One outcome of a plan's section E, naming the Valuing SEND areas it answers and the
    provision (section F) that works towards it: need, provision and outcome on one thread."""

    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="outcomes")
    areas = models.JSONField(default=list)  # frameworks.loader.DOMAIN_KEYS, one or more
    outcome = models.TextField(max_length=NOTE_LIMIT)
    provision = models.TextField(blank=True, max_length=NOTE_LIMIT)
    by_when = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.outcome[:60]


PFA_PARTS = {
    "employment": _("Employment: paid work, apprenticeships, supported internships"),
    "independent_living": _("Independent living: where and with whom they will live"),
    "community": _("Community: friends, relationships and taking part in community life"),
    "health": _("Good health: managing their health as an adult"),
}


class AdulthoodPart(models.Model):
    """The preparing-for-adulthood part of an annual review, from Year 9 (SEND Code of
    Practice 8.9-8.12 and 9.166): what the young person wants and what is agreed, per part."""

    review = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="adulthood")
    employment = models.TextField(blank=True, max_length=NOTE_LIMIT)
    independent_living = models.TextField(blank=True, max_length=NOTE_LIMIT)
    community = models.TextField(blank=True, max_length=NOTE_LIMIT)
    health = models.TextField(blank=True, max_length=NOTE_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Preparing for adulthood, review {self.review_id}"

    def parts(self) -> list[tuple[str, str, str]]:
        return [(k, str(label), getattr(self, k)) for k, label in PFA_PARTS.items()]


class Reminder(models.Model):
    """One email about one milestone to one person, so the daily job sends it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    milestone = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)  # due_soon, overdue
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "case", "milestone", "kind", "due_on"], name="one_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.milestone}"
