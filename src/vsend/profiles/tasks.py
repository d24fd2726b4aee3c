"""The profile as a task list: each part, its status, and where to carry on.

Statuses are worked out from the draft itself (its completed steps and ratings) and from the
family's answers, so the list and "continue" always agree with what is saved.
"""

from dataclasses import dataclass

from django.urls import reverse
from markupsafe import Markup, escape

from vsend.profiles.area_services import plan_area_done, plan_review_done, readiness_done
from vsend.profiles.models import STEP_NAMES, FamilyAnswers, Profile
from vsend.profiles.selectors import ProfileView

COMPLETED, IN_PROGRESS, NOT_STARTED, CANNOT_START = (
    "Completed",
    "In progress",
    "Not yet started",
    "Cannot start yet",
)


@dataclass(frozen=True)
class Task:
    key: str
    name: str
    url: str | None
    status: str
    hint: str = ""
    # Said to screen readers after the name, so each link's text is unique on the page
    # ("Communication and interaction" appears under needs, readiness and the plan).
    context: str = ""

    @property
    def title_html(self) -> Markup:
        if not self.context:
            return escape(self.name)
        return Markup('{}<span class="govuk-visually-hidden">: {}</span>').format(
            self.name, self.context
        )

    @property
    def done(self) -> bool:
        return self.status == COMPLETED


@dataclass(frozen=True)
class Section:
    heading: str
    tasks: list[Task]


def area_done(profile: Profile, key: str) -> bool:
    return "needs" in profile.completed_steps or f"need:{key}" in profile.completed_steps


def _home(profile: Profile, answers: FamilyAnswers | None) -> tuple[str, str]:
    if "home" in profile.completed_steps:
        if profile.home_by_family:
            return COMPLETED, "Given by the family"
        return COMPLETED, "Recorded by staff"
    if answers is not None and answers.requested_at and not answers.sent_at:
        if answers.answers:
            return IN_PROGRESS, "The family has started answering"
        return IN_PROGRESS, "Waiting for the family's answers"
    return NOT_STARTED, ""


def sections(profile: Profile, view: ProfileView, answers: FamilyAnswers | None) -> list[Section]:
    pk = profile.pk
    done = profile.completed_steps

    def step(key: str) -> Task:
        status = COMPLETED if key in done else NOT_STARTED
        return Task(key, STEP_NAMES[key], reverse("profiles:step", args=[pk, key]), status)

    areas = []
    for d in view.domains:
        if area_done(profile, d.domain.key):
            status = COMPLETED
        elif d.rating.need_level is not None:
            status = IN_PROGRESS  # carried from the last profile: to be checked
        else:
            status = NOT_STARTED
        areas.append(
            Task(
                f"need:{d.domain.key}",
                d.domain.name,
                reverse("profiles:need", args=[pk, d.domain.key]),
                status,
                "Check last time's rating" if status == IN_PROGRESS else "",
                "need",
            )
        )
    readiness = []
    for d in view.domains:
        key = d.domain.key
        if readiness_done(profile, key):
            status, hint = COMPLETED, ""
        elif d.rating.readiness_level is not None:
            status, hint = IN_PROGRESS, "Check last time's rating"
        else:
            status, hint = NOT_STARTED, ""
        url = reverse("profiles:readiness", args=[pk, key])
        readiness.append(
            Task(f"readiness:{key}", d.domain.name, url, status, hint, "setting readiness")
        )
    outcome_areas = {o.domain for o in view.outcomes}
    plan = []
    for d in view.domains:
        key = d.domain.key
        if plan_area_done(profile, key):
            status = COMPLETED
            hint = "Outcome planned" if key in outcome_areas else "No outcome this time"
        else:
            status = IN_PROGRESS if key in outcome_areas else NOT_STARTED
            hint = ""
        url = reverse("profiles:plan", args=[pk, key])
        plan.append(Task(f"plan:{key}", d.domain.name, url, status, hint, "support plan"))
    plan.append(
        Task(
            "plan:review",
            "Review date",
            reverse("profiles:review-date", args=[pk]),
            COMPLETED if plan_review_done(profile) else NOT_STARTED,
            f"{profile.review_date.day} {profile.review_date:%B %Y}"
            if plan_review_done(profile) and profile.review_date
            else "",
        )
    )
    home_status, home_hint = _home(profile, answers)
    home = Task(
        "home",
        STEP_NAMES["home"],
        reverse("profiles:step", args=[pk, "home"]),
        home_status,
        home_hint,
    )
    ready = profile.is_complete
    finish = Task(
        "finalise",
        "Check and finalise",
        reverse("profiles:finalise", args=[pk]) if ready else None,
        NOT_STARTED if ready else CANNOT_START,
    )
    intro = Task(
        "introduction",
        "Read the introduction",
        reverse("profiles:introduction", args=[pk]),
        "Optional",
        f"About the {view.framework.name}",
    )
    return [
        Section("Before you start", [intro]),
        Section("About the child", [step("about")]),
        Section("Areas of need", areas),
        Section("Setting readiness", readiness),
        Section("Home confidence", [home]),
        Section("Support plan", plan),
        Section("Finish", [finish]),
    ]


def continue_url(all_sections: list[Section]) -> str:
    """The first part not finished (after the introduction): where the user stopped."""
    for section in all_sections[1:]:
        for task in section.tasks:
            if not task.done and task.url:
                return task.url
    return all_sections[-1].tasks[-1].url or ""


def progress(all_sections: list[Section]) -> tuple[int, int]:
    tasks = [t for s in all_sections[1:-1] for t in s.tasks]
    return sum(t.done for t in tasks), len(tasks)


def resume_url(profile: Profile) -> str:
    """Where a draft's author stopped, from its saved steps alone (no framework needed), for
    lists of drafts."""
    from vsend.frameworks.loader import DOMAIN_KEYS

    pk, done = profile.pk, profile.completed_steps
    if "about" not in done:
        return reverse("profiles:step", args=[pk, "about"])
    for key in DOMAIN_KEYS:
        if not area_done(profile, key):
            return reverse("profiles:need", args=[pk, key])
    for key in DOMAIN_KEYS:
        if not readiness_done(profile, key):
            return reverse("profiles:readiness", args=[pk, key])
    if "home" not in done:
        return reverse("profiles:step", args=[pk, "home"])
    for key in DOMAIN_KEYS:
        if not plan_area_done(profile, key):
            return reverse("profiles:plan", args=[pk, key])
    if not plan_review_done(profile):
        return reverse("profiles:review-date", args=[pk])
    return reverse("profiles:finalise", args=[pk])
