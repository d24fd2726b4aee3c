"""Writes to a child's "All about me": every change one transaction with its audit row.

The draft is found or made for the child (one per child; a race makes one, the database keeps
it so), each page's answer is saved as the child goes, and sending makes the draft a dated
version that never changes. Who sat with the child is taken from the signed-in person's role.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Role
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child
from vsend.frameworks.loader import Framework
from vsend.frameworks.registry import AgeOutOfRange, age_band_for, current
from vsend.voice.models import AboutMe, Helper, Status
from vsend.voice.questions import catalogue


class NothingToSend(Exception):
    """Sending was asked for with no answer at all."""


class AlreadySent(Exception):
    """The draft was sent already (another tab, another adult)."""


def _audit(actor: Actor, page: AboutMe, action: Action, summary: str, **detail: Any) -> None:
    record(
        actor,
        action,
        object_type="about_me",
        object_id=page.pk,
        child_id=page.child_id,
        authority_id=page.child.authority_id,
        summary=summary,
        detail=detail,
    )


def helper_for(actor: Actor, child: Child) -> Helper:
    """The young person themselves, a parent or carer at home, or staff in school."""
    memberships = AccessPolicy.for_user(actor.user).memberships
    if any(m.role == Role.YOUNG_PERSON and m.child_id == child.pk for m in memberships):
        return Helper.SELF
    if any(m.role == Role.PARENT for m in memberships) and (
        child.family_links.filter(user=actor.user).exists()
    ):
        return Helper.FAMILY
    return Helper.STAFF


def framework_for(child: Child) -> Framework:
    """The framework for the child's age today: its areas and levels are the ones the child
    answers on (the same levels as the adults' need ratings)."""
    try:
        band = age_band_for(child.date_of_birth, timezone.localdate())
    except AgeOutOfRange:
        band = "5_to_25"
    return current(band)


def draft_for(actor: Actor, child: Child) -> AboutMe:
    """The child's draft, made from their last sent version (or empty) if there is none."""
    existing = AboutMe.objects.filter(child=child, status=Status.DRAFT).first()
    if existing is not None:
        return existing
    last = AboutMe.objects.filter(child=child).order_by("-number").first()
    framework = framework_for(child)
    try:
        with transaction.atomic():
            page = AboutMe.objects.create(
                child=child,
                number=(last.number + 1) if last else 1,
                answers=dict(last.answers) if last else {},
                area_views=dict(last.area_views) if last else {},
                framework_id=framework.id,
                framework_version=framework.version,
                started_by=actor.user,
                helper=helper_for(actor, child),
                helped_by=actor.user,
            )
            _audit(actor, page, Action.CREATE, "All about me started")
    except IntegrityError:  # made at the same moment by another request
        return AboutMe.objects.get(child=child, status=Status.DRAFT)
    return page


def _locked_draft(page: AboutMe) -> AboutMe:
    fresh = AboutMe.objects.select_for_update().select_related("child").get(pk=page.pk)
    if not fresh.is_draft:
        raise AlreadySent
    return fresh


def _who(actor: Actor, page: AboutMe) -> None:
    page.helper = helper_for(actor, page.child)
    page.helped_by = actor.user
    page.updated_at = timezone.now()


@transaction.atomic
def save_answer(
    *, actor: Actor, page: AboutMe, question: str, symbols: list[str], words: str, skip: bool
) -> AboutMe:
    """One question's answer: pictures, a few words, or "I don't want to say"."""
    if catalogue().question(question) is None:
        raise ValueError(question)
    page = _locked_draft(page)
    answer = {
        "symbols": [] if skip else list(symbols),
        "words": "" if skip else words,
        "skip": skip,
    }
    old = page.answers.get(question)
    page.answers = {**page.answers, question: answer}
    _who(actor, page)
    page.save(update_fields=["answers", "helper", "helped_by", "updated_at"])
    _audit(
        actor,
        page,
        Action.UPDATE,
        "All about me: an answer saved",
        question=question,
        changes={"answer": {"old": old, "new": answer}},
    )
    return page


@transaction.atomic
def save_area_view(
    *, actor: Actor, page: AboutMe, domain: str, level: int | None, skip: bool
) -> AboutMe:
    """The child's own view of one area, on the framework's need levels."""
    page = _locked_draft(page)
    view = {"level": None if skip else level, "skip": skip}
    old = page.area_views.get(domain)
    page.area_views = {**page.area_views, domain: view}
    _who(actor, page)
    page.save(update_fields=["area_views", "helper", "helped_by", "updated_at"])
    _audit(
        actor,
        page,
        Action.UPDATE,
        "All about me: my view of an area saved",
        domain=domain,
        changes={"view": {"old": old, "new": view}},
    )
    return page


@transaction.atomic
def send(*, actor: Actor, page: AboutMe, helper_name: str = "") -> AboutMe:
    """The draft becomes a dated version: kept as it is, shown to the people who support them."""
    page = _locked_draft(page)
    if not page.answers and not page.area_views:
        raise NothingToSend
    _who(actor, page)
    page.helper_name = helper_name.strip()
    page.status = Status.SUBMITTED
    page.submitted_at = timezone.now()
    page.save()
    _audit(
        actor,
        page,
        Action.UPDATE,
        "All about me sent",
        helper=page.helper,
        answered=len(page.answers),
        areas=len(page.area_views),
    )
    return page
