"""The family's home-confidence answers: asked for by staff, saved as they go, then sent.

Answers live in the database (FamilyAnswers), never in the session, so a parent who is signed
out after a quiet spell carries on where they stopped. Each write is one transaction with its
audit row. The request email names the setting, never the child: an address can be shared.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import FamilyLink
from vsend.profiles import services
from vsend.profiles.models import FamilyAnswers, Profile, Status


def _audit(actor: Actor, profile: Profile, summary: str, **detail: Any) -> None:
    record(
        actor,
        Action.UPDATE,
        object_type="profile",
        object_id=profile.pk,
        child_id=profile.child_id,
        authority_id=profile.child.authority_id,
        summary=summary,
        detail=detail,
    )


def answers_for(profile: Profile) -> FamilyAnswers | None:
    return FamilyAnswers.objects.filter(profile=profile).first()


def parents_to_ask(profile: Profile) -> QuerySet[FamilyLink]:
    """The child's parents and carers with an account that can sign in."""
    return FamilyLink.objects.filter(
        child_id=profile.child_id, user__is_active=True
    ).select_related("user")


def _still_a_draft(profile: Profile) -> None:
    """Hold the profile's row until the answers are written, so they can never land after it
    is finalised (finalising takes the same row: profiles.services._claim)."""
    if not Profile.objects.select_for_update().filter(pk=profile.pk, status=Status.DRAFT).exists():
        raise services.ProfileLocked


@transaction.atomic
def ask_family(*, actor: Actor, profile: Profile) -> FamilyAnswers:
    """Ask the family for their home-confidence answers: a task on their home page, and an
    email to each parent or carer with an account. Asking again sends the email again."""
    from vsend.mail.services import send_later

    _still_a_draft(profile)
    answers, _ = FamilyAnswers.objects.select_for_update().get_or_create(profile=profile)
    answers.requested_by = actor.user
    answers.requested_at = timezone.now()
    if answers.sent_at:
        # Asked again after they answered: they start from their last answers.
        answers.sent_at = None
    answers.save()
    links = list(parents_to_ask(profile))
    for link in links:
        if link.user.email:
            send_later("family_request", link.pk)
    _audit(
        actor, profile, "The family was asked for their home-confidence answers", asked=len(links)
    )
    return answers


@transaction.atomic
def save_answer(
    *, actor: Actor, profile: Profile, domain: str, level: int, note: str, need: int | None = None
) -> FamilyAnswers:
    """One question's answer, kept as a draft until the family sends them all. need: the
    family's own view of how much need the child has here (optional; voice.selectors)."""
    _still_a_draft(profile)
    answers, _ = FamilyAnswers.objects.select_for_update().get_or_create(profile=profile)
    old = answers.answers.get(domain)
    new = {"level": level, "note": note} | ({"need": need} if need is not None else {})
    answers.answers = {**answers.answers, domain: new}
    answers.answered_by = actor.user
    answers.updated_at = timezone.now()
    answers.save(update_fields=["answers", "answered_by", "updated_at"])
    _audit(
        actor,
        profile,
        "A family answer about home saved as a draft",
        domain=domain,
        changes={"answer": {"old": old, "new": new}},
    )
    return answers


@transaction.atomic
def send_answers(*, actor: Actor, profile: Profile, expected: int) -> None:
    """The checked answers become the profile's home confidence, credited to the family."""
    answers = FamilyAnswers.objects.select_for_update().get(profile=profile)
    services.save_home(
        actor=actor,
        profile=profile,
        expected=expected,
        by_family=True,
        ratings={
            k: {"level": v["level"], "note": v.get("note", "")} for k, v in answers.answers.items()
        },
    )
    answers.sent_at = timezone.now()
    answers.save(update_fields=["sent_at"])


def pending_for(children: QuerySet[Any]) -> QuerySet[FamilyAnswers]:
    """Requests the family has not yet sent, for drafts of these children."""
    return (
        FamilyAnswers.objects.filter(
            profile__child__in=children,
            profile__status=Status.DRAFT,
            requested_at__isnull=False,
            sent_at__isnull=True,
        )
        .select_related("profile__child")
        .order_by("requested_at")
    )


def request_email(pk: int) -> Any:
    """The `mail.send` job's message for a family link: None when nothing is asked any more."""
    from django.conf import settings

    from vsend.children.selectors import current_enrolment
    from vsend.mail.services import absolute, compose, written_for

    link = FamilyLink.objects.select_related("user", "child").filter(pk=pk).first()
    if link is None or not link.user.is_active or not link.user.email:
        return None
    if not FamilyAnswers.objects.filter(
        profile__child_id=link.child_id,
        profile__status=Status.DRAFT,
        requested_at__isnull=False,
        sent_at__isnull=True,
    ).exists():
        return None
    enrolment = current_enrolment(link.child)
    # In the parent's or carer's own language, not the language of the page that asked them.
    with written_for(link.user, family=True):
        setting = enrolment.setting.name if enrolment else gettext("Your child's school or setting")
        return compose(
            to=link.user.email,
            subject=gettext("%(setting)s has asked you some questions") % {"setting": setting},
            template="family_request",
            context={
                "name": link.user.full_name,
                "setting": setting,
                "link": absolute(reverse("home")),
                "service": settings.VSEND_SERVICE_NAME,
            },
        )
